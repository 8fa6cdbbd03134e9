import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import type { Preprocessing, PreprocessPreview, TextStats } from '../../../preload/contract';
import { notFound, StudioFailure } from '../../common/failure';
import { seededRandom } from '../../common/random';
import type { BlobStore } from '../../store/blobStore';
import type { ThumbnailStore } from '../../store/thumbnails';
import { readText } from '../versions/itemText';
import { mapLimited } from '../versions/mapLimited';
import { parseStoredPreprocessing } from '../versions/preprocessing';
import type { VersionRepository } from '../versions/versionRepository';
import { augmentImages } from '../../common/augment';
import {
  backgroundBytes,
  prepareImage,
  resolveImageSettings,
  type ResolvedImageSettings,
} from './imagePipeline';
import { textStats } from './textData';
import {
  loadTrainingData,
  loadTrainingShape,
  type TrainingData,
  type TrainingDataOptions,
  type TrainingAmount,
  type TrainingShape,
} from './trainingData';

export interface PrepareServiceDeps {
  versions: VersionRepository;
  blobs: BlobStore;
  thumbnails: ThumbnailStore;
  cacheDir: string;
}

/** The seed an item's augmentation preview draws with (a training batch drawn with it matches). */
export const augmentationPreviewSeed = (itemId: number): number => itemId;

const DEFAULT_PREVIEW_COUNT = 6;
const MAX_PREVIEW_ITEMS = 12;
export const AUGMENTED_PER_ITEM = 4;
const READ_CONCURRENCY = 16;
/** Text statistics kept in memory, newest last; versions never change, so they never go stale. */
const TEXT_STATS_KEPT = 8;

const dataUrl = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;

function rawPng(pixels: Uint8Array, size: number, channels: 1 | 3): Promise<Buffer> {
  // Without a colourspace sharp writes one raw channel out as RGB.
  return sharp(pixels, { raw: { width: size, height: size, channels } })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .png()
    .toBuffer();
}

/**
 * Preparing a dataset for training: previews of settings before they are saved, text statistics,
 * and the training tensors themselves (see `loadTrainingData`).
 */
export class PrepareService {
  private readonly textStatsCache = new Map<number, TextStats>();

  constructor(private readonly deps: PrepareServiceDeps) {}

  loadTrainingData(versionId: number, options?: TrainingDataOptions): Promise<TrainingData> {
    const { versions, blobs, cacheDir } = this.deps;
    return loadTrainingData({ versions, blobs, cacheDir }, versionId, options);
  }

  /** What a run needs to resolve its config (sizes, classes, vocabulary), without decoding images. */
  trainingShape(
    versionId: number,
    options?: TrainingDataOptions,
  ): Promise<TrainingShape & TrainingAmount> {
    const { versions, blobs, cacheDir } = this.deps;
    return loadTrainingShape({ versions, blobs, cacheDir }, versionId, options);
  }

  /**
   * A few items of the newest version rendered with `preprocessing` (saved or not): as the
   * import stored them, as training will see them, and as augmented training batches may.
   */
  async preview(
    datasetId: number,
    preprocessing: Preprocessing,
    itemIds?: readonly number[],
    count = DEFAULT_PREVIEW_COUNT,
  ): Promise<PreprocessPreview[]> {
    const { versions } = this.deps;
    const kind = versions.datasetKind(datasetId);
    if (!kind) throw notFound(`Dataset ${datasetId}`);
    if (kind !== 'image') {
      throw new StudioFailure('invalid-input', 'Only image datasets have image previews.');
    }
    const latest = versions.latest(datasetId);
    if (!latest) throw notFound(`Dataset ${datasetId}`);
    const settings = resolveImageSettings(preprocessing.image, versions.channelsIn(latest.id));
    const chosen = itemIds?.length
      ? this.itemsById(datasetId, itemIds)
      : this.examplesPerClass(datasetId, latest.id, count);
    return Promise.all(
      chosen.map((item) => this.previewOne(item, settings, preprocessing.augmentation)),
    );
  }

