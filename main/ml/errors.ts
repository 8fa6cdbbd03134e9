// Errors cross the worker boundary as data (`StudioError`); these turn what the ML code meets
// into that shape. Services' own StudioFailure lives in ../core/failure.

import type { StudioError } from '../../preload/contract';
import { StudioFailure } from '../common/failure';

export function mlError(message: string, details?: Record<string, unknown>): StudioError {
  return details === undefined ? { code: 'ml', message } : { code: 'ml', message, details };
}

/** The message of anything thrown; tfjs and emscripten sometimes reject with plain objects. */
export function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown) {
    return String(thrown.message);
  }
  return String(thrown);
}

/** What a failed job reports: a StudioFailure's own error, anything else as an 'ml' error. */
export function jobError(thrown: unknown): StudioError {
  if (thrown instanceof StudioFailure) {
    const { code, message, details } = thrown;
    return details === undefined ? { code, message } : { code, message, details };
  }
  return mlError(`Training failed: ${messageOf(thrown)}`);
}
