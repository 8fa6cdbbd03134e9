// Every family the studio trains: train a tiny model, export it, load the folder with plain
// @tensorflow/tfjs in a separate Node process (its own loader and sampling loop, nothing of the
// studio's), and check that it generates what the studio generates from the checkpoint for the
// same seed.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleRequest, SampleResult, TrainJob } from '../../protocol';
import { useTestBackend } from '../testing/backend';
import { barImages, imageParts } from '../testing/syntheticImages';
import { repeatedPhrase, textParts } from '../testing/syntheticText';
import * as tf from '@tensorflow/tfjs';
import { gridLabels, latentNoise } from '../training/generation';
import { loadCheckpointModel, runSampleJob, runTrainJob } from '../training/jobs';
import { runExportModelJob } from './exportModelJob';

const run = promisify(execFile);
let root: string;
let next = 0;

beforeAll(async () => {
  await useTestBackend('conv');
  root = mkdtempSync(path.join(os.tmpdir(), 'model-export-'));
  // The exported folders resolve @tensorflow/tfjs as an installed copy would be found.
  symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'), 'dir');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the exported folder's own loader and generator in plain Node; returns what it made. */
async function generateInPlainNode(folder: string, ask: object): Promise<unknown> {
  const script = `
    const { loadStudioModel } = await import(${JSON.stringify(path.join(folder, 'load-node.mjs'))});
    const { generateImages, generateImageTensor, generateTexts } = await import(${JSON.stringify(path.join(folder, 'generate.mjs'))});
    const { tf, model, info } = await loadStudioModel();
    const ask = ${JSON.stringify(ask)};
    const out = info.kind === 'image'
      ? generateImages(tf, model, info, ask).map((image) => Array.from(image.pixels))
      : generateTexts(tf, model, info, ask, ask.seed);
    const raw = info.kind === 'image' ? Array.from(generateImageTensor(tf, model, info, ask).dataSync()) : [];
    process.stdout.write('RESULT ' + JSON.stringify({ backend: tf.getBackend(), out, raw }) + '\\n');`;
  const file = path.join(root, `check-${++next}.mjs`);
  writeFileSync(file, script);
  const { stdout } = await run(process.execPath, [file], { cwd: root, maxBuffer: 64 << 20 });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`No result from plain Node: ${stdout}`);
  return JSON.parse(line.slice('RESULT '.length)) as unknown;
}

/** The studio model's own output floats for the grid `ask` describes (as runSampleJob draws it). */
async function studioImageFloats(
  checkpoint: string,
  ask: Record<string, unknown>,
): Promise<number[]> {
  const { model } = await loadCheckpointModel(checkpoint);
  try {
    if (model.kind !== 'image') throw new Error('not an image model');
    const count = ask['count'] as number;
    const given = ask['labels'] as number[] | undefined;
    const labels =
      model.classCount === 0
        ? undefined
        : given !== undefined
          ? Int32Array.from({ length: count }, (_, i) => given[i % given.length] ?? 0)
          : gridLabels(count, model.classCount);
    return tf.tidy(() => {
      const noise = latentNoise(count, model.latentDim, ask['seed'] as number);
      const out = model.generate(
        noise,
        labels === undefined ? undefined : tf.tensor1d(labels, 'int32'),
      );
      return Array.from(out.dataSync());
    });
  } finally {
    model.dispose();
  }
}

async function trainAndExport(
  job: Omit<TrainJob, 'jobId' | 'checkpointDir'>,
): Promise<{ checkpoint: string; folder: string }> {
  const checkpoint = path.join(root, `run-${++next}`);
  const outcome = await runTrainJob(
    { ...job, jobId: 'train', checkpointDir: checkpoint } as TrainJob,
    {
      onEvent: () => undefined,
      shouldStop: () => false,
    },
  );
  expect(outcome.status).toBe('completed');
  const folder = path.join(root, `export-${next}`);
  const result = await runExportModelJob({ jobId: 'export', checkpoint, outDir: folder });
  expect(result.files).toEqual(
    expect.arrayContaining([
      'model.json',
      'group1-shard1of1.bin',
      'studio-model.json',
      'generate.mjs',
      'load-node.mjs',
      'example.mjs',
    ]),
  );
  return { checkpoint, folder };
}

const training = { steps: 6, seed: 4, sampleCount: 0, validateEvery: 0 };
const images = imageParts(barImages(12, 8), 0);
const labels = Int32Array.from({ length: 12 }, (_, i) => i % 2);
const corpus = repeatedPhrase(20);
const text = { ...textParts(corpus.tokens, 0.1), vocabulary: corpus.vocabulary };

const families: {
  name: string;
  job: Omit<TrainJob, 'jobId' | 'checkpointDir'>;
  ask: Record<string, unknown>;
}[] = [
  {
    name: 'dense-vae',
    job: {
      family: 'dense-vae',
      config: {
        imageSize: 8,
        channels: 1,
        latentDim: 3,
        hiddenUnits: 16,
        batchSize: 4,
        steps: 6,
        learningRate: 1e-2,
        beta: 1,
        seed: 4,
      },
      training,
      data: images,
    } as never,
    ask: { kind: 'images', mode: 'grid', count: 5, seed: 11 },
  },
  {
    name: 'conv-vae',
    job: {
      family: 'conv-vae',
      config: { imageSize: 8, channels: 1, latentDim: 3, filters: [4, 8], batchSize: 4 },
      training,
      data: images,
    } as never,
    ask: { kind: 'images', mode: 'grid', count: 5, seed: 12 },
  },
  {
    name: 'dcgan',
    job: {
      family: 'dcgan',
      config: {
        imageSize: 8,
        channels: 1,
        latentDim: 4,
        generatorFilters: [8, 4],
        discriminatorFilters: [4, 8],
        batchSize: 4,
      },
      training,
      data: images,
    } as never,
    ask: { kind: 'images', mode: 'grid', count: 4, seed: 13 },
  },
  {
    name: 'conditional dcgan',
    job: {
      family: 'dcgan',
      config: {
        imageSize: 8,
        channels: 1,
        latentDim: 4,
        generatorFilters: [8, 4],
        discriminatorFilters: [4, 8],
        classCount: 2,
        batchSize: 4,
      },
      training,
      data: imageParts(barImages(12, 8), 0, labels),
    } as never,
    ask: { kind: 'images', mode: 'grid', count: 5, seed: 14, labels: [1, 0, 1] },
  },
  {
    name: 'char-rnn (lstm, 2 layers)',
    job: {
      family: 'char-rnn',
      config: {
        vocabSize: corpus.vocabulary.length,
        sequenceLength: 8,
        embeddingDim: 6,
        hiddenUnits: 12,
        layers: 2,
        batchSize: 4,
        learningRate: 1e-2,
      },
      training,
      data: text,
    } as never,
    ask: {
      kind: 'text',
      prompt: 'he',
      maxLength: 30,
      temperature: 1,
      topK: 0,
      topP: 0.9,
      count: 3,
      seed: 5,
    },
  },
  {
    name: 'char-rnn (gru)',
    job: {
      family: 'char-rnn',
      config: {
        cell: 'gru',
        vocabSize: corpus.vocabulary.length,
        sequenceLength: 8,
        embeddingDim: 6,
        hiddenUnits: 12,
        batchSize: 4,
        learningRate: 1e-2,
      },
      training,
      data: text,
    } as never,
    ask: {
      kind: 'text',
      prompt: '',
      maxLength: 30,
      temperature: 0.8,
      topK: 5,
      topP: 1,
      count: 2,
      seed: 6,
    },
  },
  {
    name: 'char-gpt',
    job: {
      family: 'char-gpt',
      config: {
        vocabSize: corpus.vocabulary.length,
        contextLength: 6,
        layers: 2,
        heads: 2,
        width: 8,
        batchSize: 4,
        learningRate: 1e-2,
      },
      training,
      data: text,
    } as never,
    ask: {
      kind: 'text',
      prompt: 'hel',
      maxLength: 20,
      temperature: 1.2,
      topK: 0,
      topP: 0.95,
      count: 3,
      seed: 7,
      stopAtNewline: true,
    },
  },
];

describe('an exported model generates what the studio generates, in plain Node', () => {
  for (const { name, job, ask } of families) {
    it(
      name,
      async () => {
        const { checkpoint, folder } = await trainAndExport(job);
        const studio: SampleResult = await runSampleJob({
          ...ask,
          jobId: 's',
          checkpoint,
        } as SampleRequest);
        const exported = (await generateInPlainNode(folder, {
          ...ask,
          classes: ask['labels'],
        })) as {
          backend: string;
          out: unknown;
          raw: number[];
        };
        expect(exported.backend).toBe('cpu'); // plain tfjs, no native backend
        if (studio.kind === 'text') {
          expect(exported.out).toEqual(studio.texts);
          return;
        }
        const pixels = exported.out as number[][];
        expect(pixels).toHaveLength(studio.images.length);
        studio.images.forEach((image, i) => {
          const theirs = pixels[i] ?? [];
          expect(theirs).toHaveLength(image.pixels.length);
          // Backends round differently in the last bit; a pixel may land one 8-bit level apart.
          const worst = Math.max(
            ...Array.from(image.pixels, (v, k) => Math.abs(v - (theirs[k] ?? -99))),
          );
          expect(worst).toBeLessThanOrEqual(1);
        });
        // Before 8-bit rounding: the same floats as the studio's model makes from the same noise.
        const studioRaw = await studioImageFloats(checkpoint, ask);
        expect(exported.raw).toHaveLength(studioRaw.length);
        const error = Math.max(...studioRaw.map((v, k) => Math.abs(v - (exported.raw[k] ?? NaN))));
        expect(error).toBeLessThan(1e-5);
        expect(new Set(studioRaw).size).toBeGreaterThan(studioRaw.length / 2); // not a constant image
      },
      120_000,
    );
  }

  it('refuses a folder that exists, and a folder with no checkpoint', async () => {
    const { checkpoint, folder } = await trainAndExport(families[0]!.job);
    await expect(runExportModelJob({ jobId: 'x', checkpoint, outDir: folder })).rejects.toThrow(
      /EEXIST|exists/,
    );
    expect(existsSync(path.join(folder, 'model.json'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(folder, 'studio-model.json'), 'utf8'))).toMatchObject({
      family: 'dense-vae',
      step: 6,
    });
    await expect(
      runExportModelJob({
        jobId: 'x',
        checkpoint: path.join(root, 'nowhere'),
        outDir: path.join(root, 'n'),
      }),
    ).rejects.toThrow(/no checkpoint/);
  }, 60_000);
});
