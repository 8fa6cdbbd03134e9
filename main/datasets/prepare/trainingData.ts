import type {
  AugmentationSettings,
  DatasetKind,
  SamplingSettings,
} from '../../../preload/contract';
import { notFound } from '../../common/failure';
import type { ImageTensorData } from '../../ml/protocol';
import type { BlobStore } from '../../store/blobStore';
import { readText } from '../versions/itemText';
import { mapLimited } from '../versions/mapLimited';
import { parseStoredPreprocessing } from '../versions/preprocessing';
import type { TrainingItem, VersionRepository } from '../versions/versionRepository';
import {
  backgroundBytes,
  normalizeInto,
  normalizeValue,
  prepareImage,
  resolveImageSettings,
  type ResolvedImageSettings,
} from './imagePipeline';
import { readTensorCache, writeTensorCache, type NewCacheHeader } from './tensorCache';
import { buildVocabulary, foldText, tokenize } from './textData';

/** One part (train or validation) of a version's images. */
export interface ImagePart extends ImageTensorData {
  /** Class index of each image, into `classNames`. */
  labels: Int32Array;
  itemIds: Int32Array;
}

export interface ImageTrainingData {
  kind: 'image';
  versionId: number;
  settings: ResolvedImageSettings;
  /** For training batches only (see common/augment.ts); validation is never augmented. */
  augmentation: AugmentationSettings;
  /** Which training items batches draw (class-balanced or not); validation is never resampled. */
  batchBalance: SamplingSettings;
  /** What a shift uncovers: the background, per channel, in [0, 1] like the pixels. */
  fill: number[];
  /** Sorted, unlabeled (null) last. */
  classNames: (string | null)[];
  classCount: number;
  train: ImagePart;
  validation: ImagePart;
  /** True when the tensors came from the disk cache rather than from decoding. */
  fromCache: boolean;
}

export interface TextPart {
  /** Every document's token ids, one after the other. */
  tokens: Int32Array;
  documentStarts: Int32Array;
  labels: Int32Array;
  itemIds: Int32Array;
}

export interface TextTrainingData {
  kind: 'text';
  versionId: number;
  caseFold: boolean;
  /** Token id → character. */
  vocabulary: string[];
  classNames: (string | null)[];
  classCount: number;
  train: TextPart;
  validation: TextPart;
}

export type TrainingData = ImageTrainingData | TextTrainingData;

export interface TrainingDataDeps {
  versions: VersionRepository;
  blobs: BlobStore;
  /** `<dataDir>/cache`. */
  cacheDir: string;
}

