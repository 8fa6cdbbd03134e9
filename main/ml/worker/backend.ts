// Chooses the tfjs backend the ML worker runs on, fastest first, and says why the faster ones were
// not used. The native packages are optional (they download libtensorflow at install time, which
// fails offline), so every candidate is probed at run time through an injectable environment: the
// unit tests simulate each package present, absent or broken without having them.

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BackendCandidate, BackendName, BackendReport } from '../../../preload/contract';
import { messageOf } from '../errors';
import {
  prepareWasmThreads,
  productsFuseMultiplyAdd,
  registerStudioWasmKernels,
  wasmThreadCount,
} from './wasm';

/** Fastest first: the order the resolver tries them in. */
export const BACKEND_ORDER: readonly BackendName[] = [
  'tensorflow-gpu',
  'tensorflow',
  'wasm',
  'cpu',
];

export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  // The pure-JS backend ships inside tfjs itself.
  cpu: '@tensorflow/tfjs',
};

/** The name tfjs registers each backend under (both native packages register 'tensorflow'). */
const TFJS_NAMES: Readonly<Record<BackendName, string>> = {
  'tensorflow-gpu': 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** Everything the resolver touches outside itself. */
export interface BackendEnvironment {
  /** The folder of an installed package (where its package.json is), or null when not installed. */
  packageDir(packageName: string): string | null;
  /** Loads a package as `require` would; throws whatever loading it throws. */
  load(packageName: string): unknown;
  /** `tf.setBackend` under tfjs's own backend name. */
  setBackend(tfjsName: string): Promise<boolean>;
  /** Whether the active backend runs on a CUDA device (the flag tfjs-node-gpu's backend sets). */
  activeBackendUsesGpu(): boolean;
  // The studio's wasm training set-up (main/ml/wasm). Optional: without them wasm runs as shipped.
  /** Threads to start the wasm backend with. */
  wasmThreads?(): number;
  /** Readies the next wasm start for `threads` threads; returns the undo, run once it settles. */
  prepareWasmThreads?(threads: number): () => void;
  /** Registers the studio's wasm training kernels. */
  registerWasmKernels?(): void;
}

export interface ResolveBackendOptions {
  /** A backend the settings ask for; used when it works, otherwise the usual order applies. */
  preferBackend?: BackendName;
  environment?: BackendEnvironment;
}

/** The subset of @tensorflow/tfjs-backend-wasm the resolver calls. */
interface WasmPackage {
  setWasmPaths(prefix: string): void;
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
}

function isWasmPackage(loaded: unknown): loaded is WasmPackage {
  if (typeof loaded !== 'object' || loaded === null) return false;
  const candidate = loaded as Partial<Record<keyof WasmPackage, unknown>>;
  return (
    typeof candidate.setWasmPaths === 'function' &&
    typeof candidate.setThreadsCount === 'function' &&
    typeof candidate.getThreadsCount === 'function'
  );
}

type Probe =
  | { ok: true; packageName: string; threads: number | null }
  | { ok: false; installed: boolean; reason: string; nativeCpuLoaded?: boolean };

/**
 * Node's own `require`, made at run time: the ML code is bundled to CommonJS with dependencies
 * external, and a bundler must not try to resolve optional packages named in variables.
 */
function nodeRequire(): NodeJS.Require {
  return createRequire(import.meta.url);
}

/** The real environment: packages from node_modules, the tfjs engine this module imports. */
export function nodeBackendEnvironment(): BackendEnvironment {
  const req = nodeRequire();
  return {
    packageDir(packageName) {
      try {
        return path.dirname(req.resolve(`${packageName}/package.json`));
      } catch {
        return null;
      }
    },
    load: (packageName) => req(packageName),
    setBackend: (tfjsName) => tf.setBackend(tfjsName),
    activeBackendUsesGpu() {
      const backend: object = tf.backend();
      return 'isUsingGpuDevice' in backend && backend.isUsingGpuDevice === true;
    },
    wasmThreads: () => wasmThreadCount(),
    prepareWasmThreads,
    registerWasmKernels: () => void registerStudioWasmKernels(),
  };
}

async function activate(env: BackendEnvironment, name: BackendName): Promise<string | null> {
  try {
    if (await env.setBackend(TFJS_NAMES[name])) return null;
    return `tfjs could not initialise the ${name} backend (its warning in the log says why)`;
  } catch (error) {
    return `tfjs could not initialise the ${name} backend: ${messageOf(error)}`;
  }
}

/** Loads a package that is installed, telling "missing" apart from "present but broken". */
function loadPackage(
  env: BackendEnvironment,
  packageName: string,
): { ok: true; loaded: unknown; dir: string } | { ok: false; installed: boolean; reason: string } {
  const dir = env.packageDir(packageName);
  if (dir === null)
    return { ok: false, installed: false, reason: `${packageName} is not installed` };
  try {
    return { ok: true, loaded: env.load(packageName), dir };
  } catch (error) {
    return {
      ok: false,
      installed: true,
      reason: `${packageName} is installed but failed to load: ${messageOf(error)}`,
    };
  }
}

async function probeNative(env: BackendEnvironment, name: BackendName): Promise<Probe> {
  const packageName = BACKEND_PACKAGES[name];
  const loaded = loadPackage(env, packageName);
  if (!loaded.ok) return loaded;
  const failure = await activate(env, name);
  if (failure !== null) return { ok: false, installed: true, reason: failure };
  if (name === 'tensorflow-gpu' && !env.activeBackendUsesGpu()) {
    return {
      ok: false,
      installed: true,
      reason: `${packageName} loaded, but TensorFlow sees no CUDA device`,
      nativeCpuLoaded: true,
    };
  }
  return { ok: true, packageName, threads: null };
}

async function probeWasm(env: BackendEnvironment): Promise<Probe> {
  const packageName = BACKEND_PACKAGES.wasm;
  const loaded = loadPackage(env, packageName);
  if (!loaded.ok) return loaded;
  if (!isWasmPackage(loaded.loaded)) {
    return {
      ok: false,
      installed: true,
      reason: `${packageName} loaded, but it does not export setWasmPaths/setThreadsCount`,
    };
  }
  const wasm = loaded.loaded;
  const threads = env.wasmThreads?.() ?? 1;
  try {
    // Under Node the .wasm files are read from disk; point at the package's own dist folder so
    // it works whether or not the caller was bundled (a bundle's __dirname is not the package's).
    wasm.setWasmPaths(path.join(loaded.dir, 'dist') + path.sep);
    // Kernels first: the overrides keep the stock kernels' set-up, which runs at activation.
    env.registerWasmKernels?.();
  } catch (error) {
    return { ok: false, installed: true, reason: `${packageName}: ${messageOf(error)}` };
  }
  // tfjs does not run wasm threads under Node by itself (main/ml/wasm sets that up); if a
  // threaded start fails, the single-threaded build still trains.
  let failure = await activateWasm(env, wasm, threads);
  if (failure !== null && threads > 1) failure = await activateWasm(env, wasm, 1);
  if (failure !== null) return { ok: false, installed: true, reason: failure };
  return { ok: true, packageName, threads: wasm.getThreadsCount() };
}

/** Starts the wasm backend with `threads` threads; null on success, else why not. */
async function activateWasm(
  env: BackendEnvironment,
  wasm: WasmPackage,
  threads: number,
): Promise<string | null> {
  let undo: (() => void) | undefined;
  try {
    undo = threads > 1 ? env.prepareWasmThreads?.(threads) : undefined;
    wasm.setThreadsCount(threads);
  } catch (error) {
    undo?.();
    return `${BACKEND_PACKAGES.wasm}: ${messageOf(error)}`;
  }
  try {
    return await activate(env, 'wasm');
  } finally {
    undo?.();
  }
}

async function probe(env: BackendEnvironment, name: BackendName): Promise<Probe> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      return probeNative(env, name);
    case 'wasm':
      return probeWasm(env);
    case 'cpu': {
      const failure = await activate(env, 'cpu');
      return failure === null
        ? { ok: true, packageName: BACKEND_PACKAGES.cpu, threads: null }
        : { ok: false, installed: true, reason: failure };
    }
  }
}

