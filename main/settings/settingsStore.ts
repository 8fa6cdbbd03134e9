import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BackendName, StudioSettings } from '../../preload/contract';
import { writeFileAtomic } from '../store/atomicWrite';

const BACKENDS: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
export const DEFAULT_SETTINGS: StudioSettings = { preferredBackend: null };

/**
 * A person's settings, as `settings.json` in the data dir: small, read once at start, written
 * whole. A damaged or hand-edited file falls back to the defaults for what it cannot say.
 */
export class SettingsStore {
  private readonly file: string;
  private current: StudioSettings;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'settings.json');
    this.current = readSettings(this.file);
  }

  get(): StudioSettings {
    return { ...this.current };
  }

  async update(patch: Partial<StudioSettings>): Promise<StudioSettings> {
    this.current = { ...this.current, ...patch };
    await writeFileAtomic(this.file, Buffer.from(`${JSON.stringify(this.current, null, 2)}\n`));
    return this.get();
  }
}

function readSettings(file: string): StudioSettings {
  if (!existsSync(file)) return { ...DEFAULT_SETTINGS };
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const backend = raw.preferredBackend;
    return {
      preferredBackend: BACKENDS.includes(backend as BackendName) ? (backend as BackendName) : null,
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}
