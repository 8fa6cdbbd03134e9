// Judges a run at its newest checkpoint against the dataset version it trained on (issue 11):
// loads the version's data as the run saw it, reuses the version's cached feature network (or
// has the worker train it once and caches it), asks the ML worker for every figure, and stores
// them twice: as eval_* run metrics at the checkpoint's step (charted beside the loss) and as one
// JSON document per step under runs/<id>/evaluations/ with the per-sample evidence the run view
// shows (nearest training items, copied stretches) and what it cost. The samples it judged join
// the gallery (at the checkpoint's step) with that evidence beside them (sample_evaluations).

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EvaluationCost, RunEvaluation, RunSummary } from '../../preload/contract';
import { notFound, StudioFailure } from '../common/failure';
import type {
  ImageTrainingData,
  TextTrainingData,
  TrainingData,
  TrainingDataOptions,
} from '../datasets/prepare/trainingData';
import type { MlHost } from '../ml/host';
import type { EvaluateResult, QuickEvaluationSpec } from '../ml/protocol';
import type { RunRepository } from '../runs/runRepository';
import { writeImageSamples, writeTextSamples } from '../runs/sampleWriter';
import { writeFileAtomic } from '../store/atomicWrite';
import {
  featureNetworkKey,
  readFeatureNetwork,
  writeFeatureNetwork,
  type FeatureNetworkWeights,
} from './featureNetworkStore';
import type { NewSampleEvidence, SampleEvidenceRepository } from './sampleEvidence';

export interface EvaluationServiceDeps {
  dataDir: string;
  runs: RunRepository;
  /** Where each judged sample's evidence is kept for the gallery. */
  evidence: SampleEvidenceRepository;
  ml: MlHost;
  loadTrainingData(versionId: number, options?: TrainingDataOptions): Promise<TrainingData>;
  /** The blob of a dataset item, for the nearest training item's thumbnail. */
  itemBlob(itemId: number): string | null;
  /** Defaults sized so an evaluation takes seconds on a CPU; tests shrink them. */
  imageSamples?: number;
  textSamples?: number;
  featureNetworkSteps?: number;
  quickImageSamples?: number;
  /** The quick evaluation at each validation point (default true; off to measure its cost). */
  inRun?: boolean;
}

/** The same noise every time, so evaluations of one run compare across checkpoints. */
export const EVALUATION_SEED = 1234;
/**
 * The quick in-run evaluation's image sample count: small enough that it adds a few percent to a
 * run (scripts/bench-quick-eval.ts measures it), large enough for k-NN figures with k = 5. Text
 * judges the run's own preview texts, so it generates nothing extra where they coincide.
 */
export const QUICK_IMAGE_SAMPLES = 64;

/** A quick evaluation for the training job, and how to keep the feature network it may train. */
export interface QuickEvaluation {
  spec: QuickEvaluationSpec;
  cache(weights: FeatureNetworkWeights): Promise<void>;
}
const PREVIEWS = 8;
/** The feature network every evaluation of a version shares (also the common judge's). */
export const FEATURE_EMBEDDING = 64;
export const FEATURE_SEED = 1;
export const FEATURE_NETWORK_STEPS = 300;
/** How evaluation texts are drawn, sent explicitly so their provenance in the gallery is true. */
const TEXT_SAMPLING = { prompt: '', temperature: 0.8, topK: 0, topP: 0.95 } as const;

export interface StoredRunConfig {
  family: string;
  config: { imageSize?: number; channels?: number };
}

export class EvaluationService {
  constructor(private readonly deps: EvaluationServiceDeps) {}

