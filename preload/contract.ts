// The one contract between the renderer and the studio's core.
//
// Every call is `domain:verb`, takes one argument object and resolves to an Outcome (errors are
// data, never thrown across the boundary). Every pushed event is `domain:event` with one payload.
// The Electron IPC handlers, the preload bridge, the HTTP/WebSocket server and its browser client
// are all typed against this file. It has no runtime imports on purpose: the renderer, preload and
// main all include it.

// ---------- errors and outcomes ----------

export type ErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'unsupported'
  | 'io'
  | 'ml'
  | 'internal'
  /** The person stopped the work (an import's cancel button, Ctrl-C); nothing is left half-done. */
  | 'cancelled';

export interface StudioError {
  code: ErrorCode;
  /** A sentence a person can act on. */
  message: string;
  details?: Record<string, unknown>;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: StudioError };

// ---------- shared shapes ----------

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendCandidate {
  name: BackendName;
  /** The npm package that provides it. */
  packageName: string;
  available: boolean;
  /** Why it was not used (package missing, no CUDA device, ...); empty for the chosen one. */
  reason: string;
}

export interface BackendReport {
  /** The backend tfjs runs on in the ML worker. */
  active: BackendName;
  candidates: BackendCandidate[];
  /** Threads the backend uses where it says (wasm), else null. */
  threads: number | null;
  /** What a person can install to get a faster backend, if anything. */
  advice: string;
}

export interface GpuDevice {
  name: string;
  memoryBytes: number;
  driver: string;
}

/** What the machine offers to train on (the "GPU doctor"). */
export interface DeviceReport {
  cpu: { model: string; cores: number; memoryBytes: number };
  gpus: GpuDevice[];
  /** What looking for GPUs found, in a sentence. */
  gpuProbe: string;
}

export interface StudioSettings {
  /** The ML backend to use when it is available; null = the best one that loads. */
  preferredBackend: BackendName | null;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  shell: 'electron' | 'browser';
  /** Null until the ML worker has started. */
  backend: BackendReport | null;
}

export type DatasetKind = 'image' | 'text';

export interface ClassCount {
  /** Null for unlabeled items. */
  label: string | null;
  count: number;
}

export interface SkippedFile {
  sourcePath: string;
  reason: string;
}

export interface DatasetSummary {
  id: number;
  name: string;
  kind: DatasetKind;
  sourcePath: string;
  itemCount: number;
  classCount: number;
  createdAt: string;
  /** The newest version, which training uses by default. */
  latestVersionId: number;
}

export interface DatasetDetail extends DatasetSummary {
  classes: ClassCount[];
  skipped: SkippedFile[];
  /** Files the import used but flagged (a PNG named .jpg, Latin-1 text), with the remark. */
  notes: SkippedFile[];
}

export interface ItemView {
  id: number;
  label: string | null;
  sourcePath: string;
  format: string;
  width: number;
  height: number;
  channels: number;
  byteSize: number;
  /** Content hash; the media URL for its thumbnail comes from `StudioShell.mediaUrl`. */
  blobSha: string;
}

export interface ItemPage {
  items: ItemView[];
  total: number;
}

// ---------- dataset versions: browsing, curation, preparation ----------

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
export type NormalizationRange = 'zero-one' | 'minus-one-one';

export interface ImagePreprocessing {
  /** Training images are size×size pixels. */
  size: number;
  /** 'auto': grayscale when every item is grayscale, colour otherwise. */
  channels: 'auto' | 1 | 3;
  fit: ImageFit;
  /** '#rrggbb' that transparency and padding become. */
  background: string;
  range: NormalizationRange;
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
}

