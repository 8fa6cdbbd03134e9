import os from 'node:os';
import path from 'node:path';

/** `STUDIO_DATA_DIR` wins; otherwise the given default (Electron's userData) or ~/.generative-studio. */
export function resolveDataDir(explicit?: string, fallback?: string): string {
  const chosen = explicit ?? process.env.STUDIO_DATA_DIR ?? fallback;
  return path.resolve(chosen ?? path.join(os.homedir(), '.generative-studio'));
}
