import type { TrainingData } from '../datasets/prepare/trainingData';
import type { RunConfig, RunDataShape } from '../ml/config/presets';
import type { ImageJobData, TextJobData, TrainJob } from '../ml/protocol';

/** The largest validation share the training loop takes; a version may hold out more. */
const MAX_VALIDATION_FRACTION = 0.5;

/** What a run's data says about its model (channels, size and classes, or the vocabulary). */
export function dataShapeOf(data: TrainingData, conditional: boolean): RunDataShape {
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
export function canCondition(data: TrainingData): boolean {
  return data.classCount >= 2 && !data.classNames.includes(null);
}

function concat<T extends Float32Array | Int32Array>(a: T, b: T, make: (n: number) => T): T {
  const out = make(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The version's train part followed by its validation part, so that the loop holds out exactly the
 * version's (stratified) split. Models read pixels in [0, 1] and rescale themselves (the GAN to
 * [−1, 1]), so a version normalised to [−1, 1] is mapped back here.
 */
function imageJobData(
  data: Extract<TrainingData, { kind: 'image' }>,
  labels: boolean,
): ImageJobData {
  const { train, validation } = data;
  const pixels = concat(train.pixels, validation.pixels, (n) => new Float32Array(n));
  if (data.settings.range !== 'zero-one') {
    for (let i = 0; i < pixels.length; i++) pixels[i] = ((pixels[i] as number) + 1) / 2;
  }
  return {
    images: {
      pixels,
      count: train.count + validation.count,
      height: train.height,
      width: train.width,
      channels: train.channels,
    },
    ...(labels
      ? { labels: concat(train.labels, validation.labels, (n) => new Int32Array(n)) }
      : {}),
    validationCount: validation.count,
    ...augmentationOf(data),
    ...batchBalanceOf(data),
  };
}

/** Class-balanced batches: every image's class, whether or not the model is conditional. */
function batchBalanceOf(data: Extract<TrainingData, { kind: 'image' }>): Partial<ImageJobData> {
  const unlabeled = data.classNames.indexOf(null);
  const labeledClasses = data.classCount - (unlabeled >= 0 ? 1 : 0);
  if (!data.batchBalance.classBalanced || labeledClasses < 2) return {};
  const { train, validation } = data;
  const classes = concat(train.labels, validation.labels, (n) => new Int32Array(n));
  // Unlabeled images are not a class to even out (the audit's histogram leaves them out too):
  // the sampler draws them at their natural share.
  if (unlabeled >= 0)
    for (let i = 0; i < classes.length; i++) if (classes[i] === unlabeled) classes[i] = -1;
  return { batchBalance: { balanceByClass: classes } };
}

/** The version's augmentation, with the fill colour in the [0, 1] range the models read. */
function augmentationOf(data: Extract<TrainingData, { kind: 'image' }>): Partial<ImageJobData> {
  const { flipHorizontal, maxShift } = data.augmentation;
  if (!flipHorizontal && maxShift <= 0) return {};
  const fill =
    data.settings.range === 'zero-one' ? data.fill : data.fill.map((value) => (value + 1) / 2);
  return { augmentation: { flipHorizontal, maxShift, fill } };
}

/** The corpus as train tokens then validation tokens; the loop holds out the tail. */
function textJobData(data: Extract<TrainingData, { kind: 'text' }>): TextJobData {
  const tokens = concat(data.train.tokens, data.validation.tokens, (n) => new Int32Array(n));
  const share = tokens.length > 0 ? data.validation.tokens.length / tokens.length : 0;
  return {
    tokens,
    vocabulary: data.vocabulary,
    // A version that holds nothing out trains on all of it (validationNote says so).
    validationFraction: Math.min(share, MAX_VALIDATION_FRACTION),
  };
}

export function buildTrainJob(
  jobId: string,
  run: RunConfig,
  data: TrainingData,
  placement: { checkpointDir: string; resumeFrom?: string },
): TrainJob {
  const common = {
    jobId,
    training: run.training,
    checkpointDir: placement.checkpointDir,
    ...(placement.resumeFrom ? { resumeFrom: placement.resumeFrom } : {}),
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
