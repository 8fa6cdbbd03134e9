import type { ErrorCode, StudioError } from '../../preload/contract';

/** Thrown by services; the dispatcher turns it into `{ code, message, details }` data. */
export class StudioFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'StudioFailure';
  }
}

export function toStudioError(err: unknown): StudioError {
  if (err instanceof StudioFailure) {
    return {
      code: err.code,
      message: err.message,
      ...(err.details ? { details: err.details } : {}),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Something went wrong inside the studio: ${message}` };
}

export function notFound(what: string): StudioFailure {
  return new StudioFailure('not-found', `${what} does not exist (it may have been deleted).`);
}
