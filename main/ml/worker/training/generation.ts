// What a trained model makes: image grids from fixed noise (the same latents at every sampling
// point, so grids compare across steps), class-conditional grids, latent interpolations, and text
// with a prompt, temperature, top-k and top-p, stopping at a length or a newline.

import * as tf from '@tensorflow/tfjs';
import { StudioFailure } from '../../../common/failure';
import type { ImageGenerator, TextModel } from '../models/model';
import type { GeneratedImage, TextDecoding } from '../../protocol';
import { derivedSeed, SeededRandom } from '../../../common/random';
import { SEED_PURPOSE } from './data';
import type { Preview } from './train';
import { decodeTokens, encodeText } from './vocabulary';

// ---- images ----

/** Images [N, H, W, C] in [0, 1] → 8-bit images, each with its own buffer so it can be transferred. */
export function toGeneratedImages(images: tf.Tensor4D): GeneratedImage[] {
  const [count, height, width, channels] = images.shape;
  const values = images.dataSync();
  const size = height * width * channels;
  return Array.from({ length: count }, (_, n) => {
    const pixels = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      pixels[i] = Math.min(255, Math.max(0, Math.round((values[n * size + i] ?? 0) * 255)));
    }
    return { width, height, channels, pixels };
  });
}

/** Class ids for a grid of `count` images: 0, 1, …, K−1, 0, 1, … (none for unconditional models). */
export function gridLabels(count: number, classCount: number): Int32Array | undefined {
  return classCount > 0 ? Int32Array.from({ length: count }, (_, i) => i % classCount) : undefined;
}

/** Seeded standard-normal latents [count, L]. */
export function latentNoise(count: number, latentDim: number, seed: number): tf.Tensor2D {
  // +1: tfjs takes a seed of 0 as "no seed".
  return tf.randomNormal([count, latentDim], 0, 1, 'float32', (seed % 2147483646) + 1);
}

export function generateImages(
  model: ImageGenerator,
  noise: tf.Tensor2D,
  labels?: Int32Array,
): GeneratedImage[] {
  const images = tf.tidy(() =>
    model.generate(noise, labels === undefined ? undefined : tf.tensor1d(labels, 'int32')),
  );
  try {
    return toGeneratedImages(images);
  } finally {
    images.dispose();
  }
}

/**
 * `frames` latents on the great circle from one seeded latent to another (spherical
 * interpolation keeps the norm a Gaussian latent typically has, unlike a straight line).
 */
export function interpolationNoise(latentDim: number, frames: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [from, to] = tf.split(latentNoise(2, latentDim, seed), 2, 0) as [
      tf.Tensor2D,
      tf.Tensor2D,
    ];
    const cos = tf
      .sum(from.mul(to))
      .div(tf.norm(from).mul(tf.norm(to)))
      .clipByValue(-1, 1);
    const omega = Math.acos(cos.dataSync()[0] ?? 1);
    const rows = Array.from({ length: frames }, (_, i) => {
      const t = frames === 1 ? 0 : i / (frames - 1);
      if (Math.abs(Math.sin(omega)) < 1e-6) return from.mul(1 - t).add(to.mul(t));
      const a = Math.sin((1 - t) * omega) / Math.sin(omega);
      const b = Math.sin(t * omega) / Math.sin(omega);
      return from.mul(a).add(to.mul(b));
    });
    return tf.concat(rows, 0) as tf.Tensor2D; // [frames, L]
  });
}

/** Sample grids during training, from noise fixed by the run's seed. */
export function imagePreview(
  model: ImageGenerator,
  count: number,
  seed: number,
): Preview & { dispose(): void } {
  // Fixed noise, so that successive grids show the same latents as training goes on.
  const noise = latentNoise(count, model.latentDim, derivedSeed(seed, SEED_PURPOSE.sampleNoise));
  const labels = gridLabels(count, model.classCount);
  return {
    render: (step) => ({
      type: 'samples',
      step,
      images: generateImages(model, noise, labels),
      ...(labels === undefined ? {} : { labels: Array.from(labels) }),
    }),
    dispose: () => noise.dispose(),
  };
}

// ---- text ----

export const DEFAULT_TEXT_DECODING: TextDecoding = {
  prompt: '',
  maxLength: 200,
  temperature: 0.8,
  topK: 0,
  topP: 0.95,
  count: 4,
  stopAtNewline: false,
};

export function checkTextDecoding(options: TextDecoding): void {
  const bad = (why: string): StudioFailure => new StudioFailure('invalid-input', why);
  if (!Number.isInteger(options.maxLength) || options.maxLength < 1 || options.maxLength > 10_000) {
    throw bad('maxLength must be a whole number from 1 to 10000.');
  }
  if (!(options.temperature >= 0 && options.temperature <= 10))
    throw bad('temperature must be from 0 to 10.');
  if (!Number.isInteger(options.topK) || options.topK < 0)
    throw bad('topK must be a whole number ≥ 0.');
  if (!(options.topP > 0 && options.topP <= 1)) throw bad('topP must be in (0, 1].');
  if (!Number.isInteger(options.count) || options.count < 1 || options.count > 64) {
    throw bad('count must be a whole number from 1 to 64.');
  }
}

