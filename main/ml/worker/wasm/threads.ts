// Multithreaded XNNPACK for the wasm backend under Node.
//
// tfjs-backend-wasm ships a threaded SIMD build (pthreads on worker_threads) but never uses it in
// Node, for three reasons this module works around for the duration of one backend start-up:
//
// 1. Its WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false under Node: set it to true.
// 2. It hands Emscripten its pthread worker script and its own main script as Blobs (a `blob:`
//    URL, and a Blob posted to each worker), which Node's Worker and the worker's importScripts
//    cannot load. Blobs made during start-up are recorded with their text; URL.createObjectURL
//    returns a file with that text instead, and the Worker class Emscripten picks up replaces a
//    posted Blob by such a file. The files are content-addressed in the temp folder.
//    The main script is the factory function's source, cut out of tfjs's Node bundle, so it refers
//    to names defined at the top of that bundle (its `require$$N` modules, TypeScript's helpers,
//    `commonjsGlobal`, `_scriptDir`); the file defines those first, taken from the same bundle.
// 3. The compiled code caps its thread pool at half of os.cpus().length (assuming two hardware
//    threads per core, which a 2-vCPU VM does not have): os.cpus is made to report enough CPUs for
//    the count asked for.
//
// Everything is put back by the returned function, which the caller runs once tf.setBackend
// settles. What stays is Emscripten's own choice of Worker class for the threads it starts later.

import { createHash } from 'node:crypto';
import type * as FsModule from 'node:fs';
import { createRequire } from 'node:module';
import type * as OsModule from 'node:os';
import path from 'node:path';
import type * as WorkerThreadsModule from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

/** The Node modules patched, loaded with `require` so they are the very objects tfjs requires. */
interface NodeModules {
  fs: typeof FsModule;
  os: typeof OsModule;
  workerThreads: typeof WorkerThreadsModule;
}

function nodeModules(): NodeModules {
  const req = createRequire(import.meta.url);
  return {
    fs: req('fs') as typeof FsModule,
    os: req('os') as typeof OsModule,
    workerThreads: req('worker_threads') as typeof WorkerThreadsModule,
  };
}

/** The package version whose bundle layout `bundlePreamble` was written against. */
export const THREADED_WASM_VERSION = '4.22.0';

/** tfjs's own limit: its build pre-creates this many pthread workers. */
export const MAX_WASM_THREADS = 8;

/** Every logical CPU Node reports, within tfjs's limit. */
export function defaultWasmThreads(): number {
  const { os } = nodeModules();
  const cpus =
    typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(MAX_WASM_THREADS, cpus));
}

/** Whether this runtime and the installed package can run the threaded build as set up here. */
export function wasmThreadsSupported(): boolean {
  if (
    typeof SharedArrayBuffer !== 'function' ||
    typeof Atomics !== 'object' ||
    typeof globalThis.Blob !== 'function' ||
    typeof URL.createObjectURL !== 'function'
  ) {
    return false;
  }
  try {
    const pkg = createRequire(import.meta.url)('@tensorflow/tfjs-backend-wasm/package.json') as {
      version?: unknown;
    };
    // The start-up patches depend on that bundle's layout; another version runs single-threaded
    // until someone checks them against it.
    return pkg.version === THREADED_WASM_VERSION;
  } catch {
    return false;
  }
}

/**
 * Threads the wasm backend should start with: STUDIO_WASM_THREADS when set (1 turns threads off,
 * e.g. to compare), otherwise every CPU; 1 where the threaded build cannot run.
 */
export function wasmThreadCount(env: NodeJS.ProcessEnv = process.env): number {
  const asked = env.STUDIO_WASM_THREADS === undefined ? NaN : Number(env.STUDIO_WASM_THREADS);
  const wanted =
    Number.isInteger(asked) && asked >= 1
      ? Math.min(asked, MAX_WASM_THREADS)
      : defaultWasmThreads();
  return wanted > 1 && wasmThreadsSupported() ? wanted : 1;
}

/** Writes `text` once to a content-addressed .js file and returns its path. */
function scriptFile(fs: NodeModules['fs'], folder: string, text: string): string {
  const name = `${createHash('sha256').update(text).digest('hex').slice(0, 24)}.js`;
  const file = path.join(folder, name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(folder, { recursive: true });
    // Write then rename, so a second process starting at the same time never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
  }
  return file;
}

