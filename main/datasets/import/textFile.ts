import type { TextUnit } from '../../../preload/contract';
import { sha256, type BlobStore } from '../../store/blobStore';
import { chooseColumn, parseCsv } from '../text/csv';
import { decodeText } from '../text/decodeText';
import { jsonlText } from '../text/jsonl';
import { countCodePoints, lines, splitText, type TextPiece } from '../text/splitText';
import type { TextFormat } from './fileKinds';
import type { FileToImport, ImportSink } from './importSink';

export interface TextReadSettings {
  textUnit: TextUnit;
  csvColumn?: string;
  jsonlField: string;
}

/** Rows of one file reported one by one before the rest are summed up in a single line. */
const PROBLEMS_LISTED_PER_FILE = 20;

/**
 * Imports one text file as items: the decoded text cut per file, line or paragraph, or one item
 * per CSV row (the chosen column) or JSONL line (the chosen field). Each item's blob is its text
 * in UTF-8, so the same sentence in two files is stored once. Bad rows are reported by line.
 */
export async function importTextFile(
  blobs: BlobStore,
  file: FileToImport,
  format: TextFormat,
  settings: TextReadSettings,
  sink: ImportSink,
): Promise<void> {
  const decoded = decodeText(file.bytes);
  if (!decoded.ok) {
    sink.skip(file.shownPath, decoded.reason);
    return;
  }
  const problems: { locator: string; reason: string }[] = [];
  let problemCount = 0;
  const problem = (locator: string, reason: string): void => {
    problemCount++;
    if (problems.length < PROBLEMS_LISTED_PER_FILE) problems.push({ locator, reason });
  };

  let pieces: Iterable<TextPiece>;
  if (format === 'csv') {
    const rows = csvPieces(decoded.text, settings.csvColumn, problem);
    if (!rows.ok) {
      sink.skip(file.shownPath, rows.reason);
      return;
    }
    pieces = rows.pieces;
  } else if (format === 'jsonl') {
    pieces = jsonlPieces(decoded.text, settings.jsonlField, problem);
  } else {
    pieces = splitText(decoded.text, settings.textUnit);
  }

  let count = 0;
  for (const piece of pieces) {
    const bytes = Buffer.from(piece.text, 'utf8');
    const sha = sha256(bytes);
    await blobs.putWithSha(sha, bytes);
    sink.item({
      blobSha: sha,
      kind: 'text',
      label: file.label,
      sourcePath: `${file.shownPath}${piece.locator ?? ''}`,
      format,
      // Text items: width is the length in characters, height the number of lines.
      width: countCodePoints(piece.text),
      height: piece.text.split('\n').length,
      channels: 0,
      byteSize: bytes.length,
    });
    count++;
  }
  for (const p of problems) sink.skip(`${file.shownPath}${p.locator}`, p.reason);
  if (problemCount > problems.length) {
    sink.skip(file.shownPath, `${problemCount - problems.length} more rows skipped as above`);
  }
  if (count === 0) {
    if (problemCount === 0) sink.skip(file.shownPath, 'no text in it (only blank lines)');
    return;
  }
  if (decoded.note) sink.note(file.shownPath, decoded.note);
}

function csvPieces(
  text: string,
  wanted: string | undefined,
  problem: (locator: string, reason: string) => void,
): { ok: true; pieces: Iterable<TextPiece> } | { ok: false; reason: string } {
  const records = parseCsv(text);
  const header = records.next();
  if (header.done) return { ok: false, reason: 'no text in it (an empty CSV file)' };
  const column = chooseColumn(header.value.fields, wanted);
  if (!column.ok) return { ok: false, reason: `CSV ${column.reason}` };
  const { index, name } = column;
  function* rows(): Generator<TextPiece> {
    for (const record of records) {
      const value = record.fields[index];
      if (value === undefined) {
        problem(`#L${record.line}`, `row has ${record.fields.length} fields, no "${name}"`);
      } else if (value.trim() !== '') {
        yield { text: value.replace(/\r\n?/g, '\n'), locator: `#L${record.line}` };
      }
    }
  }
  return { ok: true, pieces: rows() };
}

function* jsonlPieces(
  text: string,
  field: string,
  problem: (locator: string, reason: string) => void,
): Generator<TextPiece> {
  let lineNumber = 0;
  for (const line of lines(text)) {
    lineNumber++;
    if (line.trim() === '') continue;
    const value = jsonlText(line, field);
    if (!value.ok) problem(`#L${lineNumber}`, `line ${lineNumber} ${value.reason}`);
    else if (value.text.trim() !== '') yield { text: value.text, locator: `#L${lineNumber}` };
  }
}
