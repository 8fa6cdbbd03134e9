import path from 'node:path';

/** File extensions (lower case, no dot) and the image format their bytes should hold. */
const IMAGE_EXTENSIONS: Record<string, string> = {
  png: 'png',
  apng: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  webp: 'webp',
  gif: 'gif',
  tif: 'tiff',
  tiff: 'tiff',
  avif: 'avif',
  heic: 'heif',
  heif: 'heif',
  svg: 'svg',
};

/** Text files and the reader for each: .md is plain text to a character model. */
const TEXT_EXTENSIONS: Record<string, TextFormat> = {
  txt: 'txt',
  text: 'txt',
  md: 'md',
  markdown: 'md',
  csv: 'csv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
};

export type TextFormat = 'txt' | 'md' | 'csv' | 'jsonl';

export type FileKind =
  | { kind: 'image'; ext: string; expectedFormat: string }
  | { kind: 'text'; ext: string; format: TextFormat }
  | { kind: 'other'; ext: string };

/** What a file claims to be by its name; images are checked against their bytes later. */
export function fileKindOf(fileName: string): FileKind {
  const ext = path.extname(fileName).slice(1).toLowerCase();
  const image = IMAGE_EXTENSIONS[ext];
  if (image) return { kind: 'image', ext, expectedFormat: image };
  const text = TEXT_EXTENSIONS[ext];
  if (text) return { kind: 'text', ext, format: text };
  return { kind: 'other', ext };
}

/**
 * The remark for an image whose bytes are not what its name says (a PNG saved as .jpg is common
 * in downloads): it is imported as what it really is. Null when the name fits or has no extension.
 */
export function formatMismatchNote(kind: FileKind, actualFormat: string): string | null {
  if (kind.ext === '') return null;
  if (kind.kind === 'image' && kind.expectedFormat === actualFormat) return null;
  return `a ${actualFormat.toUpperCase()} image named .${kind.ext}; imported as ${actualFormat.toUpperCase()}`;
}
