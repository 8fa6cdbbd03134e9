// The plain-JavaScript files an exported model folder carries beside model.json: the sampling loop
// (the studio's own seeded noise and text decoding, ported line for line from
// training/generation.ts and common/random.ts, so a seed gives the studio's output), a Node
// loader (plain @tensorflow/tfjs has no file system handler) and a ten-line example. They are
// strings because they are written into the folder, never run by the studio itself; the export
// test runs them in a separate plain Node process against the studio's own generation.

export const GENERATE_MJS = String.raw`// Generates from a Generative Studio model with the studio's own sampling, so that a seed gives
// the output the studio gives. Works with any tfjs (Node or a browser): pass it in.
//   images: generateImages(tf, model, info, { count, seed, classes }) -> [{ width, height, channels, pixels }]
//   text:   generateTexts(tf, model, info, { prompt, maxLength, temperature, topK, topP, count, stopAtNewline }, seed)

/** mulberry32, the studio's seeded generator. */
function seededRandom(seed) {
  let current = seed >>> 0;
  return () => {
    current = (current + 0x6d2b79f5) >>> 0;
    let t = current;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded standard-normal latents [count, L], as the studio draws them. */
export function latentNoise(tf, count, latentDim, seed) {
  return tf.randomNormal([count, latentDim], 0, 1, 'float32', (seed % 2147483646) + 1);
}

/** The model's images [N, S, S, C] in [0, 1] as a tensor (the caller disposes it). */
export function generateImageTensor(tf, model, info, { count = 16, seed = 1, classes } = {}) {
  const feeds = { latent: latentNoise(tf, count, info.latentDim, seed) };
  if (info.classCount > 0) {
    // Class ids default to 0, 1, …, K−1, 0, … as in the studio's grids; given ones are cycled.
    const ids = Array.from({ length: count }, (_, i) =>
      classes && classes.length > 0 ? classes[i % classes.length] : i % info.classCount,
    );
    if (ids.some((id) => !(Number.isInteger(id) && id >= 0 && id < info.classCount))) {
      throw new Error('Class ids must be from 0 to ' + (info.classCount - 1));
    }
    feeds.classes = tf.tensor1d(ids, 'int32');
  }
  const out = model.execute(feeds, info.graph.outputs.images);
  tf.dispose(Object.values(feeds));
  return out;
}

/** 8-bit images from seeded noise, as the studio saves its samples. */
export function generateImages(tf, model, info, options = {}) {
  const out = generateImageTensor(tf, model, info, options);
  const values = out.dataSync();
  const [n, height, width, channels] = out.shape;
  out.dispose();
  const size = height * width * channels;
  return Array.from({ length: n }, (_, k) => {
    const pixels = new Uint8Array(size);
    for (let i = 0; i < size; i++) pixels[i] = Math.min(255, Math.max(0, Math.round(values[k * size + i] * 255)));
    return { width, height, channels, pixels };
  });
}

/** softmax(logits / temperature), cut to the top k, then to the top-p nucleus, renormalised. */
export function decodingDistribution(logits, { temperature, topK, topP }) {
  const n = logits.length;
  const probs = new Float64Array(n);
  let best = 0;
  for (let i = 1; i < n; i++) if (logits[i] > logits[best]) best = i;
  if (temperature === 0 || topK === 1) {
    probs[best] = 1;
    return probs;
  }
  const max = logits[best];
  for (let i = 0; i < n; i++) probs[i] = Math.exp((logits[i] - max) / temperature);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[b] - probs[a]);
  const keep = topK > 0 ? Math.min(topK, n) : n;
  let kept = 0;
  let mass = 0;
  const topKMass = order.slice(0, keep).reduce((sum, i) => sum + probs[i], 0);
  while (kept < keep && (kept === 0 || mass / topKMass < topP)) {
    mass += probs[order[kept]];
    kept++;
  }
  const out = new Float64Array(n);
  for (let r = 0; r < kept; r++) out[order[r]] = probs[order[r]] / mass;
  return out;
}

function drawFrom(distribution, random) {
  let u = random();
  let last = 0;
  for (let i = 0; i < distribution.length; i++) {
    const p = distribution[i];
    if (p <= 0) continue;
    last = i;
    u -= p;
    if (u < 0) return i;
  }
  return last;
}

/** One character step for 'count' texts side by side: tokens -> logits [count * V]. */
function stepper(tf, model, info, count) {
  const { inputs, outputs } = info.graph;
  if (info.family === 'char-rnn') {
    const H = info.config.hiddenUnits;
    const stateKeys = Object.keys(inputs).filter((key) => key !== 'tokens');
    let states = Object.fromEntries(stateKeys.map((key) => [key, tf.zeros([count, H])]));
    return {
      next(tokens) {
        const feeds = { tokens: tf.tensor1d(tokens, 'int32'), ...states };
        const names = ['logits', ...stateKeys.map((key) => key + '_next')];
        const results = model.execute(feeds, names.map((name) => outputs[name]));
        const logits = results[0].dataSync();
        tf.dispose([results[0], feeds.tokens, ...Object.values(states)]);
        states = Object.fromEntries(stateKeys.map((key, i) => [key, results[i + 1]]));
        return logits;
      },
      dispose: () => tf.dispose(Object.values(states)),
    };
  }
  const T = info.config.contextLength;
  const history = Array.from({ length: count }, () => []);
  return {
    next(tokens) {
      history.forEach((seq, i) => {
        seq.push(tokens[i]);
        if (seq.length > T) seq.shift();
      });
      const t = history[0].length;
      const window = new Int32Array(count * T);
      history.forEach((seq, i) => window.set(seq, i * T));
      const feeds = { tokens: tf.tensor2d(window, [count, T], 'int32'), position: tf.tensor1d([t - 1], 'int32') };
      const out = model.execute(feeds, outputs.logits);
      const logits = out.dataSync();
      tf.dispose([out, ...Object.values(feeds)]);
      return logits;
    },
    dispose: () => undefined,
  };
}

/** Texts that continue the prompt; the same seed and options give the studio's texts. */
export function generateTexts(tf, model, info, options = {}, seed = 1) {
  const o = { ...info.decoding, ...options };
  const vocabulary = info.vocabulary;
  const V = vocabulary.length;
  const ids = new Map(vocabulary.map((char, i) => [char, i]));
  const prompt = Array.from(o.prompt).map((char) => {
    const id = ids.get(char);
    if (id === undefined) throw new Error('The prompt uses a character the model never saw: ' + JSON.stringify(char));
    return id;
  });
  const newline = vocabulary.indexOf('\n');
  const start = prompt.length > 0 ? prompt : [newline >= 0 ? newline : 0];
  const random = seededRandom(seed);
  const count = o.count;
  const decoder = stepper(tf, model, info, count);
  try {
    let logits = new Float32Array(0);
    for (const token of start) logits = decoder.next(new Int32Array(count).fill(token));
    const generated = Array.from({ length: count }, () => []);
    const done = new Array(count).fill(false);
    for (let step = 0; step < o.maxLength && done.includes(false); step++) {
      const next = new Int32Array(count);
      for (let s = 0; s < count; s++) {
        const token = drawFrom(decodingDistribution(logits.subarray(s * V, (s + 1) * V), o), random);
        next[s] = token;
        if (done[s]) continue;
        if (o.stopAtNewline && token === newline) done[s] = true;
        else generated[s].push(token);
      }
      if (step + 1 < o.maxLength && done.includes(false)) logits = decoder.next(next);
    }
    return generated.map((tokens) => o.prompt + tokens.map((id) => vocabulary[id] ?? '').join(''));
  } finally {
    decoder.dispose();
  }
}
`;

