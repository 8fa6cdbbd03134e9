// The main thread's side of the ML worker: starts the one worker thread, queues jobs to it, routes
// its events back to each job, and turns a dead worker into failed jobs instead of hung promises.
// This file must not import tfjs: it runs in the main process, where tfjs has no business.

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackendName, BackendReport, StudioError } from '../../preload/contract';
import { StudioFailure } from '../common/failure';
import { messageOf, mlError } from './errors';
import { ML_WORKER_ROLE } from './protocol';
import type { EvaluateRequest, EvaluateResult } from './worker/evaluation/evaluateJob';
import type {
  ClassifyRequest,
  EstimateRequest,
  ExportModelRequest,
  ExportModelResult,
  HostToWorker,
  JobEvent,
  MlWorkerData,
  ModelEstimate,
  SampleRequest,
  SampleResult,
  TrainJob,
  TrainOutcome,
  WorkerToHost,
} from './protocol';

export interface MlHostOptions {
  /** The built worker; defaults to mlWorker.js beside this bundle (out/main). */
  workerPath?: string;
  /** Backend from the settings; used when it works (see resolveBackend). */
  preferBackend?: BackendName;
  /** How long close() lets the running job reach its next step before terminating the thread. */
  closeTimeoutMs?: number;
}

export interface TrainHandle {
  /** Resolves (never rejects) when the job ends, however it ends. */
  done: Promise<TrainOutcome>;
  /** Stops the job between two steps, or removes it from the queue if it has not started. */
  stop(): void;
}

type PendingJob =
  | {
      kind: 'train';
      onEvent: (event: JobEvent) => void;
      resolve: (outcome: TrainOutcome) => void;
      /** The last step the job reported, for the outcome when the worker dies under it. */
      lastStep: number;
    }
  | {
      kind: 'request';
      resolve: (value: unknown) => void;
      reject: (error: Error) => void;
      onProgress?: (done: number, total: number) => void;
    };

/** One started worker thread and what is waiting on it; replaced when the thread dies. */
interface WorkerSession {
  worker: Worker;
  ready: Promise<BackendReport>;
  readySettled: boolean;
  jobs: Map<string, PendingJob>;
  closing: boolean;
  /** The uncaught error the thread died of, if any, to say why jobs failed. */
  crash: string | null;
  exited: Promise<void>;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 5000;

/**
 * Transfers the memory of a typed array that owns all of it; a view into a shared pool is copied.
 * An empty buffer is never listed: Node silently drops a message whose transfer list holds a
 * detached buffer, whereas copying one throws, which train() can report.
 */
function ownedBuffer(array: ArrayBufferView | undefined): ArrayBuffer[] {
  if (array === undefined) return [];
  const { buffer, byteOffset, byteLength } = array;
  const ownsBuffer =
    buffer instanceof ArrayBuffer &&
    byteLength > 0 &&
    byteOffset === 0 &&
    byteLength === buffer.byteLength;
  return ownsBuffer ? [buffer] : [];
}

function transferListFor(job: TrainJob): ArrayBuffer[] {
  if (job.family === 'char-rnn' || job.family === 'char-gpt') {
    return [...ownedBuffer(job.data.train), ...ownedBuffer(job.data.validation)];
  }
  const { train, validation, batchBalance } = job.data;
  const arrays = [train.pixels, train.labels, validation.pixels, validation.labels];
  return [...new Set([...arrays, batchBalance?.balanceByClass].flatMap(ownedBuffer))];
}

/** `new Worker` throws at once for some bad paths (most failures arrive later as 'exit'). */
function couldNotStart(error: unknown): StudioError {
  return mlError(`The ML worker could not start: ${messageOf(error)}`);
}

function failure(error: StudioError): Error {
  return new StudioFailure(error.code, error.message, error.details);
}

export class MlHost {
  private readonly workerPath: string;
  private preferBackend: BackendName | undefined;
  private readonly closeTimeoutMs: number;
  private session: WorkerSession | null = null;

  constructor(options: MlHostOptions = {}) {
    this.workerPath = options.workerPath ?? path.join(__dirname, 'mlWorker.js');
    this.preferBackend = options.preferBackend;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  }

  /**
   * Chooses the backend for the next worker start (a person's setting; undefined = the best that
   * loads). tfjs cannot switch a loaded native backend, so the worker is restarted; the caller
   * makes sure no job is running.
   */
  async setPreferredBackend(backend: BackendName | undefined): Promise<BackendReport> {
    this.preferBackend = backend;
    await this.close();
    return this.backend();
  }