  /** Evaluates the run's newest checkpoint; `step`, when given, must be that checkpoint's. */
  async evaluate(runId: number, step?: number): Promise<RunEvaluation> {
    const { runs, dataDir } = this.deps;
    const summary = runs.get(runId);
    if (!summary) throw notFound(`Run ${runId}`);
    const checkpoint = runs.checkpointDir(runId);
    if (!checkpoint || summary.checkpointStep === null) {
      throw new StudioFailure('invalid-input', `Run ${runId} has no checkpoint to evaluate yet.`);
    }
    if (step !== undefined && step !== summary.checkpointStep) {
      throw new StudioFailure(
        'invalid-input',
        `Run ${runId} keeps only its newest checkpoint (step ${summary.checkpointStep}); evaluate that one.`,
        { checkpointStep: summary.checkpointStep },
      );
    }
    const started = Date.now();
    const stored = runs.config(runId) as unknown as StoredRunConfig;
    const data = await this.deps.loadTrainingData(summary.versionId, dataOptions(stored));
    const jobId = `evaluate-${runId}-${Date.now()}`;
    const dir = path.join(dataDir, checkpoint);
    const backend = await this.deps.ml.backend();
    let evaluation: RunEvaluation;
    if (data.kind === 'image') {
      evaluation = await this.evaluateImages(summary, data, jobId, dir);
    } else {
      evaluation = await this.evaluateText(summary, data, jobId, dir);
    }
    evaluation.cost.backend = backend.active;
    evaluation.cost.threads = backend.threads;
    evaluation.cost.evaluationSeconds = (Date.now() - started) / 1000;
    runs.recordProgress(runId, evaluation.step, {
      ...evaluation.metrics,
      ...costMetrics(evaluation.cost),
    });
    await writeFileAtomic(
      path.join(this.evaluationsDir(runId), fileName(evaluation.step)),
      new TextEncoder().encode(JSON.stringify(evaluation, null, 1)),
    );
    return evaluation;
  }

