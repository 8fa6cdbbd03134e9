import type { EvaluationCalls } from '../../preload/contract';
import type { CallHandlers } from '../common/calls';
import type { EvaluationService } from './evaluationService';

/** Judging runs: evaluate a checkpoint on demand, read the newest stored evaluation. */
export function evaluationHandlers(
  evaluation: EvaluationService,
): Pick<CallHandlers, keyof EvaluationCalls> {
  return {
    'runs:evaluate': ({ runId, step }) => evaluation.evaluate(runId, step),
    'runs:evaluation': ({ runId }) => evaluation.latest(runId),
  };
}
