import path from 'node:path';
import type {
  GenerateSamplesArgs,
  ModelPreset,
  RunDetail,
  RunEstimate,
  RunSummary,
  SampleView,
} from '../../preload/contract';
import type { StudioEventBus } from '../common/events';
import { notFound, StudioFailure } from '../common/failure';
import type { DatasetRepository } from '../datasets/datasetRepository';
import type { PrepareService } from '../datasets/prepare/prepareService';
import type { TrainingData } from '../datasets/prepare/trainingData';
import type { MlHost } from '../ml/host';
import { MODEL_PRESETS, storedRunConfig, type RunConfig } from '../ml/config/presets';
import type { EstimateRequest, JobEvent } from '../ml/protocol';
import type { QuickEvaluation } from '../evaluation/evaluationService';
import type { RunTiming } from './runTiming';
import { evaluateCompletedRun } from './evaluateAtEnd';
import { recordQuickEvaluation } from './quickEvaluationRecorder';
import type { AlarmRepository } from './alarmRepository';
import { judgeDataSufficiency } from './dataSufficiency';
import { checkRunStart } from './runStartCheck';
import { generateFromCheckpoint } from './generateSamples';
import type { RunRepository } from './runRepository';
import { RunWatch } from './runWatch';
import { classNamesOf, trainingBatch } from './sampleProvenance';
import {
  imageOptions,
  resolveRunConfig,
  storedDataChoice,
  syntheticData,
  type RunDataChoice,
} from './runDataOptions';
import { removeSamplesAfter, writeImageSamples, writeTextSamples } from './sampleWriter';
import { buildTrainJob, validationNote } from './trainingJob';

export interface RunServiceDeps {
  dataDir: string;
  runs: RunRepository;
  datasets: DatasetRepository;
  ml: MlHost;
  events: StudioEventBus;
  /** The version's training data, and its shape alone (which decodes nothing) for estimates. */
  prepare: Pick<PrepareService, 'loadTrainingData' | 'trainingShape'>;
  alarms: AlarmRepository;
  /** Judges a completed run (issue 11); a failure becomes the run's note, never a failed run. */
  evaluateAtEnd?: (runId: number) => Promise<unknown>;
  /** The synthetic items of a version, per class (the run view shows them). */
  syntheticPerClass: (versionId: number) => { label: string | null; count: number }[];
  /** What a run evaluates at each validation point (issue 11); none when absent. */
  quickEvaluation?: (data: TrainingData) => Promise<QuickEvaluation | undefined>;
}

export interface StartRunArgs {
  datasetId: number;
  presetId: string;
  versionId?: number;
  steps?: number;
  /** The training seed (default: the preset's); two runs with one seed draw the same noise. */
  seed?: number;
  /** Evaluate the final checkpoint once training completes (default true). */
  evaluateAtEnd?: boolean;
  /** Train on the version's synthetic items too (default true). */
  includeSynthetic?: boolean;
}

/**
 * Starts, follows, stops and resumes training runs of every model family: a run is recorded before
 * any work, its metrics, samples and checkpoints are written as they arrive, and its end state
 * (completed, stopped, failed) is always written, so the history never shows a run that is not
 * really going on.
 */
export class RunService {
  private readonly active = new Map<number, { stop(): void; done: Promise<void> }>();
  /** Where each run's last training in this process spent its time (bench:run reads it). */
  private readonly timings = new Map<number, RunTiming>();
  private readonly resuming = new Set<number>();

  constructor(private readonly deps: RunServiceDeps) {}

  presets(): ModelPreset[] {
    return MODEL_PRESETS;
  }

