import type { TrainPhases } from '../ml/protocol';

/**
 * A training's cost by phase (issue 14: a run should cost at most 1.2× its steps): the worker
 * loop's phases, then the main thread's finishing (pending sample writes, the status, the
 * evaluation at the end).
 */
export interface RunTiming {
  worker: TrainPhases;
  finishingMs: number;
}
