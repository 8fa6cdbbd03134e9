import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeText } from '../text/decodeText';
import { parseCsv } from '../text/csv';

export class LabelsFileError extends Error {}

/** Where a labels file is: absolute as given, else inside the imported folder. */
export function resolveLabelsFile(root: string, labelsFile: string): string {
  return path.isAbsolute(labelsFile) ? labelsFile : path.resolve(root, labelsFile);
}

/**
 * Reads a `path,label` CSV into a map from the relative path (forward slashes, Unicode NFC, no
 * leading `./`) to the label; an empty label means unlabeled. A header row `path,label` is
 * recognised and skipped. Mistakes name the row, so the file can be fixed, but never quote it.
 */
export async function readLabelsFile(file: string): Promise<Map<string, string | null>> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new LabelsFileError(
      `The labels file ${file} cannot be read (${(err as Error).message}).`,
    );
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok)
    throw new LabelsFileError(`The labels file ${file} is not text: ${decoded.reason}.`);
  const labels = new Map<string, string | null>();
  let first = true;
  for (const record of parseCsv(decoded.text)) {
    const [rawPath = '', rawLabel = ''] = record.fields.map((f) => f.trim());
    const isHeader = first && rawPath.toLowerCase() === 'path';
    first = false;
    if (isHeader) continue;
    if (record.fields.length < 2) {
      throw new LabelsFileError(
        // Never the line itself: the file could be any file the caller names (a key, a password
        // file), and the message travels back to whoever asked.
        `The labels file ${file}, line ${record.line}: expected "path,label" (two comma-separated fields), found ${record.fields.length === 1 ? 'one field' : `${record.fields.length} fields`}.`,
      );
    }
    labels.set(normalizeRelativePath(rawPath), rawLabel === '' ? null : rawLabel.normalize('NFC'));
  }
  return labels;
}

/** One spelling for a relative path, whichever OS or editor wrote it. */
export function normalizeRelativePath(relativePath: string): string {
  return relativePath
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .normalize('NFC');
}
