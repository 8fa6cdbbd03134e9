import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, Outcome, StudioError, StudioEvents } from '../../../preload/contract';
import { settle } from './studio';
import { useStudio } from './StudioContext';

export interface OutcomeState<T> {
  value: T | null;
  error: StudioError | null;
  loading: boolean;
  /** Loads again, keeping the last value on screen meanwhile. */
  reload: () => void;
}

interface Settled<T> {
  load: unknown;
  nonce: number;
  value: T | null;
  error: StudioError | null;
}

/**
 * Runs `load` whenever it changes (memoise it with useCallback) or `reload` is called. An answer
 * for a superseded request is dropped, so a slow answer never overwrites a fresher one.
 */
export function useOutcome<T>(load: (() => Promise<Outcome<T>>) | null): OutcomeState<T> {
  const [nonce, setNonce] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);

  useEffect(() => {
    if (!load) return;
    let current = true;
    void settle(load()).then((outcome) => {
      if (!current) return;
      setSettled((prev) => ({
        load,
        nonce,
        value: outcome.ok ? outcome.value : (prev?.value ?? null),
        error: outcome.ok ? null : outcome.error,
      }));
    });
    return () => {
      current = false;
    };
  }, [load, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const loading = load !== null && (settled?.load !== load || settled.nonce !== nonce);
  // An error belongs to the request it answered; a different request starts with a clean slate.
  const error = settled && settled.load === load ? settled.error : null;
  return { value: settled?.value ?? null, error, loading, reload };
}

/** Subscribes to a pushed event for the component's lifetime; the newest listener is always used. */
export function useStudioEvent<E extends EventName>(
  event: E,
  listener: (payload: StudioEvents[E]) => void,
): void {
  const api = useStudio();
  const current = useRef(listener);
  useEffect(() => {
    current.current = listener;
  });
  useEffect(() => api.on(event, (payload) => current.current(payload)), [api, event]);
}
