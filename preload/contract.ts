// The one contract between the renderer and the studio's core.
//
// Every call is `domain:verb`, takes one argument object and resolves to an Outcome (errors are
// data, never thrown across the boundary). Every pushed event is `domain:event` with one payload.
// The Electron IPC handlers, the preload bridge, the HTTP/WebSocket server and its browser client
// are all typed against this file. It has no runtime imports on purpose: the renderer, preload and
// main all include it.

// ---------- errors and outcomes ----------

export type ErrorCode =
  'invalid-input' | 'not-found' | 'conflict' | 'unsupported' | 'io' | 'ml' | 'internal';

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

export interface ImportReport {
  dataset: DatasetDetail;
  importedCount: number;
  skipped: SkippedFile[];
}

export type ModelFamily = 'dense-vae';

export interface ModelPreset {
  id: string;
  family: ModelFamily;
  label: string;
  description: string;
  steps: number;
  batchSize: number;
  imageSize: number;
  sampleEvery: number;
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
  step: number;
  index: number;
  width: number;
  height: number;
  createdAt: string;
}

export interface ExportResult {
  folder: string;
  files: string[];
  zipPath: string;
  /** For the browser shell: where the ZIP can be downloaded. */
  zipId: string;
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
  /** Imports a folder that the core can read (desktop drop, folder picker, CLI). */
  /** `importId` (a UUID of the caller's choosing) tags this import's progress events. */
  'datasets:importFolder': (args: {
    path: string;
    name?: string;
    importId?: string;
  }) => ImportReport;
  /** Browser drop: files are uploaded into a staging folder, then imported like a folder. */
  'datasets:beginUpload': (args: { name: string }) => { uploadId: string };
  'datasets:finishUpload': (args: { uploadId: string }) => ImportReport;

  'models:presets': (args: Record<string, never>) => ModelPreset[];

  'runs:start': (args: {
    datasetId: number;
    presetId: string;
    versionId?: number;
    steps?: number;
  }) => RunSummary;
  'runs:stop': (args: { runId: number }) => RunSummary;
  'runs:list': (args: { datasetId?: number }) => RunSummary[];
  'runs:get': (args: { runId: number }) => RunDetail;

  'samples:list': (args: { runId?: number }) => SampleView[];
  /** Writes the chosen samples as PNG files into a folder and into one ZIP beside it. */
  'samples:export': (args: { sampleIds: number[]; folder?: string }) => ExportResult;

  'ml:backend': (args: Record<string, never>) => BackendReport;
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
  'datasets:importFolder',
  'datasets:beginUpload',
  'datasets:finishUpload',
  'models:presets',
  'runs:start',
  'runs:stop',
  'runs:list',
  'runs:get',
  'samples:list',
  'samples:export',
  'ml:backend',
] as const satisfies readonly CallName[];

// Compile-time check that CALL_NAMES lists every call.
type MissingCalls = Exclude<CallName, (typeof CALL_NAMES)[number]>;
export const ALL_CALLS_LISTED: MissingCalls extends never ? true : MissingCalls = true;

// ---------- events ----------

export interface ImportProgress {
  /** The `importId` given to `datasets:importFolder`, or the upload id for an upload. */
  importId: string;
  done: number;
  total: number;
  currentPath: string;
}

export interface RunProgress {
  runId: number;
  step: number;
  totalSteps: number;
  stepsPerSecond: number;
  etaSeconds: number | null;
  metrics: Record<string, number>;
}

export interface StudioEvents {
  'datasets:importProgress': ImportProgress;
  'datasets:changed': { datasetId: number };
  'runs:progress': RunProgress;
  'runs:status': RunSummary;
  'samples:added': { runId: number; step: number; sampleIds: number[] };
}

export type EventName = keyof StudioEvents;

export const EVENT_NAMES = [
  'datasets:importProgress',
  'datasets:changed',
  'runs:progress',
  'runs:status',
  'samples:added',
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
