import type { ImagePart, TrainingData, TrainingShape } from '../datasets/prepare/trainingData';
import type { RunConfig, RunDataShape } from '../ml/config/presets';
import type {
  ImageJobData,
  ImageJobPart,
  QuickEvaluationSpec,
  TextJobData,
  TrainJob,
} from '../ml/protocol';

/** What a run's data says about its model (channels, size and classes, or the vocabulary). */
export function dataShapeOf(data: TrainingShape, conditional: boolean): RunDataShape {
  if (data.kind === 'text') return { kind: 'text', vocabSize: data.vocabulary.length };
  return {
    kind: 'image',
    channels: data.settings.channels,
    imageSize: data.settings.size,
    ...(conditional ? { classCount: data.classCount } : {}),
  };
}

/**
 * What the run tells a person when its version holds nothing out: training follows the version,
 * so such a run reports no validation metric (rather than holding out data of its own choosing).
 */
export function validationNote(data: TrainingData): string | null {
  const held = data.kind === 'image' ? data.validation.count : data.validation.tokens.length;
  if (held > 0) return null;
  return 'No validation: this dataset version holds nothing out, so the run reports no validation metric. Set a validation share in Prepare to get one.';
}

/**
 * A class-conditional GAN needs every item labeled and at least two classes; otherwise the GAN
 * learns the whole dataset as one distribution.
 */
export function canCondition(data: TrainingShape): boolean {
  return data.classCount >= 2 && !data.classNames.includes(null);
}

/** A version's part on the wire: its pixels in [0, 1] and, if asked, its classes. */
function imagePart(part: ImagePart, labels: boolean): ImageJobPart {
  const { pixels, count, height, width, channels } = part;
  return { pixels, count, height, width, channels, ...(labels ? { labels: part.labels } : {}) };
}

/**
 * The version's train and validation parts as they are: the loop trains on the one and validates
 * on the other (stratified by the version), and never splits again.
 */
function imageJobData(
  data: Extract<TrainingData, { kind: 'image' }>,
  labels: boolean,
): ImageJobData {
  return {
    train: imagePart(data.train, labels),
    validation: imagePart(data.validation, labels),
    ...augmentationOf(data),
    ...batchBalanceOf(data),
  };
}

/** Class-balanced batches: every training image's class, whether or not the model is conditional. */
function batchBalanceOf(data: Extract<TrainingData, { kind: 'image' }>): Partial<ImageJobData> {
  const unlabeled = data.classNames.indexOf(null);
  const labeledClasses = data.classCount - (unlabeled >= 0 ? 1 : 0);
  if (!data.batchBalance.classBalanced || labeledClasses < 2) return {};
  // Unlabeled images are not a class to even out (the audit's histogram leaves them out too):
  // the sampler draws them at their natural share.
  const classes = data.train.labels.map((c) => (c === unlabeled ? -1 : c));
  return { batchBalance: { balanceByClass: classes } };
}

/** The version's augmentation, with the fill colour in [0, 1] like the pixels. */
function augmentationOf(data: Extract<TrainingData, { kind: 'image' }>): Partial<ImageJobData> {
  const { flipHorizontal, maxShift } = data.augmentation;
  if (!flipHorizontal && maxShift <= 0) return {};
  return { augmentation: { flipHorizontal, maxShift, fill: data.fill } };
}

/** The corpus as the version split it: train documents, then validation documents. */
function textJobData(data: Extract<TrainingData, { kind: 'text' }>): TextJobData {
  return {
    train: data.train.tokens,
    validation: data.validation.tokens,
    vocabulary: data.vocabulary,
  };
}

export function buildTrainJob(
  jobId: string,
  run: RunConfig,
  data: TrainingData,
  placement: {
    checkpointDir: string;
    resumeFrom?: string | undefined;
    quickEvaluation?: QuickEvaluationSpec | undefined;
  },
): TrainJob {
  const common = {
    jobId,
    training: run.training,
    checkpointDir: placement.checkpointDir,
    ...(placement.resumeFrom ? { resumeFrom: placement.resumeFrom } : {}),
    ...(placement.quickEvaluation ? { quickEvaluation: placement.quickEvaluation } : {}),
  };
  if (run.family === 'char-rnn' || run.family === 'char-gpt') {
    if (data.kind !== 'text') throw new Error(`${run.family} needs a text dataset`);
    return {
      ...common,
      family: run.family,
      config: run.config,
      data: textJobData(data),
    } as TrainJob;
  }
  if (data.kind !== 'image') throw new Error(`${run.family} needs an image dataset`);
  const conditional = run.family === 'dcgan' && run.config.classCount > 0;
  return {
    ...common,
    family: run.family,
    config: run.config,
    data: imageJobData(data, conditional),
  } as TrainJob;
}
