// The training loop, whatever the model family: batches from a seeded source, a learning-rate
// schedule, throttled progress, validation every N steps, samples every N steps, checkpoints that
// resume exactly, cooperative stop, and a clear failure when a loss diverges.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Metrics, TrainableModel } from '../models/model';
import { mlError, messageOf } from '../../errors';
import type { JobEvent, TrainOutcome, TrainPhases } from '../../protocol';
import { nextSeed, SeededRandom } from '../../../common/random';
import {
  restoreCheckpoint,
  saveCheckpoint,
  type CheckpointData,
  type CheckpointManifest,
} from './checkpoint';
import type { BatchSource } from './data';
import { learningRateScale, type TrainingConfig } from '../../config/trainingConfig';

/** Progress events at most this often (plus the first and the final step). */
export const PROGRESS_INTERVAL_MS = 100;

/** Below this window the rate is too noisy to show; the run's average is used instead. */
const MIN_RATE_WINDOW_MS = 50;

/** Renders what the model makes now, as an event ('samples' or 'text-samples'). */
export interface Preview {
  render(step: number): JobEvent | null;
}

export interface TrainHooks {
  onEvent(event: JobEvent): void;
  /** Checked between steps; true ends the run as 'stopped'. */
  shouldStop(): boolean;
  /** Milliseconds; injectable so that throttling can be tested without timing. */
  now?: () => number;
  /** Every step's metrics, unthrottled (tests, benchmarks). */
  onStep?: (step: number, metrics: Metrics) => void;
  /** Sampling at `sampleEvery` and at the end; none when absent or sampleCount is 0. */
  preview?: Preview;
  /** Where and what to checkpoint; no checkpoints when absent. */
  checkpoint?: {
    dir: string;
    family: CheckpointManifest['family'];
    config: unknown;
    data: CheckpointData;
  };
  /** A checkpoint to continue from (already read; its folder holds the weights). */
  resume?: { dir: string; manifest: CheckpointManifest };
  /**
   * Judged at each validation point, after the validation loss (issue 11's quick evaluation), or,
   * `atSamples`, at each sample point after the preview (and at the end): for an evaluator that
   * judges the preview's own draw, whose generation costs a char-GPT without a key/value cache
   * some 18 of its steps — at every validation point that was 13% of a run (issue 14).
   */
  quickEvaluation?: { evaluate(step: number): Metrics; atSamples?: boolean };
}

/** The first metric that is not finite, 'loss' first: what a person is told diverged. */
function divergedMetric(metrics: Metrics): string | null {
  const names = Object.keys(metrics).sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  return names.find((name) => !Number.isFinite(metrics[name])) ?? null;
}

/**
 * Trains `model` on `data` until `config.steps`. Never throws for a diverged run or a failed
 * checkpoint write: those are 'failed' outcomes. The caller owns the model and the data source.
 */