  async start(args: StartRunArgs): Promise<RunSummary> {
    const { preset, versionId, datasetId } = checkRunStart(this.deps.datasets, args);
    const choice: RunDataChoice = { includeSynthetic: args.includeSynthetic ?? true };
    const { run, loadOptions } = await resolveRunConfig(
      this.deps.prepare,
      preset,
      versionId,
      args.steps,
      choice,
      args.seed,
    );
    const data = await this.deps.prepare.loadTrainingData(versionId, loadOptions);
    const runId = this.deps.runs.create({
      datasetId,
      versionId,
      family: preset.family,
      presetId: preset.id,
      config: { family: run.family, config: run.config, training: run.training, data: choice },
      totalSteps: run.training.steps,
    });
    const summary = this.summary(runId);
    this.deps.events.emit('runs:status', summary);
    this.launch(runId, run, data, undefined, args.evaluateAtEnd ?? true);
    return summary;
  }

  /** Continues a stopped, interrupted or finished run from its newest checkpoint. */
  async resume(runId: number, steps?: number): Promise<RunSummary> {
    // Resuming awaits the data: a second press meanwhile must not start the run twice.
    if (this.active.has(runId) || this.resuming.has(runId)) {
      throw new StudioFailure('conflict', `Run ${runId} is already training.`);
    }
    this.resuming.add(runId);
    try {
      return await this.resumeFromCheckpoint(runId, steps);
    } finally {
      this.resuming.delete(runId);
    }
  }

  private async resumeFromCheckpoint(runId: number, steps?: number): Promise<RunSummary> {
    const summary = this.summary(runId);
    const checkpoint = this.deps.runs.checkpointDir(runId);
    if (!checkpoint) {
      throw new StudioFailure(
        'invalid-input',
        `Run ${runId} has no checkpoint to resume from; start a new run instead.`,
      );
    }
    const storedConfig = this.deps.runs.config(runId);
    const stored = storedRunConfig(storedConfig);
    const totalSteps = steps ?? summary.totalSteps;
    if (totalSteps <= (summary.checkpointStep ?? 0)) {
      throw new StudioFailure(
        'invalid-input',
        `Run ${runId} already reached step ${summary.checkpointStep}; give more steps to go on.`,
      );
    }
    const run: RunConfig = { ...stored, training: { ...stored.training, steps: totalSteps } };
    const data = await this.deps.prepare.loadTrainingData(
      summary.versionId,
      imageOptions(run, storedDataChoice(storedConfig)),
    );
    // Training redoes the steps after the checkpoint: what they left is dropped, not duplicated.
    const from = summary.checkpointStep ?? 0;
    const dropped = this.deps.runs.restartFromCheckpoint(runId, from, totalSteps);
    this.deps.alarms.dropAfter(runId, from);
    try {
      await removeSamplesAfter(this.deps.dataDir, runId, from, dropped);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.runs.finish(runId, 'failed', from, `Old samples could not be removed: ${message}`);
      throw new StudioFailure('io', `Run ${runId} cannot resume: ${message}`);
    }
    const restarted = this.summary(runId);
    this.deps.events.emit('runs:status', restarted);
    this.launch(runId, run, data, path.join(this.deps.dataDir, checkpoint));
    return restarted;
  }

  /** Parameters, memory and the measured time per step of a preset on a dataset's newest version. */
  async estimate(args: StartRunArgs): Promise<RunEstimate> {
    const { datasetId, presetId, includeSynthetic = true } = args;
    const { preset, versionId } = checkRunStart(this.deps.datasets, args);
    // From the version's rows and settings: an estimate decodes no image.
    const { prepare } = this.deps;
    const { run, shape } = await resolveRunConfig(prepare, preset, versionId, undefined, {
      includeSynthetic,
    });
    const estimate = await this.deps.ml.estimate({
      jobId: `estimate-${datasetId}-${presetId}-${Date.now()}`,
      family: run.family,
      config: run.config,
    } as EstimateRequest);
    return {
      presetId,
      backend: estimate.backend,
      parameters: estimate.parameters,
      batchSize: estimate.batchSize,
      memoryBytes: estimate.memory.totalBytes,
      msPerStep: estimate.msPerStep,
      totalSeconds: (estimate.msPerStep * run.training.steps) / 1000,
      dataCheck: judgeDataSufficiency(run, estimate.parameters, shape),
    };
  }

