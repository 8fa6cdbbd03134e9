// The 'evaluate' message through the worker's own dispatch (serveMlWorker on an in-process port):
// queued like a sample request, answered with 'evaluate-done', cancellable while it trains the
// feature network.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConvVaeConfig } from '../../config/configs';
import { resolveTrainingConfig } from '../../config/trainingConfig';
import type { HostToWorker, WorkerToHost } from '../../protocol';
import type { ImageEvaluateRequest } from './evaluateJob';
import { useTestBackend } from '../testing/backend';
import { classBlobImages, imageParts } from '../testing/syntheticImages';
import { runTrainJob } from '../training/jobs';
import { serveMlWorker } from '../worker';

let root: string;
let checkpoint: string;
const train = classBlobImages(24, 8, 2, 1);
const validation = classBlobImages(12, 8, 2, 2);

beforeAll(async () => {
  await useTestBackend('conv');
  root = mkdtempSync(path.join(os.tmpdir(), 'ml-evaluate-message-'));
  checkpoint = path.join(root, 'vae');
  const outcome = await runTrainJob(
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
      data: imageParts(train.images),
      checkpointDir: checkpoint,
    },
    { onEvent: () => undefined, shouldStop: () => false },
  );
  expect(outcome.status).toBe('completed');
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A worker served on an in-process port: send messages, wait for the one that answers a job. */
function inProcessWorker() {
  let listener: ((message: HostToWorker) => void) | undefined;
  const received: WorkerToHost[] = [];
  const waiting: { jobId: string; resolve: (message: WorkerToHost) => void }[] = [];
  serveMlWorker({
    postMessage: (message) => {
      received.push(message);
      const at = waiting.findIndex((w) => 'jobId' in message && w.jobId === message.jobId);
      if (at >= 0 && message.type === 'evaluate-done') waiting.splice(at, 1)[0]?.resolve(message);
    },
    on: (_event, handler) => {
      listener = handler;
    },
    close: () => undefined,
  });
  return {
    send: (message: HostToWorker) => listener?.(message),
    done: (jobId: string) =>
      new Promise<WorkerToHost>((resolve) => waiting.push({ jobId, resolve })),
  };
}

const request = (jobId: string): ImageEvaluateRequest => ({
  jobId,
  kind: 'images',
  checkpoint,
  train: train.images,
  trainLabels: train.labels,
  validation: validation.images,
  classCount: 2,
  featureNetworkOptions: { steps: 10, batchSize: 8, embeddingDim: 8 },
  sampleCount: 12,
  kid: { subsets: 1, subsetSize: 12 },
});

describe("the worker's evaluate message", () => {
  it('answers with the figures of the checkpoint', async () => {
    const worker = inProcessWorker();
    const done = worker.done('e1');
    worker.send({ type: 'evaluate', request: request('e1') });
    const message = await done;
    if (message.type !== 'evaluate-done' || !message.outcome.ok) {
      throw new Error(`evaluate failed: ${JSON.stringify(message)}`);
    }
    expect(message.outcome.value.kind).toBe('images');
    expect(message.outcome.value.step).toBe(3);
    expect(Number.isFinite(message.outcome.value.metrics.eval_coverage)).toBe(true);
  });

  it('is cancelled by a stop while it trains the feature network', async () => {
    const worker = inProcessWorker();
    const done = worker.done('e2');
    worker.send({
      type: 'evaluate',
      request: { ...request('e2'), featureNetworkOptions: { steps: 500 } },
    });
    worker.send({ type: 'stop', jobId: 'e2' });
    const message = await done;
    expect(
      message.type === 'evaluate-done' && !message.outcome.ok && message.outcome.error.message,
    ).toBe('The request was cancelled.');
  });
});
