import { describe, expect, it } from 'vitest';
import type { BackendCandidate, BackendName, BackendReport } from '../../../preload/contract';
import { BACKEND_PACKAGES, resolveBackend, type BackendEnvironment } from './backend';
import { wasmThreadCount } from './wasm';

const GPU = BACKEND_PACKAGES['tensorflow-gpu'];
const NATIVE = BACKEND_PACKAGES.tensorflow;
const WASM = BACKEND_PACKAGES.wasm;

type FakePackage =
  { state: 'ok'; registers: string; exports?: unknown } | { state: 'broken'; error: string };

interface FakeOptions {
  packages: Record<string, FakePackage>;
  /** What tfjs-node-gpu's backend reports once active. */
  cudaDevice?: boolean;
}

/** A stand-in for node_modules and the tfjs engine that records what the resolver did. */
function fakeEnvironment({ packages, cudaDevice = false }: FakeOptions) {
  const loaded: string[] = [];
  const activated: string[] = [];
  const wasmPaths: string[] = [];
  const registered = new Set(['cpu']);
  let active: string | null = null;
  let activeFrom: string | null = null;
  const wasmExports = {
    setWasmPaths: (prefix: string) => wasmPaths.push(prefix),
    setThreadsCount: () => undefined,
    getThreadsCount: () => 1,
  };
  const environment: BackendEnvironment = {
    packageDir: (name) => (name in packages ? `/fake/node_modules/${name}` : null),
    load(name) {
      const pkg = packages[name];
      if (pkg === undefined) throw new Error(`Cannot find module '${name}'`);
      loaded.push(name);
      if (pkg.state === 'broken') throw new Error(pkg.error);
      registered.add(pkg.registers);
      if (pkg.registers === 'tensorflow') activeFrom = name;
      return pkg.exports ?? (name === WASM ? wasmExports : {});
    },
    async setBackend(name) {
      if (!registered.has(name)) throw new Error(`Backend name '${name}' not found in registry`);
      activated.push(name);
      active = name;
      return true;
    },
    activeBackendUsesGpu: () => active === 'tensorflow' && activeFrom === GPU && cudaDevice,
  };
  return { environment, loaded, activated, wasmPaths };
}

const gpuPackage: FakePackage = { state: 'ok', registers: 'tensorflow' };
const nativePackage: FakePackage = { state: 'ok', registers: 'tensorflow' };
const wasmPackage: FakePackage = { state: 'ok', registers: 'wasm' };

