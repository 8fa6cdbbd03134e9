/** One CSV record and the line it starts on (1-based; quoted fields may span lines). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * The delimiter of a CSV file, guessed from its first line: spreadsheets in many locales write
 * `;`, and tab-separated files are often named .csv.
 */
export function sniffDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (const ch of first) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Parses RFC 4180 CSV (quoted fields with `""` escapes and line breaks) from text whose line
 * endings are already `\n`. Lenient like spreadsheets: a stray quote inside an unquoted field is
 * kept as a character. Blank lines are not records.
 */
export function* parseCsv(text: string, delimiter = sniffDelimiter(text)): Generator<CsvRecord> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n') {
      if (fields.length > 0 || fieldStarted || field !== '') {
        fields.push(field);
        yield { fields, line: recordLine };
      }
      fields = [];
      field = '';
      fieldStarted = false;
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (fields.length > 0 || fieldStarted || field !== '') {
    fields.push(field);
    yield { fields, line: recordLine };
  }
}

export type ColumnChoice =
  { ok: true; index: number; name: string } | { ok: false; reason: string };

/**
 * Which column holds the text: the one asked for (header name, else 1-based number), else the
 * only column, else one named "text".
 */
export function chooseColumn(header: readonly string[], wanted: string | undefined): ColumnChoice {
  const names = header.map((h) => h.trim());
  const listed = columnList(names);
  if (wanted !== undefined) {
    let index = names.indexOf(wanted);
    if (index < 0) index = names.findIndex((n) => n.toLowerCase() === wanted.toLowerCase());
    if (index < 0 && /^\d+$/.test(wanted) && Number(wanted) >= 1 && Number(wanted) <= names.length)
      index = Number(wanted) - 1;
    if (index < 0) return { ok: false, reason: `has no column "${wanted}" (columns: ${listed})` };
    return { ok: true, index, name: names[index] as string };
  }
  if (names.length === 1) return { ok: true, index: 0, name: names[0] as string };
  const text = names.findIndex((n) => n.toLowerCase() === 'text');
  if (text >= 0) return { ok: true, index: text, name: names[text] as string };
  return {
    ok: false,
    reason: `has ${names.length} columns (${listed}); choose the text column (CSV column setting)`,
  };
}

/** Column names short enough to be a header; a first row of data is not repeated in a message. */
function columnList(names: readonly string[]): string {
  const header = names.length <= 12 && names.every((n) => n.length <= 32 && !/[\p{Cc}]/u.test(n));
  return header
    ? names.map((n) => `"${n}"`).join(', ')
    : 'its first row does not look like a header';
}
