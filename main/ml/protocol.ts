// Messages between the core (MlHost, main thread) and the one long-lived ML worker thread.
// Plain data only: everything here crosses `postMessage` (typed arrays are transferred).

import type { BackendName, BackendReport, ModelFamily, StudioError } from '../../preload/contract';

/** Training images, already decoded and resized by the core: [count, height, width, channels] in [0, 1]. */
export interface ImageTensorData {
  pixels: Float32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

export interface DenseVaeConfig {
  imageSize: number;
  channels: number;
  latentDim: number;
  hiddenUnits: number;
  batchSize: number;
  steps: number;
  learningRate: number;
  /** Weight of the KL term (beta-VAE); 1 is the plain VAE. */
  beta: number;
  seed: number;
}

export interface TrainJob {
  jobId: string;
  family: ModelFamily;
  config: DenseVaeConfig;
  data: ImageTensorData;
  /** Emit a sample grid every N steps (and always at the end). */
  sampleEvery: number;
  sampleCount: number;
}

/** One generated image, 8-bit, row-major [height, width, channels]. */
export interface GeneratedImage {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

export type TrainEvent =
  | {
      type: 'progress';
      step: number;
      totalSteps: number;
      stepsPerSecond: number;
      metrics: Record<string, number>;
    }
  | { type: 'samples'; step: number; images: GeneratedImage[] };

export interface TrainOutcome {
  status: 'completed' | 'stopped' | 'failed';
  step: number;
  /** Set when failed (or stopped for a reason other than a request, e.g. NaN loss). */
  error?: StudioError;
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
  | { type: 'stop'; jobId: string }
  | { type: 'shutdown' };

export type WorkerToHost =
  | { type: 'ready'; backend: BackendReport }
  | { type: 'init-failed'; error: StudioError }
  | { type: 'job-event'; jobId: string; event: TrainEvent }
  | { type: 'job-done'; jobId: string; outcome: TrainOutcome };
