import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ModelPreset, RunDetail, RunSummary } from '../../preload/contract';
import type { StudioEventBus } from '../core/eventBus';
import { notFound, StudioFailure } from '../core/failure';
import type { DatasetRepository } from '../datasets/datasetRepository';
import { loadTrainingImages, trainingChannels } from '../datasets/trainingImages';
import type { MlHost } from '../ml/host';
import { configFromPreset, MODEL_PRESETS } from '../ml/presets';
import type { GeneratedImage, TrainEvent } from '../ml/protocol';
import type { BlobStore } from '../store/blobStore';
import type { RunRepository } from './runRepository';

export interface RunServiceDeps {
  dataDir: string;
  runs: RunRepository;
  datasets: DatasetRepository;
  blobs: BlobStore;
  ml: MlHost;
  events: StudioEventBus;
}

export interface StartRunArgs {
  datasetId: number;
  presetId: string;
  versionId?: number;
  steps?: number;
}

/** Samples drawn at each sampling point. */
const SAMPLE_COUNT = 16;

/**
 * Starts, follows and stops training runs: a run is recorded before any work, its metrics and
 * samples are written as they arrive, and its end state (completed, stopped, failed) is always
 * written, so the history never shows a run that is not really going on.
 */
export class RunService {
  private readonly active = new Map<number, { stop(): void; done: Promise<void> }>();

  constructor(private readonly deps: RunServiceDeps) {}

  presets(): ModelPreset[] {
    return MODEL_PRESETS;
  }

  async start(args: StartRunArgs): Promise<RunSummary> {
    const { datasets, runs } = this.deps;
    const dataset = datasets.get(args.datasetId);
    if (!dataset) throw notFound(`Dataset ${args.datasetId}`);
    const versionId = args.versionId ?? dataset.latestVersionId;
    if (!datasets.versionBelongsTo(versionId, dataset.id)) {
      throw notFound(`Version ${versionId} of dataset "${dataset.name}"`);
    }
    const preset = MODEL_PRESETS.find((p) => p.id === args.presetId);
    if (!preset) {
      throw new StudioFailure('invalid-input', `Unknown model preset "${args.presetId}".`, {
        known: MODEL_PRESETS.map((p) => p.id),
      });
    }
    if (dataset.itemCount === 0) {
      throw new StudioFailure(
        'invalid-input',
        `Dataset "${dataset.name}" has no usable images; import a folder with images first.`,
      );
    }
    const channels = trainingChannels(datasets.channelsIn(versionId));
    const config = configFromPreset(preset, channels, args.steps);
    const runId = runs.create({
      datasetId: dataset.id,
      versionId,
      family: preset.family,
      presetId: preset.id,
      config: { ...config, sampleEvery: preset.sampleEvery },
      totalSteps: config.steps,
    });
    const summary = this.summary(runId);
    this.deps.events.emit('runs:status', summary);
    this.launch(runId, preset, config);
    return summary;
  }

  async stop(runId: number): Promise<RunSummary> {
    const handle = this.active.get(runId);
    if (handle) {
      handle.stop();
      await handle.done;
    }
    return this.summary(runId);
  }

  /** Resolves when the run has ended (for the CLI and tests). */
  async waitFor(runId: number): Promise<RunSummary> {
    await this.active.get(runId)?.done;
    return this.summary(runId);
  }

  list(datasetId?: number): RunSummary[] {
    return this.deps.runs.list(datasetId);
  }

  get(runId: number): RunDetail {
    const summary = this.summary(runId);
    return {
      ...summary,
      config: this.deps.runs.config(runId),
      metrics: this.deps.runs.metrics(runId),
    };
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

  private launch(
    runId: number,
    preset: ModelPreset,
    config: ReturnType<typeof configFromPreset>,
  ): void {
    const { runs, events, ml } = this.deps;
    let stopRequested = false;
    let stopTraining: (() => void) | null = null;
    let lastStep = 0;
    const run = async (): Promise<void> => {
      try {
        const summary = this.summary(runId);
        const data = await loadTrainingImages(
          this.deps.datasets,
          this.deps.blobs,
          summary.versionId,
          config.imageSize,
        );
        if (stopRequested) {
          runs.finish(runId, 'stopped', 0, 'Stopped before training began.');
          return;
        }
        const backend = await ml.backend();
        runs.markStarted(runId, backend.active);
        events.emit('runs:status', this.summary(runId));
        const samplesWritten: Promise<void>[] = [];
        const job = ml.train(
          {
            jobId: `run-${runId}`,
            family: preset.family,
            config,
            data,
            sampleEvery: preset.sampleEvery,
            sampleCount: SAMPLE_COUNT,
          },
          (event: TrainEvent) => {
            if (event.type === 'progress') {
              lastStep = event.step;
              runs.recordProgress(runId, event.step, event.metrics);
              const remaining = event.totalSteps - event.step;
              events.emit('runs:progress', {
                runId,
                step: event.step,
                totalSteps: event.totalSteps,
                stepsPerSecond: event.stepsPerSecond,
                etaSeconds: event.stepsPerSecond > 0 ? remaining / event.stepsPerSecond : null,
                metrics: event.metrics,
              });
            } else {
              samplesWritten.push(this.saveSamples(runId, event.step, event.images));
            }
          },
        );
        stopTraining = job.stop;
        if (stopRequested) job.stop();
        const outcome = await job.done;
        await Promise.all(samplesWritten);
        const step = Math.max(outcome.step, lastStep);
        if (outcome.status === 'completed') runs.finish(runId, 'completed', step, null);
        else if (outcome.status === 'stopped') {
          runs.finish(runId, 'stopped', step, outcome.error?.message ?? `Stopped at step ${step}.`);
        } else {
          runs.finish(runId, 'failed', step, outcome.error?.message ?? 'Training failed.');
        }
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        runs.finish(runId, 'failed', lastStep, `Training could not run: ${message}`);
      } finally {
        this.active.delete(runId);
        events.emit('runs:status', this.summary(runId));
      }
    };
    const done = run();
    this.active.set(runId, {
      stop: () => {
        stopRequested = true;
        stopTraining?.();
      },
      done,
    });
  }

  private async saveSamples(runId: number, step: number, images: GeneratedImage[]): Promise<void> {
    const relativeDir = path.join('runs', String(runId), 'samples');
    await fs.mkdir(path.join(this.deps.dataDir, relativeDir), { recursive: true });
    const rows = await Promise.all(
      images.map(async (image, index) => {
        const filePath = path.join(
          relativeDir,
          `step-${String(step).padStart(6, '0')}-${String(index).padStart(2, '0')}.png`,
        );
        await sharp(image.pixels, {
          raw: { width: image.width, height: image.height, channels: image.channels as 1 | 3 },
        })
          .png()
          .toFile(path.join(this.deps.dataDir, filePath));
        return { step, index, filePath, width: image.width, height: image.height };
      }),
    );
    const sampleIds = this.deps.runs.addSamples(runId, rows);
    this.deps.events.emit('samples:added', { runId, step, sampleIds });
  }
}