  async textStats(versionId: number): Promise<TextStats> {
    const cached = this.textStatsCache.get(versionId);
    if (cached) return cached;
    const { versions, blobs } = this.deps;
    const version = versions.version(versionId);
    if (!version) throw notFound(`Version ${versionId}`);
    if (versions.datasetKind(version.datasetId) !== 'text') {
      throw new StudioFailure('invalid-input', 'Only text datasets have text statistics.');
    }
    const items = versions.trainingItems(versionId);
    const texts = await mapLimited(items, READ_CONCURRENCY, (item) =>
      readText(blobs, item.blobSha),
    );
    const stats = textStats(
      versionId,
      texts,
      parseStoredPreprocessing(version.preprocessing).text.caseFold,
    );
    this.textStatsCache.set(versionId, stats);
    if (this.textStatsCache.size > TEXT_STATS_KEPT) {
      const oldest = this.textStatsCache.keys().next().value;
      if (oldest !== undefined) this.textStatsCache.delete(oldest);
    }
    return stats;
  }

  private itemsById(datasetId: number, itemIds: readonly number[]) {
    const found = this.deps.versions.itemsByIds(datasetId, itemIds.slice(0, MAX_PREVIEW_ITEMS));
    if (found.length === 0) throw notFound('The chosen items');
    return found;
  }

  /** One item of each class in turn, so a preview shows the variety of the data. */
  private examplesPerClass(datasetId: number, versionId: number, count: number) {
    const { versions } = this.deps;
    const classes = versions.classes(versionId);
    const picked = [];
    for (let offset = 0; picked.length < count && offset < count; offset++) {
      for (const c of classes) {
        if (picked.length >= count) break;
        const [row] = versions.browse({
          datasetId,
          versionId,
          offset,
          limit: 1,
          label: c.label,
          filter: 'included',
          sort: 'path',
          descending: false,
        }).rows;
        if (row) picked.push(row);
      }
    }
    return picked;
  }

  private async previewOne(
    item: { id: number; label: string | null; blob_sha: string },
    settings: ResolvedImageSettings,
    augmentation: Preprocessing['augmentation'],
  ): Promise<PreprocessPreview> {
    const { blobs, thumbnails } = this.deps;
    const original = await blobs.read(item.blob_sha);
    const thumb = await fs
      .readFile(thumbnails.pathOf(item.blob_sha))
      .catch(() => sharp(original).resize(96, 96, { fit: 'inside' }).png().toBuffer());
    const prepared = await prepareImage(original, settings);
    const shape = { height: settings.size, width: settings.size, channels: settings.channels };
    const augmented: string[] = [];
    if (augmentation.flipHorizontal || augmentation.maxShift > 0) {
      // The item's copies side by side, as a training batch of it would be; seeded by the item,
      // so the same settings always preview the same way (and as training draws with that seed).
      const copies = new Float32Array(AUGMENTED_PER_ITEM * prepared.length);
      for (let i = 0; i < AUGMENTED_PER_ITEM; i++) copies.set(prepared, i * prepared.length);
      const fill = backgroundBytes(settings);
      const random = seededRandom(augmentationPreviewSeed(item.id));
      const drawn = augmentImages(copies, AUGMENTED_PER_ITEM, shape, augmentation, fill, random);
      for (let i = 0; i < AUGMENTED_PER_ITEM; i++) {
        const pixels = drawn.subarray(i * prepared.length, (i + 1) * prepared.length);
        augmented.push(
          dataUrl(await rawPng(Uint8Array.from(pixels), settings.size, settings.channels)),
        );
      }
    }
    return {
      itemId: item.id,
      label: item.label,
      original: dataUrl(thumb),
      prepared: dataUrl(await rawPng(prepared, settings.size, settings.channels)),
      augmented,
    };
  }
}