  /** The backend the worker runs on; starts the worker if it is not running. */
  backend(): Promise<BackendReport> {
    try {
      return this.ensureSession().ready;
    } catch (error) {
      return Promise.reject(failure(couldNotStart(error)));
    }
  }

  /**
   * Queues a training job. Its data's typed arrays (pixels, labels, tokens) are transferred to the
   * worker (empty here afterwards) unless they are views into a larger buffer, which are copied.
   */
  train(job: TrainJob, onEvent: (event: JobEvent) => void): TrainHandle {
    const failed = (error: StudioError): TrainHandle => ({
      done: Promise.resolve({ status: 'failed', step: 0, error }),
      stop: () => undefined,
    });
    let session: WorkerSession;
    try {
      session = this.ensureSession();
    } catch (error) {
      return failed(couldNotStart(error));
    }
    if (session.jobs.has(job.jobId)) {
      return failed(mlError(`A training job with id "${job.jobId}" is already queued or running.`));
    }
    let resolveDone: (outcome: TrainOutcome) => void = () => undefined;
    const done = new Promise<TrainOutcome>((resolve) => {
      resolveDone = resolve;
    });
    try {
      this.post(session, { type: 'train', job }, transferListFor(job));
    } catch (error) {
      // E.g. a job whose pixels were already transferred by an earlier call (a detached buffer).
      resolveDone({
        status: 'failed',
        step: 0,
        error: mlError(`The training job could not be sent to the ML worker: ${messageOf(error)}`),
      });
      return { done, stop: () => undefined };
    }
    session.jobs.set(job.jobId, { kind: 'train', onEvent, resolve: resolveDone, lastStep: 0 });
    this.updateRef(session);
    return {
      done,
      stop: () => {
        if (session.jobs.has(job.jobId)) this.post(session, { type: 'stop', jobId: job.jobId });
      },
    };
  }

  /**
   * Generates images or text from a checkpoint folder. Queued behind any running job (one worker,
   * one job at a time); rejects with a StudioFailure (`{ code, message }`).
   */
  sample(request: SampleRequest): Promise<SampleResult> {
    return this.request<SampleResult>(request.jobId, { type: 'sample', request });
  }

  /**
   * Parameter count, memory estimate and the measured median ms per step of a config on the
   * worker's backend (a few steps on random data). Queued behind any running job.
   */
  estimate(request: EstimateRequest): Promise<ModelEstimate> {
    return this.request<ModelEstimate>(request.jobId, { type: 'estimate', request });
  }

  /** A checkpoint judged against its version (queued); cache a `trainedFeatureNetwork` it returns. */
  evaluate(request: EvaluateRequest): Promise<EvaluateResult> {
    return this.request<EvaluateResult>(request.jobId, { type: 'evaluate', request });
  }

  /** A checkpoint written out as a TensorFlow.js model folder (queued; see worker/export/). */
  exportModel(request: ExportModelRequest): Promise<ExportModelResult> {
    return this.request<ExportModelResult>(request.jobId, { type: 'export-model', request });
  }

