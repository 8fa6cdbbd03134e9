import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../../store/atomicWrite';
import type { ResolvedImageSettings } from './imagePipeline';

// Decoded, resized training tensors of a version on disk: `versions/<id>-<key>.f32` (raw float32,
// train items first, then validation) and a JSON header beside it. A version never changes, so
// an entry never goes stale; the key covers the settings, since a run may ask for another size.

/** Bumped when the layout or the decoding changes, so old entries are simply not found. */
const CACHE_FORMAT = 1;

export interface TensorCacheHeader {
  format: number;
  versionId: number;
  settings: ResolvedImageSettings;
  height: number;
  width: number;
  channels: number;
  trainCount: number;
  validationCount: number;
  /** Item ids in tensor order. */
  itemIds: number[];
  /** Class index of each image, in tensor order. */
  labels: number[];
  classNames: (string | null)[];
  littleEndian: boolean;
}

/** What the writer supplies; the format and byte order are the cache's own business. */
export type NewCacheHeader = Omit<TensorCacheHeader, 'format' | 'littleEndian'>;

export interface CachedTensors {
  header: TensorCacheHeader;
  /** Each owns its ArrayBuffer, so it can be transferred to the ML worker without a copy. */
  train: Float32Array;
  validation: Float32Array;
}

export function cacheKey(settings: ResolvedImageSettings): string {
  const canonical = JSON.stringify([
    CACHE_FORMAT,
    settings.size,
    settings.channels,
    settings.fit,
    settings.background.toLowerCase(),
    // Where the value range used to be: tensors are always [0, 1] now, so a cache written as
    // 'zero-one' keeps its key and one written as −1…1 is never read again.
    'zero-one',
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/**
 * `realOnly`: the version without its synthetic items (a run that trains on real data only) is
 * other tensors, so it has files of its own.
 */
export function cachePaths(
  cacheDir: string,
  versionId: number,
  settings: ResolvedImageSettings,
  realOnly = false,
): { data: string; header: string } {
  const name = `${versionId}${realOnly ? '-real' : ''}-${cacheKey(settings)}`;
  const base = path.join(cacheDir, 'versions', name);
  return { data: `${base}.f32`, header: `${base}.json` };
}

async function readFloats(
  handle: fs.FileHandle,
  byteOffset: number,
  count: number,
): Promise<Float32Array> {
  const out = new Float32Array(count);
  const bytes = new Uint8Array(out.buffer);
  let done = 0;
  while (done < bytes.length) {
    const { bytesRead } = await handle.read(bytes, done, bytes.length - done, byteOffset + done);
    if (bytesRead === 0) throw new Error('The cached tensor file ended early');
    done += bytesRead;
  }
  return out;
}

/** The cached tensors, or null when there are none (or they are unusable: then they are redone). */
export async function readTensorCache(
  cacheDir: string,
  versionId: number,
  settings: ResolvedImageSettings,
  realOnly = false,
): Promise<CachedTensors | null> {
  const paths = cachePaths(cacheDir, versionId, settings, realOnly);
  let header: TensorCacheHeader;
  try {
    header = JSON.parse(await fs.readFile(paths.header, 'utf8')) as TensorCacheHeader;
  } catch {
    return null;
  }
  const perImage = header.height * header.width * header.channels;
  const total = header.trainCount + header.validationCount;
  if (
    header.format !== CACHE_FORMAT ||
    header.versionId !== versionId ||
    header.littleEndian !== (os.endianness() === 'LE') ||
    header.itemIds.length !== total
  ) {
    return null;
  }
  const handle = await fs.open(paths.data, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    if (size !== total * perImage * 4) return null;
    const train = await readFloats(handle, 0, header.trainCount * perImage);
    const validation = await readFloats(
      handle,
      header.trainCount * perImage * 4,
      header.validationCount * perImage,
    );
    return { header, train, validation };
  } finally {
    await handle.close();
  }
}

/** Data first, header last: a header on disk means its data is complete. */
export async function writeTensorCache(
  cacheDir: string,
  written: NewCacheHeader,
  train: Float32Array,
  validation: Float32Array,
  realOnly = false,
): Promise<void> {
  const header: TensorCacheHeader = {
    format: CACHE_FORMAT,
    ...written,
    littleEndian: os.endianness() === 'LE',
  };
  const paths = cachePaths(cacheDir, header.versionId, header.settings, realOnly);
  // Written part by part rather than joined first: the tensors can be hundreds of megabytes.
  await writeFileAtomic(
    paths.data,
    [train, validation].map(
      (part) => new Uint8Array(part.buffer, part.byteOffset, part.byteLength),
    ),
  );
  await writeFileAtomic(paths.header, Buffer.from(JSON.stringify(header)));
}
