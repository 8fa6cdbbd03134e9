import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection';
import { asDiskFailure, TEMP_SUFFIX } from './atomicWrite';

/**
 * Long enough that an import running now (in this process or another) never loses a blob it has
 * written or touched but whose item row it has not committed yet: it commits in small batches.
 */
export const DEFAULT_GRACE_MS = 60 * 60 * 1000;

/**
 * Every place a blob hash is referenced from. Thumbnails are keyed by the same hash, so they
 * are referenced through their blob. A new table that points at blobs must be added here, or
 * its blobs are swept.
 */
const REFERENCE_QUERIES = [`SELECT DISTINCT blob_sha AS sha FROM items`];

export interface GarbageOptions {
  /** List what would go without removing anything. */
  dryRun?: boolean;
  /** Unreferenced files younger than this are left for a later collection. */
  graceMs?: number;
  /** The clock, in ms since the epoch; the files' modification times are compared to it. */
  now?: number;
}

export interface SweptFile {
  /** Relative to the data dir; a run's folder is swept whole. */
  path: string;
  bytes: number;
  why: 'unreferenced' | 'temporary' | 'run-without-record';
}

export interface GarbageReport {
  dryRun: boolean;
  graceMs: number;
  /** Distinct blob hashes the database references. */
  referenced: number;
  /** Unreferenced files kept because they (or a thumbnail's blob) are within the grace period. */
  deferred: number;
  swept: SweptFile[];
  files: number;
  bytes: number;
}

/** Mark: every blob hash something in the database points at. */
export function referencedBlobs(db: Db): Set<string> {
  const marked = new Set<string>();
  for (const sql of REFERENCE_QUERIES) {
    for (const row of db.prepare(sql).iterate() as Iterable<{ sha: string }>) marked.add(row.sha);
  }
  return marked;
}

interface StoredFile {
  absolute: string;
  relative: string;
  /** The blob hash the file belongs to, or null for a temporary file or a run's folder. */
  sha: string | null;
  why: SweptFile['why'];
  bytes: number;
  modifiedMs: number;
}

const BLOB_NAME = /^[0-9a-f]{62}$/;
const THUMB_NAME = /^([0-9a-f]{64})\.png$/;
const SHARD_NAME = /^[0-9a-f]{2}$/;

/** The files under `blobs/` or `thumbs/` laid out as the stores write them (`ab/…`). */
async function listStore(dataDir: string, store: 'blobs' | 'thumbs'): Promise<StoredFile[]> {
  const root = path.join(dataDir, store);
  const shards = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  const files: StoredFile[] = [];
  for (const shard of shards) {
    if (!shard.isDirectory() || !SHARD_NAME.test(shard.name)) continue;
    for (const entry of await fs.readdir(path.join(root, shard.name), { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      let sha: string | null = null;
      if (store === 'blobs' && BLOB_NAME.test(entry.name)) sha = shard.name + entry.name;
      const thumb = store === 'thumbs' ? THUMB_NAME.exec(entry.name) : null;
      if (thumb?.[1]?.startsWith(shard.name)) sha = thumb[1];
      // Anything else the studio did not write is none of the collector's business.
      if (sha === null && !entry.name.endsWith(TEMP_SUFFIX)) continue;
      const absolute = path.join(root, shard.name, entry.name);
      const stats = await fs.stat(absolute).catch(() => null);
      if (!stats) continue;
      files.push({
        absolute,
        relative: path.join(store, shard.name, entry.name),
        sha,
        why: sha === null ? 'temporary' : 'unreferenced',
        bytes: stats.size,
        modifiedMs: stats.mtimeMs,
      });
    }
  }
  return files;
}

/** Total size and newest modification under a folder: a run still writing is recent. */
async function measureTree(folder: string): Promise<{ bytes: number; modifiedMs: number }> {
  const stats = await fs.stat(folder);
  let bytes = stats.isFile() ? stats.size : 0;
  let modifiedMs = stats.mtimeMs;
  if (stats.isDirectory()) {
    for (const entry of await fs.readdir(folder)) {
      const inner = await measureTree(path.join(folder, entry));
      bytes += inner.bytes;
      modifiedMs = Math.max(modifiedMs, inner.modifiedMs);
    }
  }
  return { bytes, modifiedMs };
}

/**
 * `runs/<id>/` folders (checkpoints, samples) whose run has no row: the run is gone, and ids are
 * never reused (migration 0006), so nothing can ever point at them again.
 */
async function orphanedRunFolders(db: Db, dataDir: string): Promise<StoredFile[]> {
  const root = path.join(dataDir, 'runs');
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  const known = new Set(
    (db.prepare('SELECT id FROM runs').all() as { id: number }[]).map((r) => String(r.id)),
  );
  const folders: StoredFile[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !/^[1-9]\d*$/.test(entry.name) || known.has(entry.name)) continue;
    const absolute = path.join(root, entry.name);
    const measured = await measureTree(absolute).catch(() => null);
    if (!measured) continue;
    folders.push({
      absolute,
      relative: path.join('runs', entry.name),
      sha: null,
      why: 'run-without-record',
      ...measured,
    });
  }
  return folders;
}

/** Temporary files anywhere under `folder` (caches, checkpoints, samples), except in `skip`. */
async function temporariesUnder(
  dataDir: string,
  folder: string,
  skip: ReadonlySet<string>,
): Promise<StoredFile[]> {
  const absolute = path.join(dataDir, folder);
  if (skip.has(absolute)) return [];
  const entries = await fs.readdir(absolute, { withFileTypes: true }).catch(() => []);
  const found: StoredFile[] = [];
  for (const entry of entries) {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await temporariesUnder(dataDir, relative, skip)));
    if (!entry.isFile() || !entry.name.endsWith(TEMP_SUFFIX)) continue;
    const stats = await fs.stat(path.join(dataDir, relative)).catch(() => null);
    if (!stats) continue;
    found.push({
      absolute: path.join(dataDir, relative),
      relative,
      sha: null,
      why: 'temporary',
      bytes: stats.size,
      modifiedMs: stats.mtimeMs,
    });
  }
  return found;
}

