/**
 * Text from disk (file and folder names, labels) as it may be written to a terminal: control
 * characters become visible escapes (ESC starts sequences that move the cursor, retitle the
 * window or clear the screen; a newline in a name would forge a report line) and so do the
 * bidirectional overrides that make `gnp.exe` read as `exe.png`. Apply per line of output.
 */
export function printable(line: string): string {
  return line.replace(UNPRINTABLE, (c) =>
    c === '\n' ? '\\n' : `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`,
  );
}

// C0 and C1 controls and DEL (Cc); LRM, RLM, ALM; the embeddings, overrides and isolates.
const UNPRINTABLE = /[\p{Cc}\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/gu;
