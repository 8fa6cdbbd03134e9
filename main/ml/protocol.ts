// Messages between the core (MlHost, main thread) and the one long-lived ML worker thread.
// Plain data only: everything here crosses `postMessage` (typed arrays are transferred).

import type {
  BackendName,
  BackendReport,
  ModelFamily,
  Outcome,
  StudioError,
} from '../../preload/contract';
import type {
  CharGptConfig,
  CharRnnConfig,
  ConvVaeConfig,
  DcganConfig,
  DenseVaeConfig,
  FamilyConfig,
} from './config/configs';
import type { TrainingConfig } from './config/trainingConfig';
import type {
  FeatureNetworkOptions,
  FeatureNetworkWeights,
} from '../evaluation/featureNetworkStore';
import type { BootstrapOptions } from '../evaluation/bootstrap';
import type { ImageEvaluation } from '../evaluation/imageEvaluation';
import type { KidOptions } from '../evaluation/kid';
import type { TextSampleMetrics } from '../evaluation/textMetrics';

// A leaf: the wire shapes are owned here (or by the tfjs-free configs), never by the worker's
// files, so nothing on either side of the thread has to import the other side to speak to it.

export type {
  CharGptConfig,
  CharRnnConfig,
  ConvVaeConfig,
  DcganConfig,
  DenseVaeConfig,
  FamilyConfig,
  TrainingConfig,
};

