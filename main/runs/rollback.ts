import type { RunAlarms, RunSummary } from '../../preload/contract';
import type { StudioEventBus } from '../common/events';
import { StudioFailure } from '../common/failure';
import type { AlarmRepository } from './alarmRepository';
import type { RunRepository } from './runRepository';
import type { RunService } from './runService';
import { removeSamplesAfter } from './sampleWriter';

export interface RollbackDeps {
  dataDir: string;
  runs: RunService;
  runRecords: RunRepository;
  alarms: AlarmRepository;
  events: StudioEventBus;
}

export function runAlarms(deps: RollbackDeps, runId: number): RunAlarms {
  deps.runs.summary(runId);
  const best = deps.alarms.best(runId);
  return {
    runId,
    alarms: deps.alarms.list(runId),
    best: best && { step: best.step, metric: best.metric, value: best.value },
  };
}

/**
 * Back to the best checkpoint a run kept: it becomes the run's checkpoint, so the resume that
 * landed (which drops the metrics, samples and alarms after its step) continues from it; or the run
 * ends there, completed at that step.
 */
export async function rollbackToBest(
  deps: RollbackDeps,
  runId: number,
  continueTraining: boolean,
): Promise<RunSummary> {
  const summary = deps.runs.summary(runId);
  if (deps.runs.isTraining(runId)) {
    throw new StudioFailure('conflict', `Run ${runId} is training; stop it before rolling back.`);
  }
  const best = deps.alarms.best(runId);
  if (!best) {
    throw new StudioFailure('invalid-input', `Run ${runId} has kept no best checkpoint yet.`);
  }
  if (continueTraining && best.step >= summary.totalSteps) {
    throw new StudioFailure(
      'invalid-input',
      `Run ${runId}'s best checkpoint is its last step (${best.step}): there is nothing to redo; resume with more steps instead.`,
    );
  }
  deps.runRecords.setCheckpoint(runId, best.dir, best.step);
  if (continueTraining) return deps.runs.resume(runId, summary.totalSteps);
  const dropped = deps.runRecords.restartFromCheckpoint(runId, best.step, best.step);
  deps.alarms.dropAfter(runId, best.step);
  await removeSamplesAfter(deps.dataDir, runId, best.step, dropped);
  const figure = best.value === null ? '' : `, ${best.metric} ${best.value.toPrecision(4)}`;
  deps.runRecords.finish(
    runId,
    'completed',
    best.step,
    `Ended at its best checkpoint (step ${best.step}${figure}).`,
  );
  // The run view follows status events: without one it keeps showing the steps just dropped.
  const ended = deps.runs.summary(runId);
  deps.events.emit('runs:status', ended);
  return ended;
}