export interface VersionClassCount extends ClassCount {
  train: number;
  validation: number;
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

export interface ImportReport {
  dataset: DatasetDetail;
  /** Items in the dataset returned (a text file split per line gives many items). */
  importedCount: number;
  skipped: SkippedFile[];
  notes: SkippedFile[];
  /**
   * True when the same folder, with the same content, name and settings, was imported before:
   * that dataset is returned unchanged and nothing new is stored.
   */
  alreadyImported: boolean;
  /** Files the import looked at, and how long it took. */
  filesSeen: number;
  durationMs: number;
}

/** How a text file becomes items: the whole file, each non-blank line, or each paragraph. */
export type TextUnit = 'file' | 'line' | 'paragraph';

/** How a folder is read; every setting is optional and stored with the dataset. */
export interface ImportSettings {
  /** Image or text; by default the kind most of the files have (by extension). */
  kind?: DatasetKind;
  /** Text datasets: default 'file'. CSV and JSONL files always give one item per row. */
  textUnit?: TextUnit;
  /** CSV files: the column holding the text, by header name or 1-based number. */
  csvColumn?: string;
  /** JSONL files: the field holding the text (dots reach into objects); default 'text'. */
  jsonlField?: string;
  /**
   * A CSV of `path,label` rows (paths relative to the folder) labelling the items instead of
   * their first sub-folder; a relative file name is looked up inside the imported folder.
   */
  labelsFile?: string;
}

export type ModelFamily = 'dense-vae' | 'conv-vae' | 'dcgan' | 'char-rnn' | 'char-gpt';

/** What a model family trains on: image datasets or text corpora. */
export type ModelKind = 'image' | 'text';

export interface ModelPreset {
  id: string;
  family: ModelFamily;
  kind: ModelKind;
  label: string;
  description: string;
  steps: number;
  batchSize: number;
  /** Side of the square images an image model trains at; 0 for text models. */
  imageSize: number;
  sampleEvery: number;
  /** Trainable parameters, for one grey channel (image) or a 96-character vocabulary (text). */
  params: number;
  /** Characters of context a text model sees; 0 for image models. */
  contextLength: number;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

export interface RunSummary {
  id: number;
  datasetId: number;
  datasetName: string;
  versionId: number;
  family: ModelFamily;
  presetId: string;
  status: RunStatus;
  step: number;
  totalSteps: number;
  backend: BackendName | null;
  /** Failure or stop explanation a person can read. */
  message: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  sampleCount: number;
  lastLoss: number | null;
  /** The step of the newest checkpoint; a stopped or interrupted run resumes from it. */
  checkpointStep: number | null;
}

export interface RunEstimate {
  presetId: string;
  backend: string;
  parameters: number;
  batchSize: number;
  memoryBytes: number;
  msPerStep: number;
  /** msPerStep × the preset's steps. */
  totalSeconds: number;
}

export interface MetricPoint {
  step: number;
  name: string;
  value: number;
}

export interface RunDetail extends RunSummary {
  config: Record<string, unknown>;
  metrics: MetricPoint[];
}

export interface SampleView {
  id: number;
  runId: number;
  /** Images from image models; text from the character models (RNN, GPT). */
  kind: 'image' | 'text';
  /** The generated text of a text sample, else null. */
  text: string | null;
  step: number;
  index: number;
  width: number;
  height: number;
  createdAt: string;
}

export interface GenerateSamplesArgs {
  runId: number;
  /** Images: 'grid' (default) or 'interpolation' (VAEs: frames between two latent points). */
  mode?: 'grid' | 'interpolation';
  count?: number;
  seed?: number;
  /** Text models only. */
  prompt?: string;
  maxLength?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  stopAtNewline?: boolean;
}

export interface ExportResult {
  folder: string;
  files: string[];
  zipPath: string;
  /** For the browser shell: where the ZIP can be downloaded. */
  zipId: string;
}

// ---------- data audit ----------

/** What the audit looks for; `detail` on a finding narrows it ('unlabeled', 'noise', ...). */
export type AuditFindingType =
  | 'exact-duplicate'
  | 'near-duplicate'
  | 'corrupt'
  | 'blank'
  | 'outlier'
  | 'class-imbalance'
  | 'missing'
  | 'label-error'
  | 'leakage'
  | 'text-length'
  | 'text-boilerplate'
  | 'text-charset';

export type AuditSeverity = 'high' | 'medium' | 'low' | 'info';

/**
 * The one-click fix a finding suggests, as item ids: a fix is "exclude or relabel these items",
 * which makes a new dataset version. 'keep-one' excludes every member whose role is 'duplicate'.
 */
export type AuditActionKind = 'exclude' | 'relabel' | 'keep-one' | 'rebalance' | 'review';

export type AuditRunStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

export interface AuditFindingMember {
  /** Null for a file the import could not use (it never became an item). */
  itemId: number | null;
  sourcePath: string;
  /** The item's content, for thumbnails (`shell.mediaUrl('thumb', blobSha)`); null without an item. */
  blobSha: string | null;
  label: string | null;
  split: DataSplit | null;
  /**
   * What the member is to the finding. A fix acts on 'subject' (the item the finding is about),
   * 'duplicate' (a copy 'keep-one' drops) and 'leak' (a validation copy of a training item);
   * 'keep', 'source', 'member' and 'neighbour' are shown as evidence.
   */
  role: string;
}

export interface AuditFinding {
  id: number;
  type: AuditFindingType;
  detail: string;
  severity: AuditSeverity;
  /** 0–1: how sure or how bad; findings of a type are listed by it, highest first. */
  score: number;
  /** One sentence a person reads first. */
  title: string;
  action: AuditActionKind;
  /** For 'relabel': the suggested label. */
  suggestedLabel: string | null;
  members: AuditFindingMember[];
  /** Type-specific: similarities, class histogram, nearest neighbours, probabilities. */
  evidence: Record<string, unknown>;
}

export interface AuditSummary {
  auditId: number;
  datasetId: number;
  versionId: number;
  status: AuditRunStatus;
  /** Why it failed or was cancelled, in a sentence. */
  message: string | null;
  startedAt: string;
  finishedAt: string | null;
  itemCount: number;
  /** Items whose features were computed by this run (the rest came from the cache). */
  computedCount: number;
  /** 0–100, null until completed: 100 minus a penalty per affected share of the data. */
  score: number | null;
  /** Findings per type. */
  counts: Partial<Record<AuditFindingType, number>>;
  /** Distinct items that some finding (other than class-level ones) names. */
  affectedItems: number;
  durationMs: number | null;
}

export interface AuditReport {
  summary: AuditSummary;
  findings: AuditFinding[];
}

/**
 * How a 'rebalance' fix evens the classes out. 'oversample' (the default, images only) makes
 * training batches draw every class equally often, with augmentation on so that the repeats of a
 * small class differ; 'undersample' excludes a seeded random subset of every class larger than
 * `targetPerClass` (default: the smallest class, but at least 20) down to it.
 */
export interface RebalanceChoice {
  method: 'oversample' | 'undersample';
  targetPerClass?: number;
}

/** What an audit fix made: one new version, and which findings it fixed. */
export interface AuditFixResult {
  auditId: number;
  version: VersionSummary;
  fixedFindingIds: number[];
  /** The new version's note, e.g. "Audit fix: 2 duplicates excluded, 1 relabeled 7→1". */
  note: string;
}

/** An audited version's quality, for comparing the versions of a dataset. */
export interface VersionQuality {
  versionId: number;
  versionNumber: number;
  /** What made the version, e.g. "Audit fix: 2 duplicates excluded". */
  note: string;
  /** The version's newest completed audit. */
  summary: AuditSummary;
}

export interface AuditExport {
  fileName: string;
  mimeType: string;
  text: string;
}

// ---------- calls ----------

export interface StudioCalls {
  'app:info': (args: Record<string, never>) => AppInfo;