  /**
   * New samples from a run's newest checkpoint, stored at that checkpoint's step like the ones
   * drawn during training (with indices after them, so nothing is overwritten).
   */
  async generate(args: GenerateSamplesArgs): Promise<SampleView[]> {
    return generateFromCheckpoint(
      this.deps,
      this.summary(args.runId),
      this.classNames(args.runId),
      args,
    );
  }

  async stop(runId: number): Promise<RunSummary> {
    const handle = this.active.get(runId);
    if (handle) {
      handle.stop();
      await handle.done;
    }
    return this.summary(runId);
  }

  /** Whether the run is training (or about to) in this process. */
  isTraining(runId: number): boolean {
    return this.active.has(runId);
  }

  /** Resolves when the run has ended (for the CLI and tests). */
  async waitFor(runId: number): Promise<RunSummary> {
    await this.active.get(runId)?.done;
    return this.summary(runId);
  }

  /** The worker loop's phases and the main thread's finishing of the run's last training here. */
  timing(runId: number): RunTiming | undefined {
    return this.timings.get(runId);
  }

  list(datasetId?: number): RunSummary[] {
    return this.deps.runs.list(datasetId);
  }

  get(runId: number): RunDetail {
    const summary = this.summary(runId);
    const config = this.deps.runs.config(runId);
    return {
      ...summary,
      config,
      metrics: this.deps.runs.metrics(runId),
      synthetic: syntheticData(config, this.deps.syntheticPerClass(summary.versionId)),
    };
  }

  private classNames(runId: number): (string | null)[] {
    return classNamesOf(this.deps.runs.versionLabels(this.summary(runId).versionId));
  }

  summary(runId: number): RunSummary {
    const run = this.deps.runs.get(runId);
    if (!run) throw notFound(`Run ${runId}`);
    return run;
  }

