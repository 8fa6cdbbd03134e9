// The ML worker thread (built to out/main/mlWorker.js). It owns tfjs: native TensorFlow cannot be
// loaded twice in one process, so there is one such thread, it runs one job at a time from a queue
// (training, sampling from a checkpoint, estimating a config), and nothing a job does may take it
// down — a bad job becomes a 'failed' outcome.

import { parentPort, workerData } from 'node:worker_threads';
import type { BackendName, BackendReport, Outcome, StudioError } from '../../../preload/contract';
import { resolveBackend } from './backend';
import { jobError, messageOf, mlError } from '../errors';
import { outOfFoldProbabilities, OutOfFoldStopped } from './audit/outOfFold';
import { runEvaluateJob } from './evaluation/evaluateJob';
import { FeatureNetworkStopped } from './evaluation/featureNetwork';
import { ML_WORKER_ROLE } from '../protocol';
import type {
  ClassifyRequest,
  EstimateRequest,
  EvaluateRequest,
  ExportModelRequest,
  HostToWorker,
  JobEvent,
  MlWorkerData,
  SampleRequest,
  SampleResult,
  TrainJob,
  TrainOutcome,
  WorkerToHost,
} from '../protocol';
import { runEstimateJob, runSampleJob, runTrainJob } from './training/jobs';
import { runExportModelJob } from './export/exportModelJob';

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

type Work =
  | { kind: 'train'; jobId: string; job: TrainJob }
  | { kind: 'sample'; jobId: string; request: SampleRequest }
  | { kind: 'estimate'; jobId: string; request: EstimateRequest }
  | { kind: 'evaluate'; jobId: string; request: EvaluateRequest };

function imageBuffers(images: { pixels: Uint8Array }[]): ArrayBuffer[] {
  // Each image owns its buffer (see toGeneratedImages), so transferring never detaches a neighbour.
  return images.flatMap((image) =>
    image.pixels.buffer instanceof ArrayBuffer ? [image.pixels.buffer] : [],
  );
}

function transferablesOf(event: JobEvent): ArrayBuffer[] {
  return event.type === 'samples' ? imageBuffers(event.images) : [];
}

function transferablesOfResult(result: SampleResult): ArrayBuffer[] {
  return result.kind === 'images' ? imageBuffers(result.images) : [];
}

