// The contract of datasets: what an import makes, and importing folders and browser uploads.

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
  /** The first skipped files (at most 1000, in import order); `skippedTotal` counts them all. */
  skipped: SkippedFile[];
  skippedTotal: number;
  /** Files the import used but flagged (a PNG named .jpg, Latin-1 text), with the remark. */
  notes: SkippedFile[];
  notesTotal: number;
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

export interface DatasetCalls {
  'datasets:list': (args: Record<string, never>) => DatasetSummary[];
  'datasets:get': (args: { datasetId: number }) => DatasetDetail;
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
}

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

export interface DatasetEvents {
  'datasets:importProgress': ImportProgress;
  'datasets:changed': { datasetId: number };
}