  'datasets:list': (args: Record<string, never>) => DatasetSummary[];
  'datasets:get': (args: { datasetId: number }) => DatasetDetail;
  'datasets:items': (args: {
    datasetId: number;
    offset: number;
    limit: number;
    label?: string | null;
  }) => ItemPage;
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
  /** Imports a folder that the core can read (desktop drop, folder picker, CLI). */
  /** `importId` (a UUID of the caller's choosing) tags this import's progress events. */
  'datasets:importFolder': (
    args: {
      path: string;
      name?: string;
      importId?: string;
    } & ImportSettings,
  ) => ImportReport;
  /** Stops a running import; it rolls back and its call fails with code 'cancelled'. */
  'datasets:cancelImport': (args: { importId: string }) => { cancelled: boolean };
  /** Browser drop: files are uploaded into a staging folder, then imported like a folder. */
  'datasets:beginUpload': (args: { name: string }) => { uploadId: string };
  'datasets:finishUpload': (args: { uploadId: string } & ImportSettings) => ImportReport;

  'models:presets': (args: Record<string, never>) => ModelPreset[];

  'runs:start': (args: {
    datasetId: number;
    presetId: string;
    versionId?: number;
    steps?: number;
  }) => RunSummary;
  'runs:stop': (args: { runId: number }) => RunSummary;
  /** Continues a stopped or interrupted run from its newest checkpoint (optionally for longer). */
  'runs:resume': (args: { runId: number; steps?: number }) => RunSummary;
  /** Parameters, memory and measured time per step of a preset on this dataset, before training. */
  'runs:estimate': (args: { datasetId: number; presetId: string }) => RunEstimate;
  'runs:list': (args: { datasetId?: number }) => RunSummary[];
  'runs:get': (args: { runId: number }) => RunDetail;

