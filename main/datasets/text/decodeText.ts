export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin-1';

export type DecodeOutcome =
  | {
      ok: true;
      /** Without a byte-order mark, line endings made `\n`. */
      text: string;
      encoding: TextEncoding;
      /** Bytes that could not be decoded and became U+FFFD. */
      replaced: number;
      /** What a person should know about how the bytes were read, or null when plain UTF-8. */
      note: string | null;
    }
  | { ok: false; reason: string };

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');
const utf16Lenient = new TextDecoder('utf-16le');
const utf16Fatal = new TextDecoder('utf-16le', { fatal: true });
// "Latin-1" files found on disks are really Windows-1252: ISO-8859-1 plus the curly quotes and
// dashes Windows editors write in 0x80–0x9f. Node's own decoder maps those to C1 controls.
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeLatin1(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

/** How much of the start is looked at to tell text from binary and UTF-16 without a BOM. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Reads text files as they come off real disks: UTF-8 (with or without BOM), UTF-16 with a BOM
 * (or plainly UTF-16 by its zero bytes), and Latin-1 when the bytes are not UTF-8 at all. A file
 * that is mostly UTF-8 with a few broken bytes stays UTF-8 and the broken bytes are counted.
 */
export function decodeText(bytes: Uint8Array): DecodeOutcome {
  if (bytes.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return fromUtf8(bytes.subarray(3), 'with a byte-order mark');
  }
  if (isUtf32Bom(bytes)) {
    return { ok: false, reason: 'UTF-32 text, which the studio does not read; save it as UTF-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return fromUtf16(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return fromUtf16(bytes.subarray(2), 'utf-16be');

  const zeros = zeroBytes(bytes.subarray(0, SNIFF_BYTES));
  if (zeros.even + zeros.odd > 0) {
    // ASCII in UTF-16 is a zero byte beside each letter: zeros at odd offsets mean little-endian.
    const half = Math.min(bytes.length, SNIFF_BYTES) / 2;
    if (zeros.odd > half * 0.3 && zeros.even < half * 0.02) return fromUtf16(bytes, 'utf-16le');
    if (zeros.even > half * 0.3 && zeros.odd < half * 0.02) return fromUtf16(bytes, 'utf-16be');
    const byContent = utf16ByContent(bytes.subarray(0, SNIFF_BYTES), zeros, half);
    if (byContent) return fromUtf16(bytes, byContent);
    return { ok: false, reason: 'binary file, not text (it contains zero bytes)' };
  }
  return fromUtf8(bytes, null);
}

/**
 * UTF-16 without a BOM whose text is not mostly ASCII (Cyrillic, Greek, CJK): only its spaces,
 * newlines and ASCII punctuation are zero bytes, all on one side of each pair, so the 30% rule
 * above misses it. It is UTF-16 when it decodes cleanly that way round and nearly every code unit
 * is ASCII, general punctuation, or in the one alphabet most of the text is in; binary data with
 * zero bytes spreads its code units over the whole range instead.
 */
function utf16ByContent(
  sample: Uint8Array,
  zeros: { even: number; odd: number },
  half: number,
): 'utf-16le' | 'utf-16be' | null {
  const order =
    zeros.odd >= 2 && zeros.even < half * 0.02
      ? 'utf-16le'
      : zeros.even >= 2 && zeros.odd < half * 0.02
        ? 'utf-16be'
        : null;
  if (order === null) return null;
  const even = sample.subarray(0, sample.length - (sample.length % 2));
  let text: string;
  try {
    text = utf16Fatal.decode(order === 'utf-16le' ? even : swapBytePairs(even));
  } catch {
    return null;
  }
  const blocks = new Map<number, number>();
  let common = 0;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if ((u >= 0x20 && u < 0x7f) || u === 0x0a || u === 0x0d || u === 0x09) common++;
    else if ((u >= 0x2000 && u < 0x2070) || (u >= 0x3000 && u < 0x3040) || u >= 0xff00) common++;
    else {
      // One "alphabet": a 256-code-point block, with Chinese and Japanese (ideographs and kana)
      // one, and Hangul one.
      const cjk = (u >= 0x4e00 && u < 0xa000) || (u >= 0x3040 && u < 0x3100);
      const block = cjk ? 0x4e : u >= 0xac00 && u < 0xd800 ? 0xac : u >> 8;
      blocks.set(block, (blocks.get(block) ?? 0) + 1);
    }
  }
  const alphabet = Math.max(0, ...blocks.values());
  return text.length > 0 && (common + alphabet) / text.length >= 0.95 && !looksBinary(text)
    ? order
    : null;
}

/** FF FE 00 00 or 00 00 FE FF: UTF-32 (whose little-endian BOM starts like UTF-16's). */
function isUtf32Bom(bytes: Uint8Array): boolean {
  const b = Array.from(bytes.subarray(0, 4)).join(',');
  return b === '255,254,0,0' || b === '0,0,254,255';
}

function fromUtf8(bytes: Uint8Array, bom: string | null): DecodeOutcome {
  try {
    return finish(utf8Fatal.decode(bytes), 'utf-8', 0, bom ? `UTF-8 ${bom}` : null);
  } catch {
    // Not valid UTF-8: either another 8-bit encoding or UTF-8 with damage. Real multi-byte
    // sequences in between the bad bytes say it is damaged UTF-8.
    const scan = scanUtf8(bytes);
    if (scan.multiByte === 0) {
      return finish(decodeLatin1(bytes), 'latin-1', 0, 'decoded as Latin-1 (not valid UTF-8)');
    }
    return finish(
      utf8Lenient.decode(bytes),
      'utf-8',
      scan.invalid,
      `${scan.invalid} undecodable byte${scan.invalid === 1 ? '' : 's'} replaced with U+FFFD`,
    );
  }
}

function fromUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodeOutcome {
  const le = encoding === 'utf-16le' ? bytes : swapBytePairs(bytes);
  const label = encoding === 'utf-16le' ? 'UTF-16 (little-endian)' : 'UTF-16 (big-endian)';
  try {
    return finish(utf16Fatal.decode(le), encoding, 0, `decoded as ${label}`);
  } catch {
    const text = utf16Lenient.decode(le);
    const replaced = countReplacements(text) - countReplacements(safeUtf16(le));
    return finish(
      text,
      encoding,
      replaced,
      `decoded as ${label}; ${replaced} undecodable code unit${replaced === 1 ? '' : 's'} replaced with U+FFFD`,
    );
  }
}

function finish(
  raw: string,
  encoding: TextEncoding,
  replaced: number,
  note: string | null,
): DecodeOutcome {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (looksBinary(text)) {
    return { ok: false, reason: 'binary file, not text (it is mostly control characters)' };
  }
  return { ok: true, text, encoding, replaced, note };
}

/** Text has few control characters besides tab, newline and form feed; binary has many. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x1b) || c === 0x7f)
      controls++;
  }
  return controls > sample.length * 0.05;
}

function zeroBytes(bytes: Uint8Array): { even: number; odd: number } {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) even++;
      else odd++;
    }
  }
  return { even, odd };
}

/** Lead bytes whose second byte has a narrower range than 80..BF (RFC 3629, section 4). */
const SECOND_BYTE: Record<number, [number, number]> = {
  0xe0: [0xa0, 0xbf],
  0xed: [0x80, 0x9f],
  0xf0: [0x90, 0xbf],
  0xf4: [0x80, 0x8f],
};

/** Counts well-formed multi-byte UTF-8 sequences and the bytes that belong to none. */
export function scanUtf8(bytes: Uint8Array): { multiByte: number; invalid: number } {
  let multiByte = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : 0;
    const sequence = length === 0 && b >= 0xf0 && b <= 0xf4 ? 4 : length;
    if (sequence === 1) {
      i++;
      continue;
    }
    let ok = sequence > 1 && i + sequence <= bytes.length;
    // The second byte's range also rules out overlong forms and UTF-16 surrogates (ED A0..BF),
    // which the fatal decoder rejects: counted as valid, they made "0 bytes replaced" notes.
    const [low, high] = SECOND_BYTE[b] ?? [0x80, 0xbf];
    ok &&= (bytes[i + 1] as number) >= low && (bytes[i + 1] as number) <= high;
    for (let k = 2; ok && k < sequence; k++) ok = ((bytes[i + k] as number) & 0xc0) === 0x80;
    if (ok) {
      multiByte++;
      i += sequence;
    } else {
      invalid++;
      i++;
    }
  }
  return { multiByte, invalid };
}

function swapBytePairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1] as number;
    out[i + 1] = bytes[i] as number;
  }
  if (bytes.length % 2 === 1) out[bytes.length - 1] = bytes[bytes.length - 1] as number;
  return out;
}

/** The same code units with only the U+FFFD that were really in the text, for counting. */
function safeUtf16(le: Uint8Array): string {
  let real = '';
  for (let i = 0; i + 1 < le.length; i += 2) {
    const unit = (le[i] as number) | ((le[i + 1] as number) << 8);
    if (unit === 0xfffd) real += '\uFFFD';
  }
  return real;
}

function countReplacements(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) n++;
  return n;
}
