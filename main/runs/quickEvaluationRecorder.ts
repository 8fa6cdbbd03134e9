import type { QuickEvaluation } from '../evaluation/evaluationService';
import type { JobEvent } from '../ml/protocol';
import type { RunRepository } from './runRepository';
import type { RunWatch } from './runWatch';

type QuickEvent = Extract<JobEvent, { type: 'quick-evaluation' | 'feature-network' }>;

/**
 * What the run service does with the quick in-run evaluation's events (issue 11): its figures are
 * stored at their step beside the loss, with what they cost (`cost_quick_evaluation_ms`), and fed
 * to the alarms and the best-checkpoint ranking; a feature network the worker trained for it is
 * cached for the version (a failure to cache only costs the next run the training again).
 */
export function recordQuickEvaluation(
  runId: number,
  event: QuickEvent,
  deps: {
    runs: Pick<RunRepository, 'recordProgress'>;
    watch: Pick<RunWatch, 'observe'>;
    quick: QuickEvaluation | undefined;
  },
): Promise<void> | null {
  if (event.type === 'feature-network') {
    if (deps.quick === undefined) return null;
    return deps.quick.cache(event.weights).catch((error: unknown) => {
      console.error(`Run ${runId}: the feature network could not be cached:`, error);
    });
  }
  deps.runs.recordProgress(runId, event.step, {
    ...event.metrics,
    cost_quick_evaluation_ms: event.ms,
  });
  deps.watch.observe(event.step, event.metrics);
  return null;
}