/**
 * Removes originals and thumbnails nothing references any more (an import that was interrupted
 * or cancelled, a deleted dataset), temporary files a crash left behind (in the stores, the
caches and the runs' folders), and the folders of runs that no longer exist. Files younger than
 * the grace period are kept, so an import in progress is never swept; a thumbnail stays while
 * its blob does. The caller makes sure no other studio process is collecting at the same time.
 */
export async function collectGarbage(
  db: Db,
  dataDir: string,
  options: GarbageOptions = {},
): Promise<GarbageReport> {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const cutoff = (options.now ?? Date.now()) - graceMs;
  const marked = referencedBlobs(db);
  const report: GarbageReport = {
    dryRun: Boolean(options.dryRun),
    graceMs,
    referenced: marked.size,
    deferred: 0,
    swept: [],
    files: 0,
    bytes: 0,
  };
  const remainingBlobs = new Set<string>();
  const consider = async (file: StoredFile): Promise<boolean> => {
    if (file.modifiedMs > cutoff) {
      report.deferred += 1;
      return false;
    }
    if (!report.dryRun) {
      try {
        await fs.rm(file.absolute, { force: true, recursive: true });
      } catch (err) {
        throw asDiskFailure(err, path.dirname(file.absolute), file.absolute);
      }
    }
    report.swept.push({
      path: file.relative,
      bytes: file.bytes,
      why: file.why,
    });
    report.files += 1;
    report.bytes += file.bytes;
    return true;
  };

  for (const blob of await listStore(dataDir, 'blobs')) {
    if (blob.sha !== null && marked.has(blob.sha)) continue;
    const swept = await consider(blob);
    if (!swept && blob.sha !== null) remainingBlobs.add(blob.sha);
  }
  const sweptRunFolders = new Set<string>();
  for (const folder of await orphanedRunFolders(db, dataDir)) {
    if (await consider(folder)) sweptRunFolders.add(folder.absolute);
  }
  for (const folder of ['runs', 'cache']) {
    for (const temporary of await temporariesUnder(dataDir, folder, sweptRunFolders)) {
      await consider(temporary);
    }
  }
  for (const thumb of await listStore(dataDir, 'thumbs')) {
    if (thumb.sha !== null && marked.has(thumb.sha)) continue;
    if (thumb.sha !== null && remainingBlobs.has(thumb.sha)) {
      report.deferred += 1;
      continue;
    }
    await consider(thumb);
  }
  return report;
}
