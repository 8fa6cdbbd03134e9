import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AuditNotice, AuditSummary } from '../../preload/contract';
import type { BlobStore } from '../store/blobStore';
import type { AuditRepository } from './auditRepository';
import { imbalanceFindings, missingFindings } from './classes';
import type { FeatureCache } from './featureCache';
import type { Packable } from './featureCodec';
import { auditImages } from './image/imageAudit';
import {
  extractImageFeatures,
  failedImageFeatures,
  IMAGE_EXTRACTOR_VERSION,
  type ImageFeatures,
} from './image/imageFeatures';
import { skippedFileFindings } from './image/imageQuality';
import { qualitySummary } from './summary';
import { auditTexts } from './text/textAudit';
import {
  extractTextFeatures,
  TEXT_EXTRACTOR_VERSION,
  type TextFeatures,
} from './text/textFeatures';
import type { LabelClassifier } from './labels/classifier';
import { AuditCancelled, type AuditItem, type DraftFinding, type WorkControl } from './types';

export interface AuditDeps {
  repository: AuditRepository;
  cache: FeatureCache;
  blobs: BlobStore;
  /** Trains the label-error classifier (in the ML worker; see labels/classifier.ts). */
  classifier: LabelClassifier;
}

export interface AuditOptions {
  /** The run row this audit fills (made by the caller, so it has an id to show at once). */
  auditId: number;
  /** Images decoded at once: sharp decodes on libvips' threads, a few in flight keep them busy. */
  concurrency?: number;
}

export type AuditProgressListener = (phase: string, done: number, total: number) => void;

/** How long detectors may compute before yielding to the event loop (IPC, cancel clicks). */
const SLICE_MS = 40;
const CACHE_BATCH = 250;

/**
 * Audits one dataset version and stores what it finds under `options.auditId`. Features come
 * from the per-blob cache where they are, so a re-audit after items were added decodes only the
 * new ones. Cancelling (the signal) stops at the next checkpoint and stores nothing but the
 * run's status; features computed so far stay cached.
 */
export async function auditDataset(
  deps: AuditDeps,
  versionId: number,
  options: AuditOptions,
  onProgress: AuditProgressListener,
  signal: AbortSignal,
): Promise<AuditSummary> {
  const started = Date.now();
  const { repository } = deps;
  const datasetId = repository.datasetOfVersion(versionId);
  const dataset = datasetId === null ? null : repository.dataset(datasetId);
  const items = repository.items(versionId);
  let computed = 0;
  const control = workControl(signal, onProgress);
  try {
    if (!dataset) throw new Error(`Version ${versionId} belongs to no dataset that is ready.`);
    const images = items.filter((i) => i.kind === 'image');
    const texts = items.filter((i) => i.kind === 'text');
    const findings: DraftFinding[] = [];
    const stats: Record<string, unknown> = {};
    let uniqueness = new Map<number, number>();
    const imageFeatures = new Map<number, ImageFeatures>();

    if (images.length > 0) {
      const featuresStarted = Date.now();
      const gathered = await gatherFeatures(
        deps,
        images,
        'image',
        IMAGE_EXTRACTOR_VERSION,
        extractImageFeatures,
        failedImageFeatures,
        options.concurrency ?? 6,
        control,
      );
      computed += gathered.computed;
      images.forEach((item, i) =>
        imageFeatures.set(item.itemId, gathered.features[i] as ImageFeatures),
      );
      stats.featuresMs = Date.now() - featuresStarted;
      const result = await auditImages(images, gathered.features, control, deps.classifier);
      findings.push(...result.findings);
      uniqueness = result.uniqueness;
      stats.image = result.stats;
    }
    if (texts.length > 0) {
      const gathered = await gatherFeatures(
        deps,
        texts,
        'text',
        TEXT_EXTRACTOR_VERSION,
        async (bytes) => extractTextFeatures(bytes),
        null,
        1,
        control,
      );
      computed += gathered.computed;
      const result = await auditTexts(texts, gathered.features, control, deps.classifier);
      findings.push(...result.findings);
      for (const [itemId, value] of result.uniqueness) uniqueness.set(itemId, value);
      stats.text = result.stats;
    }
    findings.push(...skippedFileFindings(repository.skipped(dataset.id)));
    findings.push(
      ...imbalanceFindings(items, {
        // Only image training honours class-balanced batches (text reads one corpus).
        balancedBatches:
          dataset.kind === 'image' && repository.preprocessing(versionId).sampling.classBalanced,
      }),
    );
    const knownClasses = await classesOf(
      dataset.sourcePath,
      items,
      repository.importedLabels(dataset.id),
      repository.skipped(dataset.id).map((s) => s.sourcePath),
    );
    // An item already reported as corrupt or blank is not also "missing a channel".
    const unusable = new Set(
      findings
        .filter((f) => f.type === 'corrupt' || f.type === 'blank')
        .flatMap((f) => f.members.map((m) => m.itemId)),
    );
    findings.push(
      ...missingFindings(
        items.filter((i) => !unusable.has(i.itemId)),
        knownClasses,
        texts.length > images.length ? 'text' : 'image',
        (item) => (imageFeatures.get(item.itemId)?.chroma ?? 1) < 1,
      ),
    );
    await control.checkpoint();

    findings.sort(byTypeThenScore);
    const quality = qualitySummary(findings, items.length);
    const durationMs = Date.now() - started;
    const notices = [stats.image, stats.text].flatMap(
      (part) => (part as { notices?: AuditNotice[] } | undefined)?.notices ?? [],
    );
    const skipped = [stats.image, stats.text]
      .map((part) => (part as { labelErrorsSkipped?: string } | undefined)?.labelErrorsSkipped)
      .find((why) => why !== undefined);
    repository.completeRun(options.auditId, {
      message:
        skipped === undefined
          ? null
          : `Completed without looking for label errors: the classifier could not run (${skipped}).`,
      findings,
      uniqueness,
      itemCount: items.length,
      computedCount: computed,
      score: quality.score,
      summary: {
        counts: quality.counts,
        affectedItems: quality.affectedItems,
        durationMs,
        ...stats,
        notices,
      },
    });
  } catch (err) {
    if (err instanceof AuditCancelled || signal.aborted) {
      repository.endRun(
        options.auditId,
        'cancelled',
        'The audit was cancelled; nothing was stored.',
        items.length,
        computed,
      );
    } else {
      const message = err instanceof Error ? err.message : String(err);
      repository.endRun(
        options.auditId,
        'failed',
        `The audit failed: ${message}`,
        items.length,
        computed,
      );
    }
  }
  return repository.summary(options.auditId) as AuditSummary;
}