  /**
   * Out-of-fold class probabilities ([rows, classes]) for the audit's label-error finding, trained
   * in the worker beside any running job (not queued behind it). The request's arrays are
   * transferred when they own their buffers. `cancel(jobId)` makes it reject.
   */
  classify(
    request: ClassifyRequest,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array> {
    return this.request<Float32Array>(
      request.jobId,
      { type: 'classify', request },
      [...ownedBuffer(request.features), ...ownedBuffer(request.labels)],
      onProgress,
    );
  }

  /** Stops a queued sample or estimate request (it rejects), or the training job of that id. */
  cancel(jobId: string): void {
    const session = this.session;
    if (session?.jobs.has(jobId) === true) this.post(session, { type: 'stop', jobId });
  }

  /**
   * Stops the running job (at its next step), drops queued ones and ends the thread; each job's
   * `done` resolves first. A later call starts a new worker.
   */
  async close(): Promise<void> {
    const session = this.session;
    if (session === null) return;
    session.closing = true;
    this.session = null;
    session.worker.ref(); // keep the process alive until the thread has said goodbye
    this.post(session, { type: 'shutdown' });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.closeTimeoutMs);
    });
    const result = await Promise.race([session.exited, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') await session.worker.terminate();
    await session.exited;
  }

  private request<T>(
    jobId: string,
    message: HostToWorker,
    transferList: ArrayBuffer[] = [],
    onProgress?: (done: number, total: number) => void,
  ): Promise<T> {
    let session: WorkerSession;
    try {
      session = this.ensureSession();
    } catch (error) {
      return Promise.reject(failure(couldNotStart(error)));
    }
    if (session.jobs.has(jobId)) {
      return Promise.reject(
        failure(mlError(`A job with id "${jobId}" is already queued or running.`)),
      );
    }
    return new Promise<T>((resolve, reject) => {
      session.jobs.set(jobId, {
        kind: 'request',
        resolve: (value) => resolve(value as T),
        reject,
        ...(onProgress === undefined ? {} : { onProgress }),
      });
      try {
        this.post(session, message, transferList);
      } catch (error) {
        session.jobs.delete(jobId);
        reject(
          failure(mlError(`The request could not be sent to the ML worker: ${messageOf(error)}`)),
        );
      }
      this.updateRef(session);
    });
  }

  private ensureSession(): WorkerSession {
    if (this.session !== null) return this.session;
    const workerData: MlWorkerData = { role: ML_WORKER_ROLE };
    const worker = new Worker(this.workerPath, { workerData });
    let resolveReady: (report: BackendReport) => void = () => undefined;
    let rejectReady: (error: Error) => void = () => undefined;
    const ready = new Promise<BackendReport>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    // Callers that never ask for the backend must not see an unhandled rejection.
    ready.catch(() => undefined);
    let markExited: () => void = () => undefined;
    const session: WorkerSession = {
      worker,
      ready,
      readySettled: false,
      jobs: new Map(),
      closing: false,
      crash: null,
      exited: new Promise<void>((resolve) => {
        markExited = resolve;
      }),
    };
    const settleReady = (settle: () => void): void => {
      if (session.readySettled) return;
      session.readySettled = true;
      settle();
      this.updateRef(session);
    };

    worker.on('message', (message: WorkerToHost) => {
      switch (message.type) {
        case 'ready':
          settleReady(() => resolveReady(message.backend));
          break;
        case 'init-failed':
          settleReady(() => rejectReady(failure(message.error)));
          break;
        case 'job-event': {
          const job = session.jobs.get(message.jobId);
          if (job?.kind !== 'train') break;
          if (message.event.type === 'progress') job.lastStep = message.event.step;
          try {
            job.onEvent(message.event);
          } catch (error) {
            // A listener's bug must not cost the job or the other jobs their messages.
            console.error(`ML job ${message.jobId}: event listener failed`, error);
          }
          break;
        }
        case 'job-done': {
          const job = session.jobs.get(message.jobId);
          if (job?.kind !== 'train') break;
          session.jobs.delete(message.jobId);
          this.updateRef(session);
          job.resolve(message.outcome);
          break;
        }
        case 'classify-progress': {
          const job = session.jobs.get(message.jobId);
          if (job?.kind === 'request') job.onProgress?.(message.done, message.total);
          break;
        }
        case 'sample-done':
        case 'estimate-done':
        case 'evaluate-done':
        case 'export-model-done':
        case 'classify-done': {
          const job = session.jobs.get(message.jobId);
          if (job?.kind !== 'request') break;
          session.jobs.delete(message.jobId);
          this.updateRef(session);
          if (message.outcome.ok) job.resolve(message.outcome.value);
          else job.reject(failure(message.outcome.error));
          break;
        }
      }
    });
    worker.on('error', (error) => {
      session.crash = messageOf(error);
    });
    worker.on('exit', (code) => {
      if (this.session === session) this.session = null;
      const why = session.closing
        ? null
        : `The ML worker stopped unexpectedly (${session.crash ?? `exit code ${code}`})`;
      settleReady(() =>
        rejectReady(failure(mlError(why ?? 'The ML worker was shut down before it was ready.'))),
      );
      for (const job of session.jobs.values()) {
        if (job.kind === 'request') {
          job.reject(failure(mlError(why ?? 'The ML worker was shut down.')));
          continue;
        }
        job.resolve(
          why === null
            ? {
                status: 'stopped',
                step: job.lastStep,
                error: mlError('The ML worker was shut down.'),
              }
            : {
                status: 'failed',
                step: job.lastStep,
                error: mlError(
                  `${why}; the job did not finish. Starting it again restarts the worker.`,
                ),
              },
        );
      }
      session.jobs.clear();
      markExited();
    });

    this.session = session;
    this.post(session, { type: 'init', preferBackend: this.preferBackend });
    this.updateRef(session);
    return session;
  }

  private post(
    session: WorkerSession,
    message: HostToWorker,
    transferList: ArrayBuffer[] = [],
  ): void {
    session.worker.postMessage(message, transferList);
  }

  /** An idle worker must not keep a command-line process alive; a busy one must. */
  private updateRef(session: WorkerSession): void {
    if (session.closing) return;
    if (session.jobs.size > 0 || !session.readySettled) session.worker.ref();
    else session.worker.unref();
  }
}