function adviceFor(active: BackendName, probes: Map<BackendName, Probe>): string {
  const gpu = probes.get('tensorflow-gpu');
  const native = probes.get('tensorflow');
  const gpuPackage = BACKEND_PACKAGES['tensorflow-gpu'];
  const nativePackage = BACKEND_PACKAGES.tensorflow;
  if (active === 'tensorflow-gpu') return '';
  if (active === 'tensorflow') {
    if (gpu !== undefined && !gpu.ok && gpu.nativeCpuLoaded === true) {
      return `TensorFlow runs on the CPU through ${gpuPackage} because it found no CUDA device; training on an NVIDIA GPU needs its CUDA and cuDNN libraries installed.`;
    }
    if (gpu !== undefined && !gpu.ok && gpu.installed) {
      return `${gpuPackage} is installed but did not load; it needs an NVIDIA GPU with the CUDA and cuDNN versions its README lists.`;
    }
    return `On a machine with an NVIDIA GPU and CUDA, install ${gpuPackage} to train on the GPU.`;
  }
  const parts: string[] = [];
  if (native !== undefined && !native.ok && native.installed) {
    parts.push(
      `${nativePackage} is installed but did not load; reinstall it (npm rebuild ${nativePackage}) so its libtensorflow download completes.`,
    );
  } else {
    parts.push(
      `Install ${nativePackage} (native TensorFlow on the CPU; it downloads libtensorflow while installing) for faster training, or ${gpuPackage} on a machine with an NVIDIA GPU and CUDA.`,
    );
  }
  if (active === 'cpu') {
    parts.push(
      `The WebAssembly backend (${BACKEND_PACKAGES.wasm}) did not start either; reinstalling it usually fixes that.`,
    );
  }
  return parts.join(' ');
}