const TYPE_ORDER = [
  'corrupt',
  'blank',
  'exact-duplicate',
  'near-duplicate',
  'leakage',
  'label-error',
  'outlier',
  'class-imbalance',
  'missing',
  'text-charset',
  'text-length',
  'text-boilerplate',
];

function byTypeThenScore(a: DraftFinding, b: DraftFinding): number {
  return TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || b.score - a.score;
}

export function workControl(signal: AbortSignal, onProgress: AuditProgressListener): WorkControl {
  let lastYield = Date.now();
  return {
    async checkpoint() {
      if (signal.aborted) throw new AuditCancelled();
      if (Date.now() - lastYield < SLICE_MS) return;
      await yieldToEventLoop();
      lastYield = Date.now();
      if (signal.aborted) throw new AuditCancelled();
    },
    progress: onProgress,
    signal,
  };
}

/** Features for every item: from the cache by blob hash, else computed (each blob once). */
async function gatherFeatures<T extends ImageFeatures | TextFeatures>(
  deps: AuditDeps,
  items: readonly AuditItem[],
  kind: 'image' | 'text',
  extractor: number,
  extract: (bytes: Uint8Array) => Promise<T>,
  failed: ((reason: string) => T) | null,
  concurrency: number,
  control: WorkControl,
): Promise<{ features: T[]; computed: number }> {
  const bySha = new Map<string, T>();
  const missing: string[] = [];
  for (const item of items) {
    if (bySha.has(item.blobSha)) continue;
    const cached = deps.cache.get<T & Packable>(item.blobSha, kind, extractor);
    if (cached) bySha.set(item.blobSha, cached);
    else missing.push(item.blobSha);
  }
  const todo = [...new Set(missing)];
  let done = 0;
  let pending: { sha: string; features: Packable }[] = [];
  const flush = (): void => {
    if (pending.length > 0) deps.cache.putMany(pending, kind, extractor);
    pending = [];
  };
  const computeOne = async (sha: string): Promise<void> => {
    let bytes: Buffer;
    try {
      bytes = await deps.blobs.read(sha);
    } catch {
      // Not cached: the file may come back (a restored data folder), and then it is decoded.
      bySha.set(
        sha,
        failed
          ? failed('missing from the studio’s file store')
          : (extractTextFeatures(new Uint8Array(0)) as T),
      );
      return;
    }
    const features = await extract(bytes);
    bySha.set(sha, features);
    pending.push({ sha, features: features as unknown as Packable });
  };
  const inFlight = new Set<Promise<void>>();
  for (const sha of todo) {
    const job = computeOne(sha).finally(() => {
      inFlight.delete(job);
      done++;
    });
    inFlight.add(job);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (pending.length >= CACHE_BATCH) flush();
    if (done % 100 === 0) {
      control.progress('features', done, todo.length);
      await control.checkpoint();
    }
  }
  await Promise.all(inFlight);
  flush();
  control.progress('features', todo.length, todo.length);
  return { features: items.map((i) => bySha.get(i.blobSha) as T), computed: todo.length };
}

/**
 * Every class the dataset should have: labels its items had at import, plus class folders whose
 * files were all skipped or that hold no file at all (when labels come from folders and the
 * folder is still there to look at).
 */
async function classesOf(
  sourcePath: string,
  items: readonly AuditItem[],
  importedLabels: readonly string[],
  skippedPaths: readonly string[],
): Promise<string[]> {
  const classes = new Set(importedLabels);
  const folderOf = (p: string): string | null => {
    const relative = path.relative(sourcePath, p);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
    const parts = relative.split(/[\\/]/);
    return parts.length > 1 ? (parts[0] as string) : null;
  };
  const labeled = items.filter((i) => i.label !== null);
  const fromFolders =
    labeled.length > 0 &&
    labeled.filter((i) => folderOf(i.sourcePath) === i.label).length >= 0.9 * labeled.length;
  if (!fromFolders) return [...classes];
  for (const p of skippedPaths) {
    const folder = folderOf(p);
    if (folder !== null) classes.add(folder);
  }
  const entries = await fs.readdir(sourcePath, { withFileTypes: true }).catch(() => []);
  for (const entry of entries)
    if (entry.isDirectory() && !entry.name.startsWith('.')) classes.add(entry.name);
  return [...classes];
}
