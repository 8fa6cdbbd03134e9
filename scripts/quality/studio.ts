// The studio's side of the quality benchmark: one model trained through the studio's own training
// loop (main/ml/worker/training/train.ts, with its batch sources, schedule and per-step seeds), on
// the data of ./data.ts, scored at every evaluation point under quality_ref.py's protocol.

import * as tf from '@tensorflow/tfjs';
import type { FamilyConfig } from '../../main/ml/config/configs';
import type { TrainingConfig } from '../../main/ml/config/trainingConfig';
import type { ImageGenerator, Metrics, TextModel } from '../../main/ml/worker/models/model';
import { buildModel } from '../../main/ml/worker/models/registry';
import {
  imageBatchSource,
  textBatchSource,
  type BatchSource,
} from '../../main/ml/worker/training/data';
import { train, type TrainHooks } from '../../main/ml/worker/training/train';
import type { TrainOutcome } from '../../main/ml/protocol';
import {
  IMAGE_SIZE,
  VALIDATION_WINDOWS,
  validationWindows,
  type Corpus,
  type Digits,
} from './data';
import { GRID, writeGrid } from './grid';

export interface StudioResult {
  /** The headline figure: nats/char (text), negative ELBO per image (VAE), D loss (DCGAN). */
  figure: number;
  /** Further figures: bits/char; BCE and KL; G loss. */
  parts: Record<string, number>;
  curve: [number, number][];
  trainSeconds: number;
  status: string;
}

/** Mean of each metric over the steps since the last call (the twin's "mean since last log"). */
class WindowMeans {
  private sums: Metrics = {};
  private n = 0;
  add(metrics: Metrics): void {
    for (const [k, v] of Object.entries(metrics)) this.sums[k] = (this.sums[k] ?? 0) + v;
    this.n++;
  }
  take(): Metrics {
    const out: Metrics = {};
    for (const [k, v] of Object.entries(this.sums)) out[k] = v / Math.max(1, this.n);
    this.sums = {};
    this.n = 0;
    return out;
  }
}