/**
 * The distribution a character is drawn from: softmax(logits / temperature), cut to the top k and
 * then to the top-p nucleus, renormalised. Greedy (temperature 0 or top-k 1) puts all mass on the
 * likeliest character (the first on ties).
 */
export function decodingDistribution(
  logits: ArrayLike<number>,
  options: Pick<TextDecoding, 'temperature' | 'topK' | 'topP'>,
): Float64Array {
  const n = logits.length;
  const probs = new Float64Array(n);
  let best = 0;
  for (let i = 1; i < n; i++) if ((logits[i] ?? -Infinity) > (logits[best] ?? -Infinity)) best = i;
  if (options.temperature === 0 || options.topK === 1) {
    probs[best] = 1;
    return probs;
  }
  const max = logits[best] ?? 0;
  for (let i = 0; i < n; i++) {
    probs[i] = Math.exp(((logits[i] ?? -Infinity) - max) / options.temperature);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (probs[b] ?? 0) - (probs[a] ?? 0),
  );
  const keep = options.topK > 0 ? Math.min(options.topK, n) : n;
  let kept = 0;
  let mass = 0;
  // The nucleus over the top-k renormalised, as transformers' samplers apply them in turn.
  const topKMass = order.slice(0, keep).reduce((sum, i) => sum + (probs[i] ?? 0), 0);
  while (kept < keep && (kept === 0 || mass / topKMass < options.topP)) {
    mass += probs[order[kept] ?? 0] ?? 0;
    kept++;
  }
  const out = new Float64Array(n);
  for (let r = 0; r < kept; r++) {
    const i = order[r] ?? 0;
    out[i] = (probs[i] ?? 0) / mass;
  }
  return out;
}

export function drawFrom(distribution: Float64Array, random: () => number): number {
  let u = random();
  let last = 0;
  for (let i = 0; i < distribution.length; i++) {
    const p = distribution[i] ?? 0;
    if (p <= 0) continue;
    last = i;
    u -= p;
    if (u < 0) return i;
  }
  return last; // rounding left a sliver of mass: the last candidate takes it
}

/** Generates `count` texts that continue the prompt; deterministic for a seed. */
export function generateTexts(
  model: TextModel,
  vocabulary: readonly string[],
  options: TextDecoding,
  seed: number,
): string[] {
  checkTextDecoding(options);
  if (vocabulary.length !== model.vocabSize) {
    throw new StudioFailure('invalid-input', 'The vocabulary does not match the model.');
  }
  let prompt: Int32Array;
  try {
    prompt = encodeText(options.prompt, vocabulary);
  } catch (error) {
    throw new StudioFailure(
      'invalid-input',
      `The prompt uses characters the model never saw: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  const newline = vocabulary.indexOf('\n');
  const start = prompt.length > 0 ? prompt : Int32Array.of(newline >= 0 ? newline : 0);
  const random = new SeededRandom(seed);
  const { count } = options;
  const decoder = model.decoder(count);
  try {
    let logits: Float32Array = new Float32Array(0);
    for (const token of start) logits = decoder.next(new Int32Array(count).fill(token));
    const generated: number[][] = Array.from({ length: count }, () => []);
    const done = new Array<boolean>(count).fill(false);
    for (let step = 0; step < options.maxLength && done.includes(false); step++) {
      const next = new Int32Array(count);
      for (let s = 0; s < count; s++) {
        const row = logits.subarray(s * model.vocabSize, (s + 1) * model.vocabSize);
        const token = drawFrom(decodingDistribution(row, options), () => random.next());
        next[s] = token;
        if (done[s]) continue;
        if (options.stopAtNewline && token === newline) done[s] = true;
        else generated[s]?.push(token);
      }
      if (step + 1 < options.maxLength && done.includes(false)) logits = decoder.next(next);
    }
    return generated.map((tokens) => options.prompt + decodeTokens(tokens, vocabulary));
  } finally {
    decoder.dispose();
  }
}

const GENERATE_CHUNK = 64;

/** `count` images from seeded noise (and cycled class ids for a conditional model), as pixels. */
export function generatePixels(
  model: ImageGenerator,
  count: number,
  seed: number,
): { pixels: Float32Array; requested?: Int32Array } {
  const size = model.imageSize * model.imageSize * model.channels;
  const pixels = new Float32Array(count * size);
  const requested = gridLabels(count, model.classCount);
  const noise = latentNoise(count, model.latentDim, seed); // [N, L]
  try {
    for (let from = 0; from < count; from += GENERATE_CHUNK) {
      const n = Math.min(GENERATE_CHUNK, count - from);
      const values = tf.tidy(() => {
        const z = noise.slice([from, 0], [n, model.latentDim]) as tf.Tensor2D;
        const labels = requested && tf.tensor1d(requested.subarray(from, from + n), 'int32');
        return model.generate(z, labels).dataSync(); // [n, H, W, C]
      });
      pixels.set(values, from * size);
    }
  } finally {
    noise.dispose();
  }
  return requested === undefined ? { pixels } : { pixels, requested };
}
