import type { ClassificationProblem, ClassifyRequest } from '../../ml/protocol';
import { AuditCancelled, type WorkControl } from '../types';

// Where the audit's label-error classifier runs. The classifier itself (out-of-fold
// probabilities of a small MLP) is ML work and lives in main/ml/audit; the core reaches it
// through the ML worker, so the core thread never loads TensorFlow and a large audit trains on
// the same engine (and backend) as the models.

/** Out-of-fold [rows, classes] probabilities for a problem; throws AuditCancelled when cancelled. */
export type LabelClassifier = (
  problem: ClassificationProblem,
  control: WorkControl,
) => Promise<Float32Array>;

/** The part of MlHost the audit uses. */
export interface ClassifierEngine {
  classify(
    request: ClassifyRequest,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array>;
  cancel(jobId: string): void;
}

let nextJob = 0;

/** A LabelClassifier that runs in the ML worker; cancelling the audit cancels the worker's job. */
export function workerClassifier(engine: ClassifierEngine): LabelClassifier {
  return async (problem, control) => {
    const jobId = `audit-classifier-${process.pid}-${++nextJob}`;
    const { signal } = control;
    const cancelled = (): boolean => signal?.aborted === true;
    if (cancelled()) throw new AuditCancelled();
    // A cancelled audit ends at once; the worker drops its job at its next check.
    let onAbort = (): void => engine.cancel(jobId);
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        engine.cancel(jobId);
        reject(new AuditCancelled());
      };
    });
    aborted.catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Copies go to the worker (the host transfers what it is given): the caller keeps using
      // its labels for the neighbour votes.
      const request = {
        ...problem,
        features: problem.features.slice(),
        labels: problem.labels.slice(),
        jobId,
      };
      const answer = engine.classify(request, (done, total) =>
        control.progress('labels', done, total),
      );
      answer.catch(() => undefined); // when the abort wins the race, nobody awaits it
      return await Promise.race([answer, aborted]);
    } catch (error) {
      if (cancelled()) throw new AuditCancelled();
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };
}

/** Class probabilities from the labels of each row's nearest neighbours (Laplace-smoothed). */
export function neighbourVoteProbabilities(
  neighbourIndex: Int32Array,
  k: number,
  labels: Int32Array,
  classes: number,
): Float32Array {
  const rows = labels.length;
  const out = new Float32Array(rows * classes);
  const prior = 0.5 / classes;
  for (let i = 0; i < rows; i++) {
    let n = 0;
    for (let t = 0; t < k; t++) {
      const j = neighbourIndex[i * k + t] as number;
      if (j < 0) continue;
      const c = labels[j] as number;
      if (c < 0) continue;
      out[i * classes + c] = (out[i * classes + c] as number) + 1;
      n++;
    }
    for (let c = 0; c < classes; c++)
      out[i * classes + c] = ((out[i * classes + c] as number) + prior) / (n + 0.5);
  }
  return out;
}