/** Answers the host's messages on `port` until it says 'shutdown'. */
export function serveMlWorker(port: WorkerPort): void {
  let backend: Promise<BackendState> | null = null;
  const queue: Work[] = [];
  let running: { jobId: string; stopRequested: boolean } | null = null;
  /** The audit's classifier jobs, which run beside the queue (see ClassifyRequest). */
  const classifying = new Map<string, { stopRequested: boolean }>();
  /** Model exports, which also run beside the queue: they read files and need no backend. */
  const exporting = new Set<string>();
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
    if (shuttingDown && running === null && classifying.size === 0 && exporting.size === 0) {
      port.close();
    }
  };

  /** Ends a piece of work that will not run (stopped while queued, or refused), with `error`. */
  const refuse = (work: Work, error?: StudioError): void => {
    if (work.kind === 'train') {
      post({
        type: 'job-done',
        jobId: work.jobId,
        outcome: { status: 'stopped', step: 0, ...(error === undefined ? {} : { error }) },
      });
      return;
    }
    const outcome = { ok: false as const, error: error ?? mlError('The request was cancelled.') };
    post(
      work.kind === 'sample'
        ? { type: 'sample-done', jobId: work.jobId, outcome }
        : work.kind === 'evaluate'
          ? { type: 'evaluate-done', jobId: work.jobId, outcome }
          : { type: 'estimate-done', jobId: work.jobId, outcome },
    );
  };

  const run = async (work: Work, state: BackendState, shouldStop: () => boolean): Promise<void> => {
    if (work.kind === 'train') {
      let outcome: TrainOutcome;
      if (!state.ok) outcome = { status: 'failed', step: 0, error: state.error };
      else {
        outcome = await runTrainJob(work.job, {
          onEvent: (event) =>
            post({ type: 'job-event', jobId: work.jobId, event }, transferablesOf(event)),
          shouldStop,
        }).catch((error: unknown): TrainOutcome => ({
          status: 'failed',
          step: 0,
          error: jobError(error),
        }));
      }
      post({ type: 'job-done', jobId: work.jobId, outcome });
      return;
    }
    if (work.kind === 'sample') {
      if (!state.ok)
        return post({
          type: 'sample-done',
          jobId: work.jobId,
          outcome: { ok: false, error: state.error },
        });
      try {
        const value = await runSampleJob(work.request);
        post(
          { type: 'sample-done', jobId: work.jobId, outcome: { ok: true, value } },
          transferablesOfResult(value),
        );
      } catch (error) {
        post({
          type: 'sample-done',
          jobId: work.jobId,
          outcome: { ok: false, error: jobError(error) },
        });
      }
      return;
    }
    if (work.kind === 'evaluate') {
      if (!state.ok) {
        return post({
          type: 'evaluate-done',
          jobId: work.jobId,
          outcome: { ok: false, error: state.error },
        });
      }
      try {
        const value = await runEvaluateJob(work.request, { shouldStop });
        post({ type: 'evaluate-done', jobId: work.jobId, outcome: { ok: true, value } });
      } catch (error) {
        post({
          type: 'evaluate-done',
          jobId: work.jobId,
          outcome: {
            ok: false,
            error:
              error instanceof FeatureNetworkStopped
                ? mlError('The request was cancelled.')
                : jobError(error),
          },
        });
      }
      return;
    }
    if (!state.ok)
      return post({
        type: 'estimate-done',
        jobId: work.jobId,
        outcome: { ok: false, error: state.error },
      });
    try {
      post({
        type: 'estimate-done',
        jobId: work.jobId,
        outcome: { ok: true, value: runEstimateJob(work.request) },
      });
    } catch (error) {
      post({
        type: 'estimate-done',
        jobId: work.jobId,
        outcome: { ok: false, error: jobError(error) },
      });
    }
  };

  const pump = (): void => {
    if (running !== null) return;
    const work = queue.shift();
    if (work === undefined) {
      finishIfShutDown();
      return;
    }
    const current = { jobId: work.jobId, stopRequested: false };
    running = current;
    startBackend()
      .then((state) => run(work, state, () => current.stopRequested))
      .catch(ignoreClosedPort)
      .then(() => {
        running = null;
        pump();
      })
      .catch(ignoreClosedPort);
  };

  const classify = (request: ClassifyRequest): void => {
    const { jobId } = request;
    const done = (outcome: Outcome<Float32Array>): void => {
      classifying.delete(jobId);
      post(
        { type: 'classify-done', jobId, outcome },
        outcome.ok && outcome.value.buffer instanceof ArrayBuffer ? [outcome.value.buffer] : [],
      );
      finishIfShutDown();
    };
    if (shuttingDown || classifying.has(jobId)) {
      post({
        type: 'classify-done',
        jobId,
        outcome: {
          ok: false,
          error: mlError(
            shuttingDown
              ? 'The ML worker is shutting down.'
              : `A classifier job with id "${jobId}" is already running.`,
          ),
        },
      });
      return;
    }
    const current = { stopRequested: false };
    classifying.set(jobId, current);
    startBackend()
      .then(async (state) => {
        if (!state.ok) return done({ ok: false, error: state.error });
        try {
          const value = await outOfFoldProbabilities(request, {
            onProgress: (doneSteps, total) =>
              post({ type: 'classify-progress', jobId, done: doneSteps, total }),
            shouldStop: () => current.stopRequested,
          });
          done({ ok: true, value });
        } catch (error) {
          done({
            ok: false,
            error:
              error instanceof OutOfFoldStopped
                ? mlError('The request was cancelled.')
                : jobError(error),
          });
        }
      })
      .catch(ignoreClosedPort);
  };

  /** Not queued behind training: a run's model can be exported while it trains on. */
  const exportModel = (request: ExportModelRequest): void => {
    exporting.add(request.jobId);
    runExportModelJob(request)
      .then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error: jobError(error) }),
      )
      .then((outcome) => {
        exporting.delete(request.jobId);
        post({ type: 'export-model-done', jobId: request.jobId, outcome });
        finishIfShutDown();
      })
      .catch(ignoreClosedPort);
  };

  const stopQueued = (jobId: string): void => {
    const at = queue.findIndex((work) => work.jobId === jobId);
    if (at < 0) return;
    const [work] = queue.splice(at, 1);
    if (work !== undefined) refuse(work);
  };

  const enqueue = (work: Work): void => {
    if (shuttingDown) {
      refuse(work, mlError('The ML worker is shutting down.'));
      return;
    }
    queue.push(work);
    pump();
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
        enqueue({ kind: 'train', jobId: message.job.jobId, job: message.job });
        break;
      case 'sample':
        enqueue({ kind: 'sample', jobId: message.request.jobId, request: message.request });
        break;
      case 'estimate':
        enqueue({ kind: 'estimate', jobId: message.request.jobId, request: message.request });
        break;
      case 'classify':
        classify(message.request);
        break;
      case 'evaluate':
        enqueue({ kind: 'evaluate', jobId: message.request.jobId, request: message.request });
        break;
      case 'export-model':
        exportModel(message.request);
        break;
      case 'stop': {
        const classifier = classifying.get(message.jobId);
        if (classifier !== undefined) classifier.stopRequested = true;
        else if (running?.jobId === message.jobId) running.stopRequested = true;
        else stopQueued(message.jobId);
        break;
      }
      case 'shutdown':
        shuttingDown = true;
        if (running !== null) running.stopRequested = true;
        for (const classifier of classifying.values()) classifier.stopRequested = true;
        for (const work of [...queue]) stopQueued(work.jobId);
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