/** Training images, already decoded and resized by the core: [count, height, width, channels] in [0, 1]. */
export interface ImageTensorData {
  pixels: Float32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/** Which training images batches draw, as the dataset version asks. */
export interface BatchBalance {
  /**
   * The class of every training image; training batches then draw
   * every class equally often (see BalancedBatches). Set apart from `labels` because an
   * unconditional model balances its batches too, without being given the classes. A negative
   * id marks an image without a class (unlabeled): drawn at its natural share, not balanced.
   */
  balanceByClass: Int32Array;
}

/** Random changes to each training batch (never to validation), as the dataset version asks. */
export interface ImageAugmentation {
  /** Mirror each image left–right with probability ½. */
  flipHorizontal: boolean;
  /** Shift the batch by up to this many pixels in x and y; what is uncovered takes `fill`. */
  maxShift: number;
  /** Per channel, in [0, 1]: the background the version flattens transparency onto. */
  fill: number[];
}

/** Decoding: how a text model's next-character distributions become text (not batch balance, not generating images). */
export interface TextDecoding {
  /** Text the samples continue; empty starts from a newline (or the first character). */
  prompt: string;
  /** Characters to generate after the prompt. */
  maxLength: number;
  /** Divides the logits; 0 is greedy. */
  temperature: number;
  /** Keep only the k likeliest characters; 0 keeps all, 1 is greedy. */
  topK: number;
  /** Keep the smallest set of likeliest characters whose probability reaches p; 1 keeps all. */
  topP: number;
  /** Texts generated side by side. */
  count: number;
  /** End a text at its first newline. */
  stopAtNewline: boolean;
}

/** The audit classifier's knobs (worker/audit/outOfFold.ts). */
export interface ClassifierOptions {
  folds: number;
  hidden: number;
  batchSize: number;
  /** Optimiser steps per fold, whatever the dataset size (epochs = steps × batch / rows). */
  stepsPerFold: number;
  learningRate: number;
  seed: number;
}

/** What to classify: `rows` feature vectors of `dim` values, each with a class id < `classes`. */
export interface ClassificationProblem {
  /** [rows, dim] row-major. */
  features: Float32Array;
  labels: Int32Array;
  dim: number;
  classes: number;
  options?: Partial<ClassifierOptions>;
}

// ---- training jobs ----

/** What every training job carries besides its family's config and data. */
interface TrainJobBase {
  jobId: string;
  /** The loop's config, resolved by the core (config/presets.ts) and stored with the run. */
  training: TrainingConfig;
  /** Where checkpoints go (every `training.checkpointEvery` steps and at the end or stop). */
  checkpointDir?: string;
  /**
   * A checkpoint folder to continue from: the architecture, step, optimiser and generator state
   * come from it (the job's config must name the same family; its `steps` may go further).
   */
  resumeFrom?: string;
  /** A cheap evaluation at every validation point (issue 11); none when absent. */
  quickEvaluation?: QuickEvaluationSpec;
}

/**
 * The in-run evaluation: a small fixed set of samples (the same noise or seed every time) judged
 * by the same maths as the end evaluation, stored as `eval_quick_*` at each validation point.
 * Images compare with the job's own validation items through the version's feature network,
 * which the worker trains first when main has none cached (and hands back to be cached).
 */
export type QuickEvaluationSpec =
  | {
      kind: 'images';
      sampleCount: number;
      seed: number;
      featureNetwork?: FeatureNetworkWeights;
      featureNetworkOptions?: Partial<FeatureNetworkOptions>;
      /** Classes of the train items when the feature network is (to be) a classifier. */
      trainLabels?: Int32Array;
      classCount: number;
    }
  /** Text judges the job's own fixed-seed sample texts (the preview's decoding and count). */
  | { kind: 'text' };

/** One part of a version's images, with each image's class for a class-conditional model. */
export interface ImageJobPart extends ImageTensorData {
  /** Class id per image, for a class-conditional model (config.classCount > 0). */
  labels?: Int32Array;
}

/**
 * A version's images as the version split them: the worker trains on `train` and validates on
 * `validation` (count 0 when the version holds nothing out: then there is no validation metric).
 */
export interface ImageJobData {
  train: ImageJobPart;
  validation: ImageJobPart;
  /** Flips and shifts applied to training images (see datasets/prepare/augment.ts). */
  augmentation?: ImageAugmentation;
  /** Class-balanced training batches (see training/balancedBatches.ts); one class per train image. */
  batchBalance?: BatchBalance;
}

/** A version's corpus as token ids, its train documents and its validation ones, with the vocabulary. */
export interface TextJobData {
  train: Int32Array;
  /** Empty when the version holds nothing out: then there is no validation metric. */
  validation: Int32Array;
  /** One character per entry (index = id); `config.vocabSize` must equal its length. */
  vocabulary: string[];
  /** How the text samples emitted during training are decoded (count = training.sampleCount). */
  decoding?: Partial<Omit<TextDecoding, 'count'>>;
}

/**
 * A training job carries its family's config as the core resolved it from the preset and the data
 * (config/presets.ts) and stored with the run: the worker builds what it is given, checking it at
 * the boundary, and never looks a preset up; a resumed job's architecture comes from its checkpoint.
 */
export type TrainJob = TrainJobBase &
  (
    | { family: 'dense-vae'; config: DenseVaeConfig; data: ImageJobData }
    | { family: 'conv-vae'; config: ConvVaeConfig; data: ImageJobData }
    | { family: 'dcgan'; config: DcganConfig; data: ImageJobData }
    | { family: 'char-rnn'; config: CharRnnConfig; data: TextJobData }
    | { family: 'char-gpt'; config: CharGptConfig; data: TextJobData }
  );

/** One generated image, 8-bit, row-major [height, width, channels]. */
export interface GeneratedImage {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

export interface ProgressEvent {
  type: 'progress';
  step: number;
  totalSteps: number;
  stepsPerSecond: number;
  /** Means over the steps since the previous progress event. */
  metrics: Record<string, number>;
  /** The scheduled learning rate of the last step. */
  learningRate?: number;
}

export interface SamplesEvent {
  type: 'samples';
  step: number;
  images: GeneratedImage[];
  /** The class id of each image, for a class-conditional model. */
  labels?: number[];
}

/** Every event a training job can emit. */
export type JobEvent =
  | ProgressEvent
  | SamplesEvent
  | { type: 'validation'; step: number; metrics: Record<string, number> }
  | { type: 'text-samples'; step: number; texts: string[] }
  | { type: 'checkpoint'; step: number; dir: string }
  /** The quick evaluation's figures at a validation point (already named `eval_quick_*`). */
  | { type: 'quick-evaluation'; step: number; metrics: Record<string, number>; ms: number }
  /** The feature network the worker trained for the quick evaluation, for main to cache. */
  | { type: 'feature-network'; weights: FeatureNetworkWeights };

export interface TrainOutcome {
  status: 'completed' | 'stopped' | 'failed';
  step: number;
  /** Set when failed (or stopped for a reason other than a request, e.g. NaN loss). */
  error?: StudioError;
  /** Where the loop's time went, in ms (issue 14: a run should cost at most 1.2× its steps). */
  phases?: TrainPhases;
}

/**
 * The training loop's wall time by what it did, measured in the worker: `steps` is the batches and
 * optimizer steps; the rest is what a run costs beyond them.
 */
export interface TrainPhases {
  steps: number;
  validation: number;
  /** The quick evaluation at each validation point (issue 11). */
  evaluation: number;
  samples: number;
  checkpoints: number;
  progress: number;
  /** Yielding to the worker's event loop between steps (where a 'stop' message is read). */
  yield: number;
  /** Restoring a checkpoint to resume from. */
  resume: number;
}

// ---- generating and estimating ----

export type SampleRequest = {
  jobId: string;
  /** A checkpoint folder written by a training job. */
  checkpoint: string;
  /** Makes the draw repeatable; default 1. */
  seed?: number;
} & (
  | {
      kind: 'images';
      /** 'grid': `count` images from seeded noise; 'interpolation': `count` frames between two latents. */
      mode: 'grid' | 'interpolation';
      count: number;
      /** Class ids (one per image, or cycled) for a class-conditional model; default 0, 1, 2, … */
      labels?: number[];
    }
  | ({ kind: 'text' } & Partial<TextDecoding>)
);

export type SampleResult =
  | { kind: 'images'; step: number; images: GeneratedImage[]; labels?: number[] }
  | { kind: 'text'; step: number; texts: string[] };

export type EstimateRequest = {
  jobId: string;
  /** Timed steps after the warm-up ones; default 5 (the median is reported). */
  measureSteps?: number;
  /** Untimed steps first (kernels compile, slots fill); default 2. */
  warmupSteps?: number;
} & FamilyConfig;

export interface ModelEstimate {
  family: ModelFamily;
  backend: string;
  parameters: number;
  batchSize: number;
  memory: {
    weightsBytes: number;
    optimizerBytes: number;
    /** Rough: forward activations of one batch, doubled for the backward pass. */
    activationsBytes: number;
    totalBytes: number;
  };
  /** Median over the measured steps, on random data of the right shape. */
  msPerStep: number;
  measuredSteps: number[];
}

// ---- the audit's classifier ----

/**
 * Out-of-fold class probabilities for the audit's label-error finding (audit/outOfFold.ts). Not
 * queued behind training: it runs beside a training job, the two taking turns between steps, so
 * auditing a dataset never waits for a long run to end. Its typed arrays are transferred.
 */
export interface ClassifyRequest extends ClassificationProblem {
  jobId: string;
}

// ---- wire messages ----

/**
 * `workerData.role` of the ML worker thread. The worker file only starts serving when it sees it,
 * so importing that file elsewhere (or a thread pool loading it) has no side effect.
 */
export const ML_WORKER_ROLE = 'generative-studio-ml-worker';

export interface MlWorkerData {
  role: typeof ML_WORKER_ROLE;
}

export type HostToWorker =
  | { type: 'init'; preferBackend?: BackendName }
  | { type: 'train'; job: TrainJob }
  | { type: 'sample'; request: SampleRequest }
  | { type: 'estimate'; request: EstimateRequest }
  | { type: 'classify'; request: ClassifyRequest }
  | { type: 'evaluate'; request: EvaluateRequest }
  | { type: 'export-model'; request: ExportModelRequest }
  | { type: 'stop'; jobId: string }
  | { type: 'shutdown' };

export type WorkerToHost =
  | { type: 'ready'; backend: BackendReport }
  | { type: 'init-failed'; error: StudioError }
  | { type: 'job-event'; jobId: string; event: JobEvent }
  | { type: 'job-done'; jobId: string; outcome: TrainOutcome }
  | { type: 'sample-done'; jobId: string; outcome: Outcome<SampleResult> }
  | { type: 'estimate-done'; jobId: string; outcome: Outcome<ModelEstimate> }
  | { type: 'classify-progress'; jobId: string; done: number; total: number }
  | { type: 'classify-done'; jobId: string; outcome: Outcome<Float32Array> }
  | { type: 'evaluate-done'; jobId: string; outcome: Outcome<EvaluateResult> }
  | { type: 'export-model-done'; jobId: string; outcome: Outcome<ExportModelResult> };

// The 'export-model' job (issue 12): a checkpoint as a TensorFlow.js model folder.

export interface ExportModelRequest {
  jobId: string;
  /** A checkpoint folder written by a training job. */
  checkpoint: string;
  /** A folder that does not exist yet (nothing in it is ever overwritten). */
  outDir: string;
}

export interface ExportModelResult {
  family: ModelFamily;
  kind: 'image' | 'text';
  step: number;
  /** The files written, relative to outDir. */
  files: string[];
  weightBytes: number;
}

// The 'evaluate' job (issue 11): judge what a checkpoint generates against its version.

export interface ImageEvaluateRequest {
  jobId: string;
  kind: 'images';
  /** A checkpoint folder written by a training job. */
  checkpoint: string;
  /** The version's train and validation items, at the checkpoint's image size. */
  train: ImageTensorData;
  /** Labels of the train items (a classifier feature network, the class spread). */
  trainLabels?: Int32Array;
  validation: ImageTensorData;
  /** Labels of the validation items: the classifier's held-out accuracy (how far to trust it). */
  validationLabels?: Int32Array;
  /** Classes of the version's labels; 0 when unlabeled (an autoencoder feature network). */
  classCount: number;
  /** The version's cached feature network; trained from the train items when absent. */
  featureNetwork?: FeatureNetworkWeights;
  featureNetworkOptions?: Partial<FeatureNetworkOptions>;
  /** Samples generated (default 256); their noise comes from `seed`, so each call sees the same. */
  sampleCount?: number;
  seed?: number;
  kid?: KidOptions;
  /** Also the bootstrap standard errors of FID and KID (evaluation.errors): a version comparison's. */
  bootstrap?: BootstrapOptions;
  /** The first this many samples are returned as 8-bit images, to show beside their neighbours. */
  previewCount?: number;
}

export interface TextEvaluateRequest {
  jobId: string;
  kind: 'text';
  checkpoint: string;
  trainingText: string;
  /** The version's validation text, for bits per character; none, no figure. */
  validationText?: string;
  /** Default 32 samples of `sampling.maxLength` (default 200) characters. */
  sampleCount?: number;
  seed?: number;
  sampling?: Partial<Omit<TextDecoding, 'count'>>;
  /** Validation windows scored at most (default 64). */
  validationWindows?: number;
}

export type EvaluateRequest = ImageEvaluateRequest | TextEvaluateRequest;

export type EvaluateResult =
  | {
      kind: 'images';
      step: number;
      evaluation: ImageEvaluation;
      /** The headline figures as run metrics (eval_*). */
      metrics: Record<string, number>;
      /** Set when this job trained the feature network: main caches it for the version. */
      trainedFeatureNetwork?: FeatureNetworkWeights;
      /** The first `previewCount` samples (in order, so index i is memorisation.samples[i]). */
      previews: GeneratedImage[];
      /** Where the feature network is a classifier: what it sees in each preview. */
      previewClasses?: PreviewClasses;
      cost: EvaluateCost;
    }
  | {
      kind: 'text';
      step: number;
      evaluation: TextSampleMetrics;
      /** Mean validation cross-entropy in bits per character, when validation text was given. */
      validationBitsPerCharacter?: number;
      samples: string[];
      metrics: Record<string, number>;
      cost: EvaluateCost;
    };

/** The feature classifier's class for each preview, and how often it is right on held-out items. */
export interface PreviewClasses {
  /** Class index per preview (into the version's classes). */
  predicted: number[];
  /** Its softmax probability per preview. */
  confidence: number[];
  /** Share of the validation items it classifies right; null without validation labels. */
  validationAccuracy: number | null;
  /** Share of the largest class among the validation items (always guessing it). */
  validationChance: number | null;
}

/** What making the samples cost, measured here: the inference speed of the checkpoint. */
export interface EvaluateCost {
  parameters: number;
  /** Wall milliseconds generating, per sample (images) or per character (text). */
  msPerSample: number;
  msPerCharacter?: number;
  /** Bytes tfjs held while the checkpoint was loaded. */
  memoryBytes: number;
}
