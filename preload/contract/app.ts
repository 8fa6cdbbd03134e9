// The contract of the studio itself: what it runs on, its settings and the ML backend.
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendCandidate {
  name: BackendName;
  /** The npm package that provides it. */
  packageName: string;
  available: boolean;
  /** Why it was not used (package missing, no CUDA device, ...); empty for the chosen one. */
  reason: string;
}

export interface BackendReport {
  /** The backend tfjs runs on in the ML worker. */
  active: BackendName;
  candidates: BackendCandidate[];
  /** Threads the backend uses where it says (wasm), else null. */
  threads: number | null;
  /**
   * On wasm with the studio's kernels: whether their matrix products and convolutions
   * multiply-add in one rounding (WebAssembly relaxed SIMD; STUDIO_WASM_FMA=0 turns it off).
   */
  fusedMultiplyAdd?: boolean;
  /** What a person can install to get a faster backend, if anything. */
  advice: string;
}

export interface GpuDevice {
  name: string;
  memoryBytes: number;
  driver: string;
}

/** What the machine offers to train on (the "GPU doctor"). */
export interface DeviceReport {
  cpu: { model: string; cores: number; memoryBytes: number };
  gpus: GpuDevice[];
  /** What looking for GPUs found, in a sentence. */
  gpuProbe: string;
}

export interface StudioSettings {
  /** The ML backend to use when it is available; null = the best one that loads. */
  preferredBackend: BackendName | null;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  shell: 'electron' | 'browser';
  /** Null until the ML worker has started. */
  backend: BackendReport | null;
}

export interface AppCalls {
  'app:info': (args: Record<string, never>) => AppInfo;

  'ml:backend': (args: Record<string, never>) => BackendReport;
  'ml:devices': (args: Record<string, never>) => DeviceReport;

  'settings:get': (args: Record<string, never>) => StudioSettings;
  /** Saving a backend restarts the ML worker on it (refused while a run is training). */
  'settings:set': (args: Partial<StudioSettings>) => StudioSettings;
}