/**
 * Definitions the factory source needs to run outside its bundle, read from the bundle itself:
 * its top-level `var require$$N = require('…');` lines and TypeScript helper functions (tslib's
 * emit, each a top-level `function __name(…) {` … `}` block), plus the two names its wrapper
 * provided.
 */
function bundlePreamble(fs: NodeModules['fs'], bundleFile: string): string {
  const bundle = fs.readFileSync(bundleFile, 'utf8');
  const requires = bundle.match(/^var require\$\$\d+ = require\('[\w:/-]+'\);$/gm) ?? [];
  const helpers = bundle.match(/^function __\w+\([^)]*\) \{$[\s\S]*?^\}$/gm) ?? [];
  return [
    '// Names the factory below expects from the tfjs-backend-wasm bundle it was cut from.',
    ...requires,
    ...helpers,
    'var commonjsGlobal = globalThis;',
    `var _scriptDir = ${JSON.stringify(bundleFile)};`,
    '',
  ].join('\n');
}

interface LoadMessage {
  cmd: 'load';
  urlOrBlob?: unknown;
}

/** How tfjs starts the main-script Blob it gives the pthread workers. */
const MAIN_SCRIPT_START = 'var WasmBackendModuleThreadedSimd = ';

function isLoadMessage(message: unknown): message is LoadMessage {
  return (
    typeof message === 'object' && message !== null && (message as { cmd?: unknown }).cmd === 'load'
  );
}

/**
 * Makes the next start of the wasm backend use the threaded build with `threads` threads (the
 * caller also passes `threads` to the package's setThreadsCount). Returns the function that undoes
 * the patches; call it after tf.setBackend('wasm') has settled, whatever the outcome.
 */
export function prepareWasmThreads(threads: number): () => void {
  const { fs, os, workerThreads } = nodeModules();
  const folder = path.join(os.tmpdir(), 'generative-studio-tfjs-wasm');
  const req = createRequire(import.meta.url);
  // Loading the package registers its flags (and is a no-op when the caller has loaded it).
  req('@tensorflow/tfjs-backend-wasm');
  const bundleFile = req.resolve('@tensorflow/tfjs-backend-wasm');
  const preamble = bundlePreamble(fs, bundleFile);
  const texts = new WeakMap<Blob, string>();
  const fileOf = (blob: unknown): string | undefined => {
    const text = blob instanceof OriginalBlob ? texts.get(blob) : undefined;
    return text === undefined ? undefined : scriptFile(fs, folder, text);
  };

  const OriginalBlob = globalThis.Blob;
  class RecordingBlob extends OriginalBlob {
    constructor(...args: ConstructorParameters<typeof OriginalBlob>) {
      super(...args);
      const [parts] = args;
      if (parts !== undefined && parts.every((part) => typeof part === 'string')) {
        const text = parts.join('');
        texts.set(this, text.startsWith(MAIN_SCRIPT_START) ? preamble + text : text);
      }
    }
  }

  const originalCreateObjectURL = URL.createObjectURL;
  const createObjectURL = (blob: Blob): string =>
    fileOf(blob) ?? originalCreateObjectURL.call(URL, blob);

  const OriginalWorker = workerThreads.Worker;
  class ScriptFileWorker extends OriginalWorker {
    override postMessage(
      message: unknown,
      transferList?: readonly WorkerThreadsModule.TransferListItem[],
    ): void {
      if (isLoadMessage(message)) {
        const file = fileOf(message.urlOrBlob);
        if (file !== undefined) message = { ...message, urlOrBlob: file };
      }
      super.postMessage(message, transferList);
    }
  }

  const originalCpus = os.cpus;
  const cpus = (): ReturnType<typeof os.cpus> => {
    const real = originalCpus.call(os);
    const first = real[0];
    // The compiled code divides the count by two; report exactly twice the threads wanted.
    return first === undefined
      ? real
      : Array.from({ length: 2 * threads }, (_, i) => real[i] ?? first);
  };

  const flag = 'WASM_HAS_MULTITHREAD_SUPPORT';
  globalThis.Blob = RecordingBlob;
  URL.createObjectURL = createObjectURL;
  workerThreads.Worker = ScriptFileWorker;
  os.cpus = cpus;
  tf.env().set(flag, true);

  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    globalThis.Blob = OriginalBlob;
    URL.createObjectURL = originalCreateObjectURL;
    workerThreads.Worker = OriginalWorker;
    os.cpus = originalCpus;
    // Node's truth again, so a later start (after a failed threaded one) takes the plain build.
    tf.env().set(flag, false);
  };
}
