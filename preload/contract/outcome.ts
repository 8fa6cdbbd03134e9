// Errors and outcomes: every call resolves to an Outcome; errors are data, never thrown across
// a process boundary.

export type ErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'unsupported'
  | 'io'
  | 'ml'
  | 'internal'
  /** The person stopped the work (an import's cancel button, Ctrl-C); nothing is left half-done. */
  | 'cancelled';

export interface StudioError {
  code: ErrorCode;
  /** A sentence a person can act on. */
  message: string;
  details?: Record<string, unknown>;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: StudioError };
