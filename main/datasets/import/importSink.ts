import type { NewItem } from '../datasetRepository';
import type { FileKind } from './fileKinds';

/** Where one file's import puts what it found; the folder import batches it into the database. */
export interface ImportSink {
  item(item: NewItem): void;
  skip(sourcePath: string, reason: string): void;
  /** The file (or part) is imported, with a remark a person should see. */
  note(sourcePath: string, reason: string): void;
}

/** One file being imported, as the per-kind importers see it. */
export interface FileToImport {
  /** The path shown in the report and stored with the item. */
  shownPath: string;
  label: string | null;
  kind: FileKind;
  bytes: Buffer;
}