  /** The newest stored evaluation (highest step), or null. */
  async latest(runId: number): Promise<RunEvaluation | null> {
    if (!this.deps.runs.get(runId)) throw notFound(`Run ${runId}`);
    let names: string[];
    try {
      names = await fs.readdir(this.evaluationsDir(runId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const newest = names
      .filter((n) => /^step-\d+\.json$/.test(n))
      .sort()
      .pop();
    if (newest === undefined) return null;
    const text = await fs.readFile(path.join(this.evaluationsDir(runId), newest), 'utf8');
    return JSON.parse(text) as RunEvaluation;
  }

  /**
   * What a run on `data` evaluates at each validation point (issue 11), and where the feature
   * network the worker may train for it is cached: the very network (same folder, same options)
   * the end evaluation and every other run on the version use, so it is trained once per version
   * and size, at the start of the first run instead of at its end.
   */
  async quickEvaluationFor(data: TrainingData): Promise<QuickEvaluation | undefined> {
    if (this.deps.inRun === false) return undefined;
    if (data.kind === 'text') {
      return {
        spec: { kind: 'text' },
        cache: async () => {},
      };
    }
    const networkDir = this.featureNetworkDir(data);
    const cached = await readFeatureNetwork(networkDir);
    const classify = classifiesItems(data);
    return {
      spec: {
        kind: 'images',
        sampleCount: this.deps.quickImageSamples ?? QUICK_IMAGE_SAMPLES,
        seed: EVALUATION_SEED,
        classCount: classify ? data.classCount : 0,
        ...(classify ? { trainLabels: data.train.labels } : {}),
        ...(cached ? { featureNetwork: cached } : {}),
        featureNetworkOptions: this.featureNetworkOptions(),
      },
      cache: (weights) => writeFeatureNetwork(networkDir, weights),
    };
  }

  private featureNetworkSteps(): number {
    return this.deps.featureNetworkSteps ?? FEATURE_NETWORK_STEPS;
  }

  private featureNetworkOptions() {
    return {
      steps: this.featureNetworkSteps(),
      embeddingDim: FEATURE_EMBEDDING,
      seed: FEATURE_SEED,
    };
  }

  private featureNetworkDir(data: ImageTrainingData): string {
    const { height, width, channels } = data.train;
    return path.join(
      this.deps.dataDir,
      'cache',
      'features',
      String(data.versionId),
      featureNetworkKey({ height, width, channels }, this.featureNetworkOptions()),
    );
  }

  private evaluationsDir(runId: number): string {
    return path.join(this.deps.dataDir, 'runs', String(runId), 'evaluations');
  }

  private async evaluateImages(
    summary: RunSummary,
    data: ImageTrainingData,
    jobId: string,
    checkpoint: string,
  ): Promise<RunEvaluation> {
    const networkDir = this.featureNetworkDir(data);
    const cached = await readFeatureNetwork(networkDir);
    const classify = classifiesItems(data);
    const sampleCount = this.deps.imageSamples ?? 256;
    const result = await this.deps.ml.evaluate({
      jobId,
      kind: 'images',
      checkpoint,
      train: data.train,
      validation: data.validation,
      classCount: classify ? data.classCount : 0,
      ...(classify
        ? { trainLabels: data.train.labels, validationLabels: data.validation.labels }
        : {}),
      ...(cached ? { featureNetwork: cached } : {}),
      featureNetworkOptions: this.featureNetworkOptions(),
      sampleCount,
      seed: EVALUATION_SEED,
      previewCount: PREVIEWS,
    });
    if (result.kind !== 'images') throw new StudioFailure('internal', 'Expected image figures.');
    if (result.trainedFeatureNetwork) {
      await writeFeatureNetwork(networkDir, result.trainedFeatureNetwork as FeatureNetworkWeights);
    }
    const sampleIds = await this.storePreviews(summary.id, result);
    const report = result.evaluation;
    const blobOf = (trainIndex: number | undefined) => {
      const itemId = trainIndex === undefined ? -1 : (data.train.itemIds[trainIndex] ?? -1);
      return { itemId, blobSha: itemId >= 0 ? this.deps.itemBlob(itemId) : null };
    };
    // The root-mean-square difference per pixel value (values in [0, 1]): 0 is the same image.
    const pixelValues = data.train.height * data.train.width * data.train.channels;
    const classes = result.previewClasses;
    const imageSamples = sampleIds.map((sampleId, i) => {
      const neighbour = report.memorisation.samples[i];
      const nearest = blobOf(neighbour?.trainIndex);
      const pixel = blobOf(neighbour?.pixelTrainIndex);
      return {
        sampleId,
        nearestItemId: nearest.itemId,
        nearestBlobSha: nearest.blobSha,
        distanceRatio: neighbour?.relativeDistance ?? Number.NaN,
        nearCopy: neighbour?.nearCopy ?? false,
        featureDistance: neighbour?.distance ?? Number.NaN,
        pixelNearestItemId: pixel.itemId,
        pixelNearestBlobSha: pixel.blobSha,
        pixelRms:
          neighbour?.pixelDistance === undefined
            ? Number.NaN
            : neighbour.pixelDistance / Math.sqrt(pixelValues),
      };
    });
    // The classifier's view of each preview, by label (a later version may number classes anew).
    const predictedClass = (i: number) => {
      const c = classes?.predicted[i];
      const label = c === undefined ? null : (data.classNames[c] ?? null);
      return label === null || classes === undefined
        ? {}
        : {
            predictedLabel: label,
            predictedConfidence: classes.confidence[i] ?? null,
            classifierAccuracy: classes.validationAccuracy,
            classifierChance: classes.validationChance,
          };
    };
    this.deps.evidence.record(
      imageSamples.map((s, i): NewSampleEvidence => ({
        kind: 'image',
        sampleId: s.sampleId,
        step: result.step,
        nearestItemId: s.nearestItemId >= 0 ? s.nearestItemId : null,
        nearestBlobSha: s.nearestBlobSha,
        featureDistance: s.featureDistance,
        distanceRatio: s.distanceRatio,
        nearCopy: s.nearCopy,
        pixelItemId: s.pixelNearestItemId >= 0 ? s.pixelNearestItemId : null,
        pixelBlobSha: s.pixelNearestBlobSha,
        pixelRms: s.pixelRms,
        ...predictedClass(i),
      })),
    );
    return {
      ...this.base(summary, result, 'image', sampleCount),
      missingClasses: (report.classes?.missingClasses ?? []).map((c) =>
        String(data.classNames[c] ?? c),
      ),
      imageSamples,
      textSamples: [],
      featureNetworkCached: cached !== null,
    };
  }

  /** The first evaluated samples as gallery samples at the checkpoint's step. */
  private async storePreviews(runId: number, result: EvaluateResult): Promise<number[]> {
    if (result.kind !== 'images' || result.previews.length === 0) return [];
    const first = this.deps.runs.nextSampleIndex(runId, result.step);
    const rows = await writeImageSamples(
      this.deps.dataDir,
      runId,
      result.step,
      result.previews,
      first,
      { origin: 'grid', seed: EVALUATION_SEED },
    );
    return this.deps.runs.addSamples(runId, rows);
  }

  /** The evaluated texts as gallery samples at the checkpoint's step, drawn as TEXT_SAMPLING. */
  private async storeTexts(runId: number, step: number, texts: string[]): Promise<number[]> {
    if (texts.length === 0) return [];
    const first = this.deps.runs.nextSampleIndex(runId, step);
    const rows = await writeTextSamples(this.deps.dataDir, runId, step, texts, first, {
      origin: 'text',
      seed: EVALUATION_SEED,
      ...TEXT_SAMPLING,
    });
    return this.deps.runs.addSamples(runId, rows);
  }

  private async evaluateText(
    summary: RunSummary,
    data: TextTrainingData,
    jobId: string,
    checkpoint: string,
  ): Promise<RunEvaluation> {
    const decode = (tokens: Int32Array): string =>
      Array.from(tokens, (t) => data.vocabulary[t] ?? '').join('');
    const sampleCount = this.deps.textSamples ?? 16;
    const validationText = decode(data.validation.tokens);
    const result = await this.deps.ml.evaluate({
      jobId,
      kind: 'text',
      checkpoint,
      trainingText: decode(data.train.tokens),
      ...(validationText.length > 1 ? { validationText } : {}),
      sampleCount,
      seed: EVALUATION_SEED,
      sampling: TEXT_SAMPLING,
    });
    if (result.kind !== 'text') throw new StudioFailure('internal', 'Expected text figures.');
    const copies = result.samples.map(
      (_, i) =>
        result.evaluation.longestCopies[i] ?? {
          start: 0,
          end: 0,
        },
    );
    const sampleIds = await this.storeTexts(summary.id, result.step, result.samples);
    this.deps.evidence.record(
      sampleIds.map((sampleId, i) => ({
        kind: 'text' as const,
        sampleId,
        step: result.step,
        copyStart: copies[i]?.start ?? 0,
        copyEnd: copies[i]?.end ?? 0,
      })),
    );
    return {
      ...this.base(summary, result, 'text', sampleCount),
      missingClasses: [],
      imageSamples: [],
      textSamples: result.samples.map((text, i) => ({
        text,
        copyStart: copies[i]?.start ?? 0,
        copyEnd: copies[i]?.end ?? 0,
        ...(sampleIds[i] === undefined ? {} : { sampleId: sampleIds[i] }),
      })),
      featureNetworkCached: false,
    };
  }

  private base(
    summary: RunSummary,
    result: EvaluateResult,
    kind: 'image' | 'text',
    sampleCount: number,
  ): Omit<
    RunEvaluation,
    'missingClasses' | 'imageSamples' | 'textSamples' | 'featureNetworkCached'
  > {
    const wallSeconds =
      summary.startedAt && summary.endedAt
        ? (Date.parse(summary.endedAt) - Date.parse(summary.startedAt)) / 1000
        : null;
    const cost: EvaluationCost = {
      wallSeconds,
      stepsPerSecond: wallSeconds && wallSeconds > 0 ? summary.step / wallSeconds : null,
      backend: '',
      threads: null,
      parameters: result.cost.parameters,
      msPerSample: result.cost.msPerSample,
      msPerCharacter: result.cost.msPerCharacter ?? null,
      memoryBytes: result.cost.memoryBytes,
      evaluationSeconds: 0,
    };
    return {
      runId: summary.id,
      versionId: summary.versionId,
      datasetId: summary.datasetId,
      step: result.step,
      kind,
      createdAt: new Date().toISOString(),
      sampleCount,
      seed: EVALUATION_SEED,
      metrics: result.metrics,
      cost,
    };
  }
}

function fileName(step: number): string {
  return `step-${String(step).padStart(9, '0')}.json`;
}

/** Cost figures as run metrics, so they chart and compare like the others. */
function costMetrics(cost: EvaluationCost): Record<string, number> {
  const metrics: Record<string, number> = {
    cost_parameters: cost.parameters,
    cost_ms_per_sample: cost.msPerSample,
    cost_evaluation_seconds: cost.evaluationSeconds,
  };
  if (cost.wallSeconds !== null) metrics.cost_wall_seconds = cost.wallSeconds;
  if (cost.stepsPerSecond !== null) metrics.cost_steps_per_second = cost.stepsPerSecond;
  if (cost.msPerCharacter !== null) metrics.cost_ms_per_character = cost.msPerCharacter;
  if (cost.memoryBytes !== null) metrics.cost_memory_bytes = cost.memoryBytes;
  return metrics;
}

/** A classifier needs every train item labeled and at least two classes; else an autoencoder. */
function classifiesItems(data: ImageTrainingData): boolean {
  const labeledClasses = data.classNames.filter((name) => name !== null).length;
  const unlabeled = data.classNames.indexOf(null);
  return labeledClasses >= 2 && (unlabeled < 0 || !data.train.labels.includes(unlabeled));
}

/** The size and channels the run trained at, to load its data the same way. */
export function dataOptions(stored: StoredRunConfig): TrainingDataOptions {
  if (stored.family === 'char-rnn' || stored.family === 'char-gpt') return {};
  const { imageSize, channels } = stored.config;
  return {
    ...(imageSize === undefined ? {} : { imageSize }),
    channels: channels === 1 ? 1 : 3,
  };
}