  /** Stops every run (the studio is closing); their state is written before this resolves. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id)));
  }

  /**
   * Resolves the run's configs once, from the preset and the version's shape (which decodes
   * nothing), and says how to load its data to match. Convolutional models train at the version's
   * own size when they can (28–64 px, a multiple of 4), else at the preset's; the dense VAE
   * always at the preset's.
   */
  private launch(
    runId: number,
    run: RunConfig,
    data: TrainingData,
    resumeFrom?: string,
    evaluateAtEnd = true,
  ): void {
    const { runs, events, ml, dataDir } = this.deps;
    const seed = run.training.seed;
    const checkpointRelative = path.join('runs', String(runId), 'checkpoints');
    let stopRequested = false;
    let stopTraining: (() => void) | null = null;
    let lastStep = 0;
    // The first write that failed (a sample file, a row, a metric): the run ends 'failed' with it.
    // Every write is caught here, so none is an unhandled rejection that takes the process down.
    let writeFailure: string | null = null;
    const failWrite = (what: string, error: unknown): void => {
      writeFailure ??= `${what}: ${error instanceof Error ? error.message : String(error)}`;
      stopRequested = true;
      stopTraining?.();
    };
    const pendingWrites: Promise<void>[] = [];
    let quick: QuickEvaluation | undefined;
    const watch = new RunWatch(runId, run.family, {
      dataDir,
      alarms: this.deps.alarms,
      events,
      runs,
    });
    const saveSamples = (
      step: number,
      write: Promise<Parameters<RunRepository['addSamples']>[1]>,
    ) =>
      pendingWrites.push(
        write
          .then((rows) => {
            const sampleIds = runs.addSamples(runId, rows);
            events.emit('samples:added', { runId, step, sampleIds });
          })
          .catch((error: unknown) =>
            failWrite(`The samples of step ${step} could not be saved`, error),
          ),
      );

    const onEvent = (event: JobEvent): void => {
      try {
        recordEvent(event);
      } catch (error) {
        failWrite(
          `The ${event.type} of step ${'step' in event ? event.step : '?'} could not be saved`,
          error,
        );
      }
    };
    const recordEvent = (event: JobEvent): void => {
      switch (event.type) {
        case 'progress': {
          lastStep = event.step;
          const metrics =
            event.learningRate === undefined
              ? event.metrics
              : { ...event.metrics, learningRate: event.learningRate };
          runs.recordProgress(runId, event.step, metrics);
          watch.observe(event.step, metrics);
          const remaining = event.totalSteps - event.step;
          events.emit('runs:progress', {
            runId,
            step: event.step,
            totalSteps: event.totalSteps,
            stepsPerSecond: event.stepsPerSecond,
            etaSeconds: event.stepsPerSecond > 0 ? remaining / event.stepsPerSecond : null,
            metrics,
          });
          break;
        }
        case 'validation': {
          // Stored beside the training metrics as `val_<name>`, so one chart can show both.
          const metrics = Object.fromEntries(
            Object.entries(event.metrics).map(([name, value]) => [`val_${name}`, value]),
          );
          runs.recordProgress(runId, event.step, metrics);
          watch.observe(event.step, metrics);
          break;
        }
        case 'samples':
        case 'text-samples': {
          if (event.type === 'samples') watch.observeSamples(event.step, event.images);
          const batch = trainingBatch(
            seed,
            data.kind,
            event.type === 'samples' ? event.labels : undefined,
            data.classNames,
          );
          const write =
            event.type === 'samples'
              ? writeImageSamples(dataDir, runId, event.step, event.images, 0, batch)
              : writeTextSamples(dataDir, runId, event.step, event.texts, 0, batch);
          saveSamples(event.step, write);
          break;
        }
        case 'quick-evaluation':
        case 'feature-network': {
          const caching = recordQuickEvaluation(runId, event, { runs, watch, quick });
          if (caching) pendingWrites.push(caching);
          break;
        }
        case 'checkpoint':
          runs.setCheckpoint(runId, path.relative(dataDir, event.dir), event.step);
          pendingWrites.push(watch.checkpointWritten(event.step, event.dir));
          // The run panel shows when the last checkpoint was taken.
          events.emit('runs:status', this.summary(runId));
          break;
      }
    };

    const train = async (): Promise<void> => {
      try {
        if (stopRequested) {
          runs.finish(runId, 'stopped', 0, 'Stopped before training began.');
          return;
        }
        const backend = await ml.backend();
        const note = validationNote(data);
        runs.markStarted(runId, backend.active, note);
        events.emit('runs:status', this.summary(runId));
        quick = await this.deps.quickEvaluation?.(data);
        const job = ml.train(
          buildTrainJob(`run-${runId}`, run, data, {
            checkpointDir: path.join(dataDir, checkpointRelative),
            resumeFrom,
            quickEvaluation: quick?.spec,
          }),
          onEvent,
        );
        stopTraining = job.stop;
        if (stopRequested) job.stop();
        const outcome = await job.done;
        const finishingFrom = performance.now();
        await Promise.all(pendingWrites);
        const step = Math.max(outcome.step, lastStep);
        if (writeFailure !== null) runs.finish(runId, 'failed', step, writeFailure);
        else if (outcome.status === 'completed') {
          runs.finish(runId, 'completed', step, note);
          if (evaluateAtEnd) {
            await evaluateCompletedRun(runId, { runs, events, evaluate: this.deps.evaluateAtEnd });
          }
        } else if (outcome.status === 'stopped') {
          runs.finish(runId, 'stopped', step, outcome.error?.message ?? `Stopped at step ${step}.`);
        } else {
          runs.finish(runId, 'failed', step, outcome.error?.message ?? 'Training failed.');
        }
        if (outcome.phases !== undefined) {
          this.timings.set(runId, {
            worker: outcome.phases,
            finishingMs: performance.now() - finishingFrom,
          });
        }
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        runs.finish(runId, 'failed', lastStep, `Training could not run: ${message}`);
      } finally {
        this.active.delete(runId);
        events.emit('runs:status', this.summary(runId));
      }
    };
    // Even the last resort (the database itself failing) must not become an unhandled rejection.
    const done = train().catch((error: unknown) => {
      console.error(`Run ${runId} could not record its end:`, error);
    });
    this.active.set(runId, {
      stop: () => {
        stopRequested = true;
        stopTraining?.();
      },
      done,
    });
  }
}
