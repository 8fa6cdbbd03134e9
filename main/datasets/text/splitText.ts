import type { TextUnit } from '../../../preload/contract';

/** One item's worth of text and where it starts in its file (`#L12`), or null for a whole file. */
export interface TextPiece {
  text: string;
  locator: string | null;
}

/**
 * Cuts decoded text (line endings already `\n`) into items: the whole file, each line, or each
 * paragraph (lines separated by blank lines). Blank pieces are never items.
 */
export function* splitText(text: string, unit: TextUnit): Generator<TextPiece> {
  if (unit === 'file') {
    if (text.trim() !== '') yield { text, locator: null };
    return;
  }
  let lineNumber = 0;
  let paragraph: string[] = [];
  let paragraphStart = 0;
  for (const line of lines(text)) {
    lineNumber++;
    const content = line.trimEnd();
    if (unit === 'line') {
      if (content.trim() !== '') yield { text: content, locator: `#L${lineNumber}` };
      continue;
    }
    if (content.trim() === '') {
      if (paragraph.length > 0)
        yield { text: paragraph.join('\n'), locator: `#L${paragraphStart}` };
      paragraph = [];
    } else {
      if (paragraph.length === 0) paragraphStart = lineNumber;
      paragraph.push(content);
    }
  }
  if (paragraph.length > 0) yield { text: paragraph.join('\n'), locator: `#L${paragraphStart}` };
}

/** The lines of a text without copying it whole again; a final newline ends the last line. */
export function* lines(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    if (end < 0) {
      yield text.slice(start);
      return;
    }
    yield text.slice(start, end);
    start = end + 1;
  }
}

/** Code points, as a person (and a character model) counts characters. */
export function countCodePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // The second half of a surrogate pair is not a character of its own.
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}