export async function train<Batch>(
  config: TrainingConfig,
  data: BatchSource<Batch>,
  model: TrainableModel<Batch>,
  hooks: TrainHooks,
): Promise<TrainOutcome> {
  const now = hooks.now ?? (() => performance.now());
  const totalSteps = config.steps;
  const random = new SeededRandom(config.seed);
  const draw = (): number => random.next();
  let step = 0;
  // The real clock, not hooks.now: tests drive throttling with a fake one that this must not tick.
  const phases: TrainPhases = {
    steps: 0,
    validation: 0,
    evaluation: 0,
    samples: 0,
    checkpoints: 0,
    progress: 0,
    yield: 0,
    resume: 0,
  };
  const timed = <T>(phase: keyof TrainPhases, work: () => T): T => {
    const start = performance.now();
    try {
      return work();
    } finally {
      phases[phase] += performance.now() - start;
    }
  };
  const timedAsync = async <T>(phase: keyof TrainPhases, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] += performance.now() - start;
    }
  };
  const withPhases = (outcome: TrainOutcome): TrainOutcome => ({ ...outcome, phases });

  if (hooks.resume !== undefined) {
    const { dir, manifest } = hooks.resume;
    await timedAsync('resume', () => restoreCheckpoint(dir, manifest, model));
    step = manifest.step;
    random.state = manifest.random;
    data.restoreSampler(manifest.sampler);
  }

  let lastSampledStep = -1;
  const emitSamples = (): void => timed('samples', renderSamples);
  const renderSamples = (): void => {
    // Step 0 would only show the untrained model.
    if (hooks.preview === undefined || config.sampleCount === 0 || step === 0) return;
    if (lastSampledStep === step) return;
    lastSampledStep = step;
    const event = hooks.preview.render(step);
    if (event !== null) hooks.onEvent(event);
  };

  let lastValidatedStep = -1;
  const validate = (): void => timed('validation', validateNow);
  const validateNow = (): void => {
    if (config.validateEvery === 0 || data.validationCount === 0 || lastValidatedStep === step)
      return;
    lastValidatedStep = step;
    const batches = data.validationBatches(config.validationBatches);
    const sums: Metrics = {};
    try {
      for (const batch of batches) {
        for (const [name, value] of Object.entries(model.evaluate(batch))) {
          sums[name] = (sums[name] ?? 0) + value / batches.length;
        }
      }
    } finally {
      for (const batch of batches) data.disposeBatch(batch);
    }
    if (batches.length > 0) hooks.onEvent({ type: 'validation', step, metrics: sums });
  };

  let lastQuickStep = -1;
  const quickAtSamples = hooks.quickEvaluation?.atSamples === true;
  // At the validation points or the sample points (even where the version holds nothing out: text
  // is judged against its training text), timed so that a person can see what it costs the run;
  // none when validation is off.
  const quickEvaluate = (): void => timed('evaluation', quickEvaluateNow);
  const quickEvaluateNow = (): void => {
    const evaluator = hooks.quickEvaluation;
    if (evaluator === undefined || config.validateEvery === 0 || step === 0) return;
    if (lastQuickStep === step) return;
    lastQuickStep = step;
    const started = now();
    const metrics = evaluator.evaluate(step);
    hooks.onEvent({ type: 'quick-evaluation', step, metrics, ms: now() - started });
  };

  // The quick evaluation goes with the validation points, or with the sample points for an
  // evaluator that judges the preview's own draw.
  const atValidationPoint = (): void => {
    validate();
    if (!quickAtSamples) quickEvaluate();
  };
  const atSamplePoint = (): void => {
    emitSamples();
    if (quickAtSamples) quickEvaluate();
  };

  let lastCheckpointStep = hooks.resume?.manifest.step ?? -1;
  let lastCheckpointAt = now();
  // Every `checkpointEvery` steps, and by the clock, so that short-interval presets resume too.
  const checkpointDue = (at: number): boolean =>
    (config.checkpointEvery > 0 && step % config.checkpointEvery === 0) ||
    (config.checkpointEverySeconds > 0 &&
      at - lastCheckpointAt >= config.checkpointEverySeconds * 1000);
  const checkpoint = (): Promise<TrainOutcome | null> => timedAsync('checkpoints', checkpointNow);
  const checkpointNow = async (): Promise<TrainOutcome | null> => {
    const target = hooks.checkpoint;
    if (target === undefined || step === 0 || lastCheckpointStep === step) return null;
    try {
      await saveCheckpoint(target.dir, model, {
        family: target.family,
        config: target.config,
        training: config,
        step,
        random: random.state,
        sampler: data.samplerState(),
        data: target.data,
      });
    } catch (error) {
      return {
        status: 'failed',
        step,
        error: mlError(`The checkpoint could not be written to ${target.dir}: ${messageOf(error)}`),
      };
    }
    lastCheckpointStep = step;
    lastCheckpointAt = now();
    hooks.onEvent({ type: 'checkpoint', step, dir: target.dir });
    return null;
  };

  const startStep = step;
  const startedAt = now();
  let windowStart = startedAt;
  let lastProgressAt = -Infinity;
  let windowSteps = 0;
  let windowSums: Metrics = {};
  let learningRate = model.learningRate;
  const emitProgress = (at: number): void => timed('progress', () => progressNow(at));
  const progressNow = (at: number): void => {
    const windowMs = at - windowStart;
    const totalMs = at - startedAt;
    const stepsPerSecond =
      windowMs >= MIN_RATE_WINDOW_MS
        ? (windowSteps * 1000) / windowMs
        : totalMs > 0
          ? ((step - startStep) * 1000) / totalMs
          : 0;
    // Means over the steps since the last event: a throttled stream should not drop information.
    const metrics: Metrics = {};
    for (const [name, sum] of Object.entries(windowSums)) metrics[name] = sum / windowSteps;
    hooks.onEvent({ type: 'progress', step, totalSteps, stepsPerSecond, metrics, learningRate });
    lastProgressAt = at;
    windowStart = at;
    windowSteps = 0;
    windowSums = {};
  };

  while (step < totalSteps) {
    if (hooks.shouldStop()) {
      // Where it stopped is worth a last report, throttle or not.
      if (windowSteps > 0) emitProgress(now());
      emitSamples();
      return withPhases((await checkpoint()) ?? { status: 'stopped', step });
    }
    const stepStart = performance.now();
    const batch = data.nextBatch(draw);
    const scale = learningRateScale(config, step);
    let metrics: Metrics;
    try {
      metrics = model.trainStep(batch, { seed: nextSeed(draw), learningRateScale: scale });
    } finally {
      data.disposeBatch(batch);
      phases.steps += performance.now() - stepStart;
    }
    step++;
    learningRate = model.learningRate * scale;
    const diverged = divergedMetric(metrics);
    if (diverged !== null) {
      const details: Record<string, unknown> = { step };
      for (const [name, value] of Object.entries(metrics)) details[name] = String(value);
      return withPhases({
        status: 'failed',
        step,
        error: mlError(
          `Training diverged at step ${step}: the ${diverged} became ${String(metrics[diverged])}. ` +
            'Try a lower learning rate (or gradient clipping).',
          details,
        ),
      });
    }
    hooks.onStep?.(step, metrics);
    windowSteps++;
    for (const [name, value] of Object.entries(metrics)) {
      windowSums[name] = (windowSums[name] ?? 0) + value;
    }
    const at = now();
    if (
      step === totalSteps ||
      step === startStep + 1 ||
      at - lastProgressAt >= PROGRESS_INTERVAL_MS
    ) {
      emitProgress(at);
    }
    if (config.validateEvery > 0 && step % config.validateEvery === 0) atValidationPoint();
    if (step % config.sampleEvery === 0) atSamplePoint();
    if (checkpointDue(at)) {
      const failed = await checkpoint();
      if (failed !== null) return withPhases(failed);
    }
    // Lets the worker receive a 'stop' message between steps.
    await timedAsync('yield', () => yieldToEventLoop());
  }
  // The end of a run is both a validation point and a sample point.
  atValidationPoint();
  atSamplePoint();
  return withPhases((await checkpoint()) ?? { status: 'completed', step });
}