/**
 * Puts the fastest working backend in charge of tfjs and reports on every candidate. Native
 * packages are only loaded while looking for the first that works: TensorFlow cannot be loaded
 * twice in one process, so nothing slower than the winner is loaded "just to see".
 */
export async function resolveBackend(options: ResolveBackendOptions = {}): Promise<BackendReport> {
  const env = options.environment ?? nodeBackendEnvironment();
  const preferred = options.preferBackend;
  const order =
    preferred === undefined
      ? BACKEND_ORDER
      : [preferred, ...BACKEND_ORDER.filter((n) => n !== preferred)];

  const probes = new Map<BackendName, Probe>();
  let active: BackendName | null = null;
  for (const name of order) {
    if (probes.has(name)) continue;
    const result = await probe(env, name);
    probes.set(name, result);
    if (result.ok) {
      active = name;
      break;
    }
    if (result.nativeCpuLoaded === true) {
      // The GPU package's TensorFlow now owns the process and runs on the CPU, which is exactly
      // what the plain native package offers; loading that one as well would load TensorFlow twice.
      probes.set('tensorflow', { ok: true, packageName: BACKEND_PACKAGES[name], threads: null });
      active = 'tensorflow';
      break;
    }
  }
  if (active === null) {
    // Only reachable when even the pure-JS backend fails, i.e. tfjs itself is broken.
    const reasons = [...probes.values()].map((p) => (p.ok ? '' : p.reason)).join('; ');
    throw new Error(`No tfjs backend could start: ${reasons}`);
  }

  const chosen = active;
  const candidates: BackendCandidate[] = BACKEND_ORDER.map((name) => {
    const result = probes.get(name);
    if (result === undefined) {
      const packageName = BACKEND_PACKAGES[name];
      const installed = name === 'cpu' || env.packageDir(packageName) !== null;
      const fasterThanChosen = BACKEND_ORDER.indexOf(name) < BACKEND_ORDER.indexOf(chosen);
      const reason = !installed
        ? `${packageName} is not installed`
        : fasterThanChosen
          ? `not tried: the settings prefer ${chosen}`
          : `not needed: ${chosen} is faster`;
      return { name, packageName, available: installed, reason };
    }
    if (result.ok) return { name, packageName: result.packageName, available: true, reason: '' };
    const reason =
      name === preferred ? `preferred in the settings, but ${result.reason}` : result.reason;
    return { name, packageName: BACKEND_PACKAGES[name], available: false, reason };
  });

  const winner = probes.get(chosen);
  return {
    active: chosen,
    candidates,
    threads: winner !== undefined && winner.ok ? winner.threads : null,
    // The studio's compiled products run only where its kernels are registered.
    ...(chosen === 'wasm' && env.registerWasmKernels !== undefined
      ? { fusedMultiplyAdd: productsFuseMultiplyAdd() }
      : {}),
    advice: adviceFor(chosen, probes),
  };
}