export interface TrainingDataOptions {
  /** A model with a fixed input size asks for it; the version's own size otherwise. */
  imageSize?: number;
  channels?: 1 | 3;
  /** False: leave out the items made from generated samples (default: they train too). */
  includeSynthetic?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * What a version says about the model that trains on it, without decoding an image: the image
 * settings (size, channels) and classes, or the vocabulary. A run's config is resolved from it.
 */
/** How much a version trains on, read from its rows (the data check before training). */
export interface TrainingAmount {
  /** Training items per class index (into `classNames`). */
  trainPerClass: number[];
  /** Text only: characters in the training documents, after folding. */
  trainCharacters?: number;
}

export type TrainingShape =
  | Pick<ImageTrainingData, 'kind' | 'settings' | 'classNames' | 'classCount'>
  | Pick<TextTrainingData, 'kind' | 'vocabulary' | 'classNames' | 'classCount'>;

/** Images decoded at once: sharp works on libvips' own threads. */
const DECODE_CONCURRENCY = 4;
const READ_CONCURRENCY = 16;

function classIndex(items: readonly TrainingItem[]): {
  classNames: (string | null)[];
  indexOf: (label: string | null) => number;
} {
  const labels = [...new Set(items.map((item) => item.label))];
  const named = labels.filter((l): l is string => l !== null).sort();
  const classNames: (string | null)[] = labels.includes(null) ? [...named, null] : named;
  const index = new Map(classNames.map((label, i) => [label, i]));
  return { classNames, indexOf: (label) => index.get(label) as number };
}

/**
 * A version's training shape from its rows and settings: images are not decoded (their channels
 * are in the item rows); a text version's vocabulary needs its characters, so its texts are read.
 */
export async function loadTrainingShape(
  deps: TrainingDataDeps,
  versionId: number,
  options: Pick<TrainingDataOptions, 'imageSize' | 'channels' | 'includeSynthetic'> = {},
): Promise<TrainingShape & TrainingAmount> {
  const version = deps.versions.version(versionId);
  if (!version) throw notFound(`Version ${versionId}`);
  const kind = deps.versions.datasetKind(version.datasetId) as DatasetKind | null;
  if (!kind) throw notFound(`The dataset of version ${versionId}`);
  const preprocessing = parseStoredPreprocessing(version.preprocessing);
  const items = deps.versions.trainingItems(versionId, options.includeSynthetic ?? true);
  const { classNames, indexOf } = classIndex(items);
  const trainPerClass = classNames.map(() => 0);
  for (const item of items) {
    if (item.split === 'train')
      trainPerClass[indexOf(item.label)] = (trainPerClass[indexOf(item.label)] ?? 0) + 1;
  }
  const common = { classNames, classCount: classNames.length, trainPerClass };
  if (kind === 'text') {
    const texts = await mapLimited(items, READ_CONCURRENCY, async (item) =>
      foldText(await readText(deps.blobs, item.blobSha), preprocessing.text.caseFold),
    );
    const trainCharacters = texts.reduce(
      (sum, text, i) => sum + (items[i]?.split === 'train' ? [...text].length : 0),
      0,
    );
    return { kind, vocabulary: buildVocabulary(texts), trainCharacters, ...common };
  }
  const settings = imageSettingsOf(preprocessing.image, items, options);
  return { kind, settings, ...common };
}

function imageSettingsOf(
  image: ReturnType<typeof parseStoredPreprocessing>['image'],
  items: readonly TrainingItem[],
  options: Pick<TrainingDataOptions, 'imageSize' | 'channels'>,
): ResolvedImageSettings {
  return resolveImageSettings(
    {
      ...image,
      ...(options.imageSize ? { size: options.imageSize } : {}),
      ...(options.channels ? { channels: options.channels } : {}),
    },
    items.map((item) => item.channels),
  );
}

/**
 * A version as a model trains on it: its train and validation parts, with class indices, in the
 * version's preprocessing. Image tensors are decoded once per version and settings, then read from
 * the disk cache.
 */
export async function loadTrainingData(
  deps: TrainingDataDeps,
  versionId: number,
  options: TrainingDataOptions = {},
): Promise<TrainingData> {
  const version = deps.versions.version(versionId);
  if (!version) throw notFound(`Version ${versionId}`);
  const kind = deps.versions.datasetKind(version.datasetId) as DatasetKind | null;
  if (!kind) throw notFound(`The dataset of version ${versionId}`);
  const preprocessing = parseStoredPreprocessing(version.preprocessing);
  const items = deps.versions.trainingItems(versionId, options.includeSynthetic ?? true);
  const { classNames, indexOf } = classIndex(items);
  const trainCount = items.filter((item) => item.split === 'train').length;

  if (kind === 'text') {
    const caseFold = preprocessing.text.caseFold;
    const texts = await mapLimited(items, READ_CONCURRENCY, async (item) =>
      foldText(await readText(deps.blobs, item.blobSha), caseFold),
    );
    const vocabulary = buildVocabulary(texts);
    const part = (from: number, to: number): TextPart => ({
      ...tokenize(texts.slice(from, to), vocabulary),
      labels: Int32Array.from(items.slice(from, to), (item) => indexOf(item.label)),
      itemIds: Int32Array.from(items.slice(from, to), (item) => item.itemId),
    });
    return {
      kind,
      versionId,
      caseFold,
      vocabulary,
      classNames,
      classCount: classNames.length,
      train: part(0, trainCount),
      validation: part(trainCount, items.length),
    };
  }

  const settings = imageSettingsOf(preprocessing.image, items, options);
  const fill = backgroundBytes(settings).map(normalizeValue);
  const common = {
    kind,
    versionId,
    settings,
    augmentation: preprocessing.augmentation,
    batchBalance: preprocessing.sampling,
    fill,
    classNames,
    classCount: classNames.length,
  };

  const realOnly = options.includeSynthetic === false;
  const cached = await readTensorCache(deps.cacheDir, versionId, settings, realOnly);
  if (cached) {
    const { header } = cached;
    const part = (pixels: Float32Array, from: number, to: number): ImagePart => ({
      pixels,
      count: to - from,
      height: header.height,
      width: header.width,
      channels: header.channels,
      labels: Int32Array.from(header.labels.slice(from, to)),
      itemIds: Int32Array.from(header.itemIds.slice(from, to)),
    });
    options.onProgress?.(items.length, items.length);
    return {
      ...common,
      classNames: header.classNames,
      classCount: header.classNames.length,
      train: part(cached.train, 0, header.trainCount),
      validation: part(cached.validation, header.trainCount, header.itemIds.length),
      fromCache: true,
    };
  }

  const { size, channels } = settings;
  const perImage = size * size * channels;
  let decoded = 0;
  const decodePart = async (part: readonly TrainingItem[]): Promise<Float32Array> => {
    const pixels = new Float32Array(part.length * perImage);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < part.length) {
        const index = next++;
        const item = part[index] as TrainingItem;
        const bytes = await prepareImage(await deps.blobs.read(item.blobSha), settings);
        normalizeInto(bytes, pixels, index * perImage);
        decoded++;
        options.onProgress?.(decoded, items.length);
      }
    };
    await Promise.all(Array.from({ length: DECODE_CONCURRENCY }, worker));
    return pixels;
  };
  const trainItems = items.slice(0, trainCount);
  const validationItems = items.slice(trainCount);
  const trainPixels = await decodePart(trainItems);
  const validationPixels = await decodePart(validationItems);

  const header: NewCacheHeader = {
    versionId,
    settings,
    height: size,
    width: size,
    channels,
    trainCount,
    validationCount: items.length - trainCount,
    itemIds: items.map((item) => item.itemId),
    labels: items.map((item) => indexOf(item.label)),
    classNames,
  };
  await writeTensorCache(deps.cacheDir, header, trainPixels, validationPixels, realOnly);
  const part = (pixels: Float32Array, list: readonly TrainingItem[]): ImagePart => ({
    pixels,
    count: list.length,
    height: size,
    width: size,
    channels,
    labels: Int32Array.from(list, (item) => indexOf(item.label)),
    itemIds: Int32Array.from(list, (item) => item.itemId),
  });
  return {
    ...common,
    train: part(trainPixels, trainItems),
    validation: part(validationPixels, validationItems),
    fromCache: false,
  };
}
