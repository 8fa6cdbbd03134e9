// The contract of dataset versions: browsing, curation (every change is a new version) and the
// preparation a model trains with.
import type { ClassCount, DatasetKind, ItemView } from './datasets';

/** Which part of a version an item trains in; excluded items are in neither. */
export type DataSplit = 'train' | 'validation';

/** Browse filters: `excluded` and `relabeled` are relative to what the import found. */
export type ItemFilter = 'all' | 'included' | 'excluded' | 'relabeled' | 'train' | 'validation';
export type ItemSort = 'path' | 'label' | 'pixels' | 'bytes' | 'format' | 'imported';

export interface BrowseItem extends ItemView {
  kind: DatasetKind;
  /** The label the import gave it (its folder), whatever the version says now. */
  originalLabel: string | null;
  /** False when the version leaves the item out. */
  included: boolean;
  /** Null when excluded. */
  split: DataSplit | null;
  /** Text items: their first characters, for a list row; null for images. */
  preview: string | null;
}

export interface BrowsePage {
  items: BrowseItem[];
  total: number;
  /** The version these items (and their flags) belong to. */
  versionId: number;
}

export interface ItemText {
  itemId: number;
  text: string;
  totalChars: number;
  truncated: boolean;
}

/** Every change is one new version; history is never rewritten. */
export type ItemEdit =
  { action: 'exclude' } | { action: 'include' } | { action: 'relabel'; label: string | null };

export type ImageFit = 'crop' | 'pad' | 'stretch';

export interface ImagePreprocessing {
  /** Training images are size×size pixels. */
  size: number;
  /** 'auto': grayscale when every item is grayscale, colour otherwise. */
  channels: 'auto' | 1 | 3;
  fit: ImageFit;
  /** '#rrggbb' that transparency and padding become. */
  background: string;
  // No value range: each model family trains in the range it needs (main/ml/config/pixelRange.ts).
}

/** Applied to training batches only, never to validation. */
export interface AugmentationSettings {
  flipHorizontal: boolean;
  /** Largest shift in pixels, either way, on each axis; 0 = none. */
  maxShift: number;
}

export interface TextPreprocessing {
  caseFold: boolean;
}

/** Which training items batches draw (images); validation is never resampled. */
export interface SamplingSettings {
  /**
   * Draw every class equally often, whatever its size (the small ones are oversampled, with the
   * augmentation above making their repeats differ); off = every item once per epoch.
   */
  classBalanced: boolean;
}

export interface SplitSettings {
  /** Share of each class held out for validation, 0 to 0.5. */
  validationFraction: number;
  seed: number;
}

export interface Preprocessing {
  image: ImagePreprocessing;
  augmentation: AugmentationSettings;
  sampling: SamplingSettings;
  text: TextPreprocessing;
  split: SplitSettings;
}

export interface RelabelCount {
  from: string | null;
  to: string | null;
  count: number;
}

export interface SettingChange {
  /** Short name as a person reads it: 'size', 'fit', 'validation'. */
  setting: string;
  from: string;
  to: string;
}

export interface VersionChanges {
  excluded: number;
  included: number;
  relabeled: RelabelCount[];
  settings: SettingChange[];
  /** Items that moved between train and validation. */
  resplit: number;
}

export interface VersionSummary {
  id: number;
  datasetId: number;
  number: number;
  /** The version that was newest when this one was made. */
  parentId: number | null;
  /** Set when this version undid that one. */
  undoOfId: number | null;
  /** The readable diff from its parent, e.g. "3 excluded, 2 relabeled 7→1, size 28→32". */
  note: string;
  createdAt: string;
  itemCount: number;
  trainCount: number;
  validationCount: number;
  /** Items made from generated samples ("add to dataset"), included in itemCount. */
  syntheticCount: number;
}

export interface VersionClassCount extends ClassCount {
  train: number;
  validation: number;
  /** Of `count`, the items made from generated samples. */
  synthetic: number;
}

export interface VersionDetail extends VersionSummary {
  preprocessing: Preprocessing;
  classes: VersionClassCount[];
  /** Every label an item of the dataset has in this version or had at import (filters, relabel). */
  labels: (string | null)[];
  isLatest: boolean;
  /** For the newest version: the version an undo would bring back, or null. */
  undoTargetId: number | null;
}

export interface VersionComparison {
  fromVersionId: number;
  toVersionId: number;
  changes: VersionChanges;
  summary: string;
}

/** One example rendered by the core with given settings; images are PNG data URLs. */
export interface PreprocessPreview {
  itemId: number;
  label: string | null;
  original: string;
  prepared: string;
  /** What training batches may see: the prepared image augmented a few ways. */
  augmented: string[];
}

export interface TextStats {
  versionId: number;
  itemCount: number;
  totalChars: number;
  /** Characters per item, in bins. */
  lengths: { from: number; to: number; count: number }[];
  /** Every character before case folding, most frequent first. */
  characters: { char: string; count: number }[];
  /** The token alphabet with this version's case folding, in token-id order. */
  vocabulary: string[];
}

export interface VersionCalls {
  /** A page of a version's items (the newest by default), excluded ones included on request. */
  'datasets:browse': (args: {
    datasetId: number;
    versionId?: number;
    offset: number;
    limit: number;
    label?: string | null;
    filter?: ItemFilter;
    sort?: ItemSort;
    descending?: boolean;
  }) => BrowsePage;
  'datasets:itemText': (args: { itemId: number; maxChars?: number }) => ItemText;
  'datasets:versions': (args: { datasetId: number }) => VersionSummary[];
  'datasets:getVersion': (args: { versionId: number }) => VersionDetail;
  /** Changes made on `baseVersionId`, which must still be the newest (else 'conflict'). */
  'datasets:editItems': (args: {
    datasetId: number;
    baseVersionId: number;
    itemIds: number[];
    edit: ItemEdit;
  }) => VersionSummary;
  'datasets:setPreprocessing': (args: {
    datasetId: number;
    baseVersionId: number;
    preprocessing: Preprocessing;
  }) => VersionSummary;
  /** A new version with the content from before the newest change. */
  'datasets:undo': (args: { datasetId: number; baseVersionId: number }) => VersionSummary;
  /** A new version with the content of any earlier one. */
  'datasets:restoreVersion': (args: {
    datasetId: number;
    baseVersionId: number;
    versionId: number;
  }) => VersionSummary;
  'datasets:compareVersions': (args: {
    fromVersionId: number;
    toVersionId: number;
  }) => VersionComparison;
  /** Renders a few items with (unsaved) settings, as training would see them. */
  'datasets:previewPreprocessing': (args: {
    datasetId: number;
    preprocessing: Preprocessing;
    itemIds?: number[];
    count?: number;
  }) => PreprocessPreview[];
  'datasets:textStats': (args: { versionId: number }) => TextStats;
}
