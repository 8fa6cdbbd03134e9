import type { Outcome, StudioApi, StudioError } from '../../../preload/contract';
import { createHttpStudio } from './httpStudio';

/** The Electron preload's bridge when there is one, else the HTTP client for the headless server. */
export function resolveStudio(): StudioApi {
  return window.studio ?? createHttpStudio();
}

/**
 * The api promises never to throw, but a broken bridge still could; a thrown error becomes data so
 * that the UI has exactly one failure path to show.
 */
export async function settle<T>(pending: Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await pending;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const error: StudioError = { code: 'internal', message: `Unexpected failure: ${message}` };
    return { ok: false, error };
  }
}