export async function trainStudio(
  spec: FamilyConfig,
  training: TrainingConfig,
  data: { digits?: Digits; corpus?: Corpus },
  evalEvery: number,
  gridFile: string | null,
  /** Called on the freshly built model before training (the twin-init diagnostic). */
  prepare?: (model: ImageGenerator | TextModel) => void,
  /** Called on the trained model before it is disposed (the seed sweep draws its samples). */
  onTrained?: (model: ImageGenerator | TextModel) => void,
): Promise<StudioResult> {
  const model = buildModel(spec, training.seed);
  try {
    prepare?.(model);
  } catch (error) {
    model.dispose();
    throw error;
  }
  let source: BatchSource<unknown>;
  let loop: (hooks: TrainHooks) => Promise<TrainOutcome>;
  let score: () => Metrics;
  let headline: string;
  const disposals: tf.Tensor[] = [];
  if (model.kind === 'image') {
    const digits = data.digits;
    if (digits === undefined) throw new Error('image model without images');
    // The last images are validation: loadDigits put the twin's training items first.
    const perImage = IMAGE_SIZE * IMAGE_SIZE;
    const part = (from: number, to: number) => ({
      pixels: digits.pixels.slice(from * perImage, to * perImage),
      count: to - from,
      height: IMAGE_SIZE,
      width: IMAGE_SIZE,
      channels: 1,
    });
    const all = digits.trainCount + digits.validationCount;
    const images = imageBatchSource(
      { train: part(0, digits.trainCount), validation: part(digits.trainCount, all) },
      model.batchSize,
      model.pixelRange,
    );
    source = images;
    loop = (hooks) => train(training, images, model, hooks);
    const validation = tf.tensor4d(
      digits.pixels.subarray(digits.trainCount * IMAGE_SIZE * IMAGE_SIZE),
      [digits.validationCount, IMAGE_SIZE, IMAGE_SIZE, 1],
    );
    disposals.push(validation);
    // VAE: BCE (sum over pixels) + KL per image on all validation images, one fixed ε; the
    // DCGAN has no validation figure in the twin, so only its losses are reported.
    score = () => (model.family === 'dcgan' ? {} : model.evaluate({ images: validation }));
    headline = model.family === 'dcgan' ? 'dLoss' : 'loss';
  } else {
    const corpus = data.corpus;
    if (corpus === undefined) throw new Error('text model without a corpus');
    // Training windows come from the twin's training split only; validation is scored below.
    const windowsOf = textBatchSource(
      { train: corpus.train, validation: new Int32Array(0), vocabSize: model.vocabSize },
      model.batchSize,
      model.contextLength,
      training.seed,
    );
    source = windowsOf;
    loop = (hooks) => train(training, windowsOf, model, hooks);
    const windows = tf.tensor2d(validationWindows(corpus.validation, model.contextLength), [
      VALIDATION_WINDOWS,
      model.contextLength + 1,
    ]);
    disposals.push(windows);
    // Mean cross-entropy over all 50 × T predicted characters, as one batch.
    score = () => model.evaluate(windows);
    headline = 'loss';
  }

  const curve: [number, number][] = [];
  const steps = new WindowMeans();
  let last: Metrics = {};
  let trainMs = 0;
  let mark = performance.now();
  const evaluate = (step: number): void => {
    trainMs += performance.now() - mark;
    const gan = model.family === 'dcgan';
    last = gan ? steps.take() : { ...steps.take(), ...score() };
    const value = last[headline] ?? NaN;
    curve.push([step, value]);
    const shown = Object.entries(last)
      .filter(([k]) => k !== 'gradNorm')
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join(' ');
    console.error(
      `  [studio ${model.family}] step ${step}: ${gan ? 'mean since last' : 'val'} ${shown}`,
    );
    mark = performance.now();
  };
  if (model.family !== 'dcgan') {
    curve.push([0, score()[headline] ?? NaN]);
    mark = performance.now();
  }
  try {
    const outcome = await loop({
      onEvent: () => undefined,
      shouldStop: () => false,
      onStep: (step, metrics) => {
        steps.add(metrics);
        if (step % evalEvery === 0 || step === training.steps) evaluate(step);
      },
    });
    if (gridFile !== null && model.kind === 'image') {
      for (const [i, seed] of GRID_SEEDS.entries())
        await saveGrid(model, gridFiles(gridFile)[i] ?? '', seed);
    }
    onTrained?.(model);
    const parts = partsOf(model, last);
    return {
      figure: last[headline] ?? NaN,
      parts,
      curve,
      trainSeconds: trainMs / 1000,
      status:
        outcome.status === 'failed' ? `failed: ${outcome.error?.message ?? ''}` : outcome.status,
    };
  } finally {
    tf.dispose(disposals);
    source.dispose();
    model.dispose();
  }
}

function partsOf(model: ImageGenerator | TextModel, last: Metrics): Record<string, number> {
  if (model.kind === 'text') return { bitsPerChar: (last.loss ?? NaN) / Math.LN2 };
  if (model.family === 'dcgan') return { gLoss: last.gLoss ?? NaN };
  return { bce: last.reconstruction ?? NaN, kl: last.kl ?? NaN };
}

/**
 * The noise seeds of the studio's sample grids: the first is the headline grid (the twin has one,
 * from its seed); the others show how far another 64 samples of the same model stray.
 */
export const GRID_SEEDS = [7, 8, 9, 10] as const;

/** The grid files of GRID_SEEDS: `file` itself, then `file` with `-seed<n>` before `.png`. */
export function gridFiles(file: string): string[] {
  return GRID_SEEDS.map((seed, i) => (i === 0 ? file : file.replace(/\.png$/, `-seed${seed}.png`)));
}

/** 64 samples from fixed noise as the twin's 8 × 8 grid. */
async function saveGrid(model: ImageGenerator, file: string, seed: number): Promise<void> {
  const noise = tf.randomNormal([GRID.count, model.latentDim], 0, 1, 'float32', seed);
  const images = model.generate(noise as tf.Tensor2D);
  const values = images.dataSync() as Float32Array;
  tf.dispose([noise, images]);
  await writeGrid(values, GRID.count, file);
}
