import type { StudioEventBus } from '../common/events';
import type { RunRepository } from './runRepository';

/**
 * The end-of-run evaluation (issue 11), queued on the worker after training: the run is already
 * completed (and the view told so), and a failure here only becomes the run's note.
 */
export async function evaluateCompletedRun(
  runId: number,
  deps: {
    runs: RunRepository;
    events: StudioEventBus;
    evaluate?: ((runId: number) => Promise<unknown>) | undefined;
  },
): Promise<void> {
  if (!deps.evaluate) return;
  const summary = deps.runs.get(runId);
  if (summary) deps.events.emit('runs:status', summary);
  try {
    await deps.evaluate(runId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.runs.setMessage(runId, `Completed; the evaluation could not run: ${message}`);
  }
}
