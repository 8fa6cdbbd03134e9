// The contract of the shells: what differs between the desktop app and the browser page.
import type { Outcome } from './outcome';

export type MediaKind = 'thumb' | 'blob' | 'sample';

/** One file of a browser upload, at its path inside the dropped folder. */
export interface UploadFileArgs {
  /** From `datasets:beginUpload`. */
  uploadId: string;
  /** Where the file sits in the dropped folder, e.g. 'cats/a.png' (its class is 'cats'). */
  relativePath: string;
  file: Blob;
}

/** What differs between the desktop and the browser shell. */
export interface StudioShell {
  kind: 'electron' | 'browser';
  /** A URL the renderer can put in <img src>. */
  mediaUrl(kind: MediaKind, id: string | number): string;
  /** Desktop only: the file-system path of a dropped File, or null. */
  pathForFile(file: File): string | null;
  /** Browser only: uploads one file into a staging folder begun with `datasets:beginUpload`. */
  uploadFile(args: UploadFileArgs): Promise<Outcome<null>>;
  /** Where a person can download an export's ZIP, or null where it is a local file. */
  exportDownloadUrl(zipId: string): string | null;
}
