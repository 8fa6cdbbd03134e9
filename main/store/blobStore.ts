import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR_MODE } from '../common/dataDir';
import { writeFileAtomic } from './atomicWrite';

const SHA_PATTERN = /^[0-9a-f]{64}$/;

export function isSha256(value: string): boolean {
  return SHA_PATTERN.test(value);
}

/**
 * Whether a stored file is there and whole, and if so marks it as just used, so the garbage
 * collector's grace period protects a blob an import is about to reference again (its row is not
 * committed yet). A file that is empty, or not `expectedBytes` long, is what a power cut leaves of
 * an unflushed write: false, so the caller writes it again.
 */
export async function touch(file: string, expectedBytes?: number): Promise<boolean> {
  try {
    const { size } = await fs.stat(file);
    if (size === 0 || (expectedBytes !== undefined && size !== expectedBytes)) return false;
    const now = new Date();
    await fs.utimes(file, now, now);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Content-addressed storage for originals: `blobs/ab/cdef…` named by SHA-256, so the same file
 * imported twice (or into two datasets) is stored once, and a path can never collide.
 */
export class BlobStore {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true, mode: PRIVATE_DIR_MODE });
  }

  pathOf(sha: string): string {
    if (!isSha256(sha)) throw new Error(`Not a blob id: ${sha}`);
    return path.join(this.root, sha.slice(0, 2), sha.slice(2));
  }

  has(sha: string): boolean {
    return existsSync(this.pathOf(sha));
  }

  /** Stores the bytes (if not already there) and returns their hash. */
  async put(bytes: Uint8Array): Promise<string> {
    const sha = sha256(bytes);
    await this.putWithSha(sha, bytes);
    return sha;
  }

  async putWithSha(sha: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(sha);
    if (await touch(target, bytes.length)) return;
    await writeFileAtomic(target, bytes, { flush: false });
  }

  read(sha: string): Promise<Buffer> {
    return fs.readFile(this.pathOf(sha));
  }
}