export const LOAD_NODE_MJS = String.raw`// Loads this folder's model in plain Node with @tensorflow/tfjs (no native backend): plain tfjs
// has no file:// handler, so the files are read here and handed over from memory.
// In a browser: const model = await tf.loadGraphModel('model.json') (served from this folder).
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function loadStudioModel(dir = here) {
  const modelJson = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
  const info = JSON.parse(await readFile(path.join(dir, 'studio-model.json'), 'utf8'));
  const paths = modelJson.weightsManifest.flatMap((group) => group.paths);
  const shards = await Promise.all(paths.map((p) => readFile(path.join(dir, p))));
  const weightData = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
  let at = 0;
  for (const shard of shards) {
    weightData.set(shard, at);
    at += shard.byteLength;
  }
  const model = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      format: modelJson.format,
      generatedBy: modelJson.generatedBy,
      convertedBy: modelJson.convertedBy,
      signature: modelJson.signature,
      weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
      weightData: weightData.buffer,
    }),
  );
  return { tf, model, info };
}
`;

export function exampleMjs(kind: 'image' | 'text'): string {
  const body =
    kind === 'image'
      ? `const images = generateImages(tf, model, info, { count: 4, seed: 1 });
console.log(images.map((image) => image.width + 'x' + image.height + 'x' + image.channels));`
      : `const texts = generateTexts(tf, model, info, { count: 2, maxLength: 80 }, 1);
console.log(texts.join('\\n---\\n'));`;
  return `// node example.mjs (after: npm install @tensorflow/tfjs): generates with the studio's seed 1.
import { loadStudioModel } from './load-node.mjs';
import { generateImages, generateTexts } from './generate.mjs';

const { tf, model, info } = await loadStudioModel();
console.log(info.family, 'trained', info.step, 'steps');
${body}
model.dispose();
`;
}
