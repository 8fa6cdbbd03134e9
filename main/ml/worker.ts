// The ML worker thread (built to out/main/mlWorker.js). It owns tfjs: native TensorFlow cannot be
// loaded twice in one process, so there is one such thread, it runs one job at a time from a queue,
// and nothing a job does may take it down — a bad job becomes a 'failed' outcome.

import { parentPort, workerData } from 'node:worker_threads';
import type { BackendName, BackendReport, StudioError } from '../../preload/contract';
import { resolveBackend } from './backend';
import { jobError, messageOf, mlError } from './errors';
import { buildDenseVae } from './models/denseVae';
import { ML_WORKER_ROLE } from './protocol';
import type {
  HostToWorker,
  MlWorkerData,
  TrainEvent,
  TrainJob,
  TrainOutcome,
  WorkerToHost,
} from './protocol';
import { trainImageModel } from './training/trainImageModel';

/** The part of a MessagePort the worker uses; a test can hand in a fake. */
export interface WorkerPort {
  postMessage(message: WorkerToHost, transferList?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: HostToWorker) => void): unknown;
  close(): void;
}

/**
 * For the last link of a promise chain whose only possible failure is posting to a closed port:
 * nobody is left to tell, and an unhandled rejection would kill the thread (the wasm runtime turns
 * them into uncaught exceptions).
 */
function ignoreClosedPort(): void {}

type BackendState = { ok: true; report: BackendReport } | { ok: false; error: StudioError };

function transferablesOf(event: TrainEvent): ArrayBuffer[] {
  if (event.type !== 'samples') return [];
  const buffers: ArrayBuffer[] = [];
  for (const image of event.images) {
    // Each sample owns its buffer (see renderSamples), so transferring never detaches a neighbour.
    if (image.pixels.buffer instanceof ArrayBuffer) buffers.push(image.pixels.buffer);
  }
  return buffers;
}

async function runJob(
  job: TrainJob,
  backend: BackendState,
  post: (message: WorkerToHost, transferList?: ArrayBuffer[]) => void,
  shouldStop: () => boolean,
): Promise<TrainOutcome> {
  if (!backend.ok) return { status: 'failed', step: 0, error: backend.error };
  if (job.family !== 'dense-vae') {
    return {
      status: 'failed',
      step: 0,
      error: mlError(`The ML worker cannot train the model family "${String(job.family)}".`),
    };
  }
  const model = buildDenseVae(job.config);
  try {
    return await trainImageModel(
      job.config,
      job.data,
      model,
      { sampleEvery: job.sampleEvery, sampleCount: job.sampleCount },
      {
        onEvent: (event) =>
          post({ type: 'job-event', jobId: job.jobId, event }, transferablesOf(event)),
        shouldStop,
      },
    );
  } finally {
    model.dispose();
  }
}

/** Answers the host's messages on `port` until it says 'shutdown'. */
export function serveMlWorker(port: WorkerPort): void {
  let backend: Promise<BackendState> | null = null;
  const queue: TrainJob[] = [];
  let running: { jobId: string; stopRequested: boolean } | null = null;
  let shuttingDown = false;

  const post = (message: WorkerToHost, transferList: ArrayBuffer[] = []): void =>
    port.postMessage(message, transferList);

  const startBackend = (preferBackend?: BackendName): Promise<BackendState> => {
    backend ??= resolveBackend({ preferBackend }).then(
      (report): BackendState => ({ ok: true, report }),
      (error: unknown): BackendState => ({
        ok: false,
        error: mlError(`The ML engine could not start: ${messageOf(error)}`),
      }),
    );
    return backend;
  };

  const finishIfShutDown = (): void => {
    if (shuttingDown && running === null) port.close();
  };

  const pump = (): void => {
    if (running !== null) return;
    const job = queue.shift();
    if (job === undefined) {
      finishIfShutDown();
      return;
    }
    const current = { jobId: job.jobId, stopRequested: false };
    running = current;
    startBackend()
      .then((state) => runJob(job, state, post, () => current.stopRequested))
      .catch((error: unknown): TrainOutcome => ({
        status: 'failed',
        step: 0,
        error: jobError(error),
      }))
      .then((outcome) => {
        post({ type: 'job-done', jobId: job.jobId, outcome });
        running = null;
        pump();
      })
      .catch(ignoreClosedPort);
  };

  const stopQueued = (jobId: string): void => {
    const at = queue.findIndex((job) => job.jobId === jobId);
    if (at < 0) return;
    queue.splice(at, 1);
    post({ type: 'job-done', jobId, outcome: { status: 'stopped', step: 0 } });
  };

  port.on('message', (message) => {
    switch (message.type) {
      case 'init':
        startBackend(message.preferBackend)
          .then((state) =>
            post(
              state.ok
                ? { type: 'ready', backend: state.report }
                : { type: 'init-failed', error: state.error },
            ),
          )
          .catch(ignoreClosedPort);
        break;
      case 'train':
        if (shuttingDown) {
          post({
            type: 'job-done',
            jobId: message.job.jobId,
            outcome: {
              status: 'stopped',
              step: 0,
              error: mlError('The ML worker is shutting down.'),
            },
          });
          break;
        }
        queue.push(message.job);
        pump();
        break;
      case 'stop':
        if (running?.jobId === message.jobId) running.stopRequested = true;
        else stopQueued(message.jobId);
        break;
      case 'shutdown':
        shuttingDown = true;
        if (running !== null) running.stopRequested = true;
        for (const job of [...queue]) stopQueued(job.jobId);
        finishIfShutDown();
        break;
    }
  });
}

const startedByHost =
  typeof workerData === 'object' &&
  workerData !== null &&
  (workerData as Partial<MlWorkerData>).role === ML_WORKER_ROLE;
if (parentPort !== null && startedByHost) serveMlWorker(parentPort);