  'samples:list': (args: { runId?: number }) => SampleView[];
  /**
   * Draws new samples from a run's newest checkpoint and keeps them in the gallery: an image grid
   * (class-conditional models cycle through the classes), a latent interpolation (VAEs), or text
   * continuing a prompt with temperature, top-k and top-p.
   */
  'samples:generate': (args: GenerateSamplesArgs) => SampleView[];
  /** Writes the chosen samples as PNG files into a folder and into one ZIP beside it. */
  'samples:export': (args: { sampleIds: number[]; folder?: string }) => ExportResult;

  'ml:backend': (args: Record<string, never>) => BackendReport;
  'ml:devices': (args: Record<string, never>) => DeviceReport;

  'settings:get': (args: Record<string, never>) => StudioSettings;
  /** Saving a backend restarts the ML worker on it (refused while a run is training). */
  'settings:set': (args: Partial<StudioSettings>) => StudioSettings;

  /** Starts auditing a version (default: the newest) in the background; progress is pushed. */
  'audit:start': (args: { datasetId: number; versionId?: number }) => AuditSummary;
  'audit:cancel': (args: { auditId: number }) => AuditSummary;
  'audit:get': (args: { auditId: number }) => AuditReport;
  /** The newest audit of a dataset (of one version when given), or null when there is none. */
  'audit:latest': (args: { datasetId: number; versionId?: number }) => AuditReport | null;
  /** Every audited version of a dataset, oldest first, with its newest completed audit. */
  'audit:history': (args: { datasetId: number }) => VersionQuality[];
  /** The quality summary and every finding as a JSON or CSV document. */
  'audit:export': (args: { auditId: number; format: 'json' | 'csv' }) => AuditExport;
  /**
   * Applies the one-click fixes of findings as ONE new version, made on the audited version: if
   * the dataset has a newer one, 'conflict' (audit again). 'review' findings are refused.
   * `rebalance` says how 'rebalance' findings are fixed (default: oversample); `keep` chooses
   * which member of a duplicate group stays (finding id → item id; default: the suggested one).
   */
  'audit:applyFix': (args: {
    auditId: number;
    findingIds: number[];
    rebalance?: RebalanceChoice;
    keep?: Record<number, number>;
  }) => AuditFixResult;
  /** Every fixable finding of a type (with a score of at least `minScore`) as one version. */
  'audit:applyAll': (args: {
    auditId: number;
    type: AuditFindingType;
    minScore?: number;
    rebalance?: RebalanceChoice;
  }) => AuditFixResult;
}

export type CallName = keyof StudioCalls;
export type CallArgs<K extends CallName> = Parameters<StudioCalls[K]>[0];
export type CallResult<K extends CallName> = ReturnType<StudioCalls[K]>;

/** The runtime list of calls, so bridges can be built without a generic invoke. */
export const CALL_NAMES = [
  'app:info',
  'datasets:list',
  'datasets:get',
  'datasets:items',
  'datasets:browse',
  'datasets:itemText',
  'datasets:versions',
  'datasets:getVersion',
  'datasets:editItems',
  'datasets:setPreprocessing',
  'datasets:undo',
  'datasets:restoreVersion',
  'datasets:compareVersions',
  'datasets:previewPreprocessing',
  'datasets:textStats',
  'datasets:importFolder',
  'datasets:cancelImport',
  'datasets:beginUpload',
  'datasets:finishUpload',
  'models:presets',
  'runs:start',
  'runs:stop',
  'runs:resume',
  'runs:estimate',
  'runs:list',
  'runs:get',
  'samples:list',
  'samples:generate',
  'samples:export',
  'ml:backend',
  'ml:devices',
  'settings:get',
  'settings:set',
  'audit:start',
  'audit:cancel',
  'audit:get',
  'audit:latest',
  'audit:history',
  'audit:export',
  'audit:applyFix',
  'audit:applyAll',
] as const satisfies readonly CallName[];

// Compile-time check that CALL_NAMES lists every call.
type MissingCalls = Exclude<CallName, (typeof CALL_NAMES)[number]>;
export const ALL_CALLS_LISTED: MissingCalls extends never ? true : MissingCalls = true;

// ---------- events ----------

export interface ImportProgress {
  /** The `importId` given to `datasets:importFolder`, or the upload id for an upload. */
  importId: string;
  /** 'counting' lists the folder (total still growing); 'finishing' writes the dataset. */
  phase: 'counting' | 'importing' | 'finishing';
  done: number;
  total: number;
  currentPath: string;
  /** Files skipped so far. */
  skipped: number;
  filesPerSecond: number;
  /** Null until the rate is known. */
  etaSeconds: number | null;
}

export interface RunProgress {
  runId: number;
  step: number;
  totalSteps: number;
  stepsPerSecond: number;
  etaSeconds: number | null;
  metrics: Record<string, number>;
}

export interface AuditProgress {
  auditId: number;
  datasetId: number;
  versionId: number;
  status: AuditRunStatus;
  /** What the audit is doing now: 'features', 'duplicates', 'labels', ... */
  phase: string;
  done: number;
  total: number;
}

export interface StudioEvents {
  'datasets:importProgress': ImportProgress;
  'datasets:changed': { datasetId: number };
  'runs:progress': RunProgress;
  'runs:status': RunSummary;
  'samples:added': { runId: number; step: number; sampleIds: number[] };
  'audit:progress': AuditProgress;
}

export type EventName = keyof StudioEvents;

export const EVENT_NAMES = [
  'datasets:importProgress',
  'datasets:changed',
  'runs:progress',
  'runs:status',
  'samples:added',
  'audit:progress',
] as const satisfies readonly EventName[];

type MissingEvents = Exclude<EventName, (typeof EVENT_NAMES)[number]>;
export const ALL_EVENTS_LISTED: MissingEvents extends never ? true : MissingEvents = true;

// ---------- the object the renderer sees ----------

type DomainOf<K> = K extends `${infer D}:${string}` ? D : never;
type VerbOf<K, D extends string> = K extends `${D}:${infer V}` ? V : never;
export type Domain = DomainOf<CallName>;

type CallFunction<K> = K extends CallName
  ? (args: CallArgs<K>) => Promise<Outcome<CallResult<K>>>
  : never;

/** `studio.datasets.get({ datasetId })` for the call `datasets:get`. */
export type StudioCallApi = {
  [D in Domain]: {
    [V in VerbOf<CallName, D>]: CallFunction<`${D}:${V}`>;
  };
};

export type MediaKind = 'thumb' | 'blob' | 'sample';

/** What differs between the desktop and the browser shell. */
export interface StudioShell {
  kind: 'electron' | 'browser';
  /** A URL the renderer can put in <img src>. */
  mediaUrl(kind: MediaKind, id: string | number): string;
  /** Desktop only: the file-system path of a dropped File, or null. */
  pathForFile(file: File): string | null;
  /** Browser only: uploads one file into a staging folder begun with `datasets:beginUpload`. */
  uploadFile(uploadId: string, relativePath: string, file: Blob): Promise<Outcome<null>>;
  /** Where a person can download an export's ZIP, or null where it is a local file. */
  exportDownloadUrl(zipId: string): string | null;
}

export interface StudioApi extends StudioCallApi {
  on<E extends EventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void;
  shell: StudioShell;
}

/** Splits `domain:verb` for building the nested call object. */
export function splitCallName(name: CallName): [Domain, string] {
  const at = name.indexOf(':');
  return [name.slice(0, at) as Domain, name.slice(at + 1)];
}

export const ELECTRON_CALL_CHANNEL_PREFIX = 'studio:call:';
export const ELECTRON_EVENT_CHANNEL = 'studio:event';