function candidate(report: BackendReport, name: BackendName): BackendCandidate {
  const found = report.candidates.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no candidate ${name}`);
  return found;
}

describe('resolveBackend with simulated packages', () => {
  it('uses wasm when both native packages are missing, pointing it at its own .wasm files', async () => {
    const fake = fakeEnvironment({ packages: { [WASM]: wasmPackage } });
    const report = await resolveBackend({ environment: fake.environment });

    expect(report.active).toBe('wasm');
    expect(report.threads).toBe(1);
    expect(report.candidates.map((c) => c.name)).toEqual([
      'tensorflow-gpu',
      'tensorflow',
      'wasm',
      'cpu',
    ]);
    expect(candidate(report, 'tensorflow-gpu')).toMatchObject({
      available: false,
      reason: `${GPU} is not installed`,
    });
    expect(candidate(report, 'tensorflow')).toMatchObject({
      available: false,
      reason: `${NATIVE} is not installed`,
    });
    expect(candidate(report, 'wasm')).toMatchObject({ available: true, reason: '' });
    expect(candidate(report, 'cpu').reason).toMatch(/not needed/);
    expect(fake.wasmPaths).toEqual([`/fake/node_modules/${WASM}/dist/`]);
    expect(report.advice).toContain(NATIVE);
  });

  it('falls back to native TensorFlow on the CPU when the GPU package loads but sees no CUDA device', async () => {
    const fake = fakeEnvironment({ packages: { [GPU]: gpuPackage, [WASM]: wasmPackage } });
    const report = await resolveBackend({ environment: fake.environment });

    expect(report.active).toBe('tensorflow');
    expect(candidate(report, 'tensorflow-gpu')).toMatchObject({
      available: false,
      reason: `${GPU} loaded, but TensorFlow sees no CUDA device`,
    });
    // The GPU package's TensorFlow already runs on the CPU; loading a second one would clash.
    expect(candidate(report, 'tensorflow')).toMatchObject({
      packageName: GPU,
      available: true,
      reason: '',
    });
    expect(fake.loaded).toEqual([GPU]);
    expect(report.advice).toMatch(/CUDA/);
  });

  it('does the same without loading tfjs-node when that is installed too', async () => {
    const fake = fakeEnvironment({
      packages: { [GPU]: gpuPackage, [NATIVE]: nativePackage, [WASM]: wasmPackage },
    });
    const report = await resolveBackend({ environment: fake.environment });
    expect(report.active).toBe('tensorflow');
    expect(fake.loaded).toEqual([GPU]);
  });

  it('uses the GPU when the GPU package sees a CUDA device', async () => {
    const fake = fakeEnvironment({
      packages: { [GPU]: gpuPackage, [NATIVE]: nativePackage, [WASM]: wasmPackage },
      cudaDevice: true,
    });
    const report = await resolveBackend({ environment: fake.environment });

    expect(report.active).toBe('tensorflow-gpu');
    expect(report.threads).toBeNull();
    expect(report.fusedMultiplyAdd).toBeUndefined();
    expect(report.advice).toBe('');
    expect(candidate(report, 'tensorflow')).toMatchObject({
      available: true,
      reason: 'not needed: tensorflow-gpu is faster',
    });
    expect(fake.loaded).toEqual([GPU]);
  });

  it('uses tfjs-node when it is present and the GPU package is missing', async () => {
    const fake = fakeEnvironment({ packages: { [NATIVE]: nativePackage, [WASM]: wasmPackage } });
    const report = await resolveBackend({ environment: fake.environment });

    expect(report.active).toBe('tensorflow');
    expect(candidate(report, 'tensorflow')).toMatchObject({
      packageName: NATIVE,
      available: true,
      reason: '',
    });
    expect(candidate(report, 'tensorflow-gpu').reason).toBe(`${GPU} is not installed`);
    expect(candidate(report, 'wasm')).toMatchObject({
      available: true,
      reason: 'not needed: tensorflow is faster',
    });
    expect(report.advice).toContain(GPU);
    expect(fake.loaded).toEqual([NATIVE]);
  });

  it('reports the load error of a package that is installed but broken', async () => {
    const fake = fakeEnvironment({
      packages: {
        [GPU]: { state: 'broken', error: 'libcudart.so.11.0: cannot open shared object file' },
        [NATIVE]: { state: 'broken', error: 'tfjs_binding.node can not be found' },
        [WASM]: wasmPackage,
      },
    });
    const report = await resolveBackend({ environment: fake.environment });

    expect(report.active).toBe('wasm');
    expect(candidate(report, 'tensorflow-gpu').reason).toBe(
      `${GPU} is installed but failed to load: libcudart.so.11.0: cannot open shared object file`,
    );
    expect(candidate(report, 'tensorflow').reason).toContain('tfjs_binding.node can not be found');
    expect(report.advice).toContain(`npm rebuild ${NATIVE}`);
  });

  it('says the GPU package needs CUDA when it is installed but cannot load', async () => {
    const fake = fakeEnvironment({
      packages: {
        [GPU]: { state: 'broken', error: 'libcudart.so.11.0: cannot open shared object file' },
        [NATIVE]: nativePackage,
      },
    });
    const report = await resolveBackend({ environment: fake.environment });
    expect(report.active).toBe('tensorflow');
    expect(fake.loaded).toEqual([GPU, NATIVE]);
    expect(report.advice).toMatch(new RegExp(`${GPU} is installed but did not load.*CUDA`));
  });

  it('ends on the pure-JS backend when wasm is missing too', async () => {
    const fake = fakeEnvironment({ packages: {} });
    const report = await resolveBackend({ environment: fake.environment });

    expect(report.active).toBe('cpu');
    expect(candidate(report, 'wasm')).toMatchObject({
      available: false,
      reason: `${WASM} is not installed`,
    });
    expect(report.advice).toContain(WASM);
  });

  it('honours a preferred backend that works, without loading the faster ones', async () => {
    const fake = fakeEnvironment({ packages: { [NATIVE]: nativePackage, [WASM]: wasmPackage } });
    const report = await resolveBackend({ environment: fake.environment, preferBackend: 'cpu' });

    expect(report.active).toBe('cpu');
    expect(candidate(report, 'tensorflow')).toMatchObject({
      available: true,
      reason: 'not tried: the settings prefer cpu',
    });
    expect(candidate(report, 'tensorflow-gpu').reason).toBe(`${GPU} is not installed`);
    expect(fake.loaded).toEqual([]);
  });

  it('falls back to the usual order when the preferred backend does not work', async () => {
    const fake = fakeEnvironment({ packages: { [WASM]: wasmPackage } });
    const report = await resolveBackend({
      environment: fake.environment,
      preferBackend: 'tensorflow',
    });

    expect(report.active).toBe('wasm');
    expect(candidate(report, 'tensorflow').reason).toBe(
      `preferred in the settings, but ${NATIVE} is not installed`,
    );
  });
});

describe('resolveBackend on this machine', () => {
  it('picks wasm and says why each native package was not used', async () => {
    const report = await resolveBackend();

    expect(report.active).toBe('wasm');
    // Every CPU (main/ml/wasm/threads.ts), or as STUDIO_WASM_THREADS says.
    expect(report.threads).toBe(wasmThreadCount());
    // Node 20 and later compile relaxed SIMD (on Node 20 behind a flag the studio sets).
    expect(report.fusedMultiplyAdd).toBe(process.env.STUDIO_WASM_FMA !== '0');
    for (const name of ['tensorflow-gpu', 'tensorflow'] as const) {
      const native = candidate(report, name);
      expect(native.available).toBe(false);
      expect(native.reason).toContain(BACKEND_PACKAGES[name]);
    }
    expect(report.advice).not.toBe('');
  });
});
