// Types for hostileCorpus.mjs, so the TypeScript test slice (hostileFiles.test.ts) can import it.

export interface CorpusEntry {
  folder: 'images' | 'texts';
  /** Below `manifest[folder]`, with forward slashes. */
  relativePath: string;
  /** What the entry tests, e.g. `png:truncated`, `text:utf16leBom`, `link:self`. */
  case: string;
  /** Changed by startChaos while the import runs: it may be gone when the import gets there. */
  volatile?: boolean;
}

export interface VolatileFile {
  absolutePath: string;
  action: 'delete' | 'append' | 'truncate' | 'become-folder' | 'become-pipe';
  bytes: Buffer;
}

export interface HostileCorpus {
  seed: number;
  root: string;
  images: string;
  texts: string;
  entries: CorpusEntry[];
  /** Cases this machine cannot produce (permissions as root, no mkfifo), and why. */
  notExercised: { case: string; why: string }[];
  volatile: VolatileFile[];
}

export const CANARY_PATTERN: RegExp;
export function mulberry32(seed: number): () => number;
export function buildHostileCorpus(
  root: string,
  options?: { seed?: number; count?: number },
): Promise<HostileCorpus>;
export function startChaos(
  volatile: readonly VolatileFile[],
  options?: { seed?: number; intervalMs?: number },
): { stop(): Promise<{ actions: number }> };
export function removeCorpus(manifest: HostileCorpus): Promise<void>;
