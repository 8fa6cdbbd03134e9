// MlHost.evaluate across the real worker thread (the build): the figures and the trained feature
// network survive the message boundary, and the cached network gives the same figures back.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConvVaeConfig } from './config/configs';
import { resolveTrainingConfig } from './config/trainingConfig';
import { MlHost } from './host';
import type { EvaluateRequest } from './protocol';
import { classBlobImages, imageParts } from './worker/testing/syntheticImages';

const BUILT_WORKER = fileURLToPath(new URL('../../out/main/mlWorker.js', import.meta.url));

describe('MlHost.evaluate with the built worker', () => {
  let host: MlHost;
  let checkpointDir: string;
  beforeAll(() => {
    if (!existsSync(BUILT_WORKER)) {
      throw new Error(
        `The built ML worker is missing (${BUILT_WORKER}): run \`npm run build\` first.`,
      );
    }
    host = new MlHost({ workerPath: BUILT_WORKER });
    checkpointDir = mkdtempSync(path.join(os.tmpdir(), 'ml-host-evaluate-'));
  });
  afterAll(async () => {
    await host?.close();
    rmSync(checkpointDir, { recursive: true, force: true });
  });

  it('judges a checkpoint and hands back the feature network to cache', async () => {
    const train = classBlobImages(24, 8, 2, 1);
    const validation = classBlobImages(12, 8, 2, 2);
    const handle = host.train(
      {
        jobId: 'vae',
        family: 'conv-vae',
        config: resolveConvVaeConfig({
          imageSize: 8,
          channels: 1,
          latentDim: 3,
          filters: [2, 4],
          batchSize: 4,
        }),
        training: resolveTrainingConfig({ steps: 3, sampleCount: 0 }),
        // A copy (imageParts slices): the training job's pixels are transferred to the worker.
        data: imageParts(train.images),
        checkpointDir,
      },
      () => undefined,
    );
    expect(await handle.done).toMatchObject({ status: 'completed', step: 3 });
    const request: EvaluateRequest = {
      jobId: 'evaluate-1',
      kind: 'images',
      checkpoint: checkpointDir,
      train: train.images,
      trainLabels: train.labels,
      validation: validation.images,
      classCount: 2,
      featureNetworkOptions: { steps: 10, batchSize: 8, embeddingDim: 8 },
      sampleCount: 16,
      kid: { subsets: 2, subsetSize: 12 },
    };
    const first = await host.evaluate(request);
    if (first.kind !== 'images') throw new Error('an image checkpoint gives an image evaluation');
    expect(train.images.pixels.length).toBe(24 * 64); // copied, not transferred
    expect(first.step).toBe(3);
    const network = first.trainedFeatureNetwork;
    expect(network?.tensors[0]?.values).toBeInstanceOf(Float32Array);
    expect(Number.isFinite(first.metrics.eval_frechet_distance)).toBe(true);
    const cached = await host.evaluate({
      ...request,
      jobId: 'evaluate-2',
      featureNetwork: network,
    });
    expect(cached.metrics).toEqual(first.metrics);
    await expect(
      host.evaluate({
        ...request,
        jobId: 'evaluate-3',
        checkpoint: path.join(checkpointDir, 'none'),
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});
