/**
 * What a file's first bytes say it is, for the reason shown when sharp cannot read it: "not an
 * image" is wrong for a truncated PNG (it is a damaged image) and unhelpful for a BMP (it is an
 * image this build does not read) or a PDF (it is a document).
 */
export type Sniffed =
  | { kind: 'readable-image'; format: string }
  | { kind: 'unsupported-image'; format: string }
  | { kind: 'heic' }
  | { kind: 'other-file'; what: string }
  | { kind: 'unknown' };

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .subarray(from, to)
    .toString('latin1');
}

/** ISO base media files (AVIF, HEIC, MP4, MOV) start with a `ftyp` box naming their brand. */
function isoBrand(bytes: Uint8Array): string | null {
  return ascii(bytes, 4, 8) === 'ftyp' ? ascii(bytes, 8, 12) : null;
}

const SIGNATURES: [readonly number[], Sniffed][] = [
  [[0x89, 0x50, 0x4e, 0x47], { kind: 'readable-image', format: 'png' }],
  [[0xff, 0xd8, 0xff], { kind: 'readable-image', format: 'jpeg' }],
  [[0x47, 0x49, 0x46, 0x38], { kind: 'readable-image', format: 'gif' }],
  [[0x49, 0x49, 0x2a, 0x00], { kind: 'readable-image', format: 'tiff' }],
  [[0x4d, 0x4d, 0x00, 0x2a], { kind: 'readable-image', format: 'tiff' }],
  [[0x00, 0x00, 0x01, 0x00], { kind: 'unsupported-image', format: 'ICO' }],
  [[0x38, 0x42, 0x50, 0x53], { kind: 'unsupported-image', format: 'PSD' }],
  [[0xff, 0x0a], { kind: 'unsupported-image', format: 'JPEG XL' }],
  [[0x25, 0x50, 0x44, 0x46], { kind: 'other-file', what: 'a PDF document' }],
  [[0x50, 0x4b, 0x03, 0x04], { kind: 'other-file', what: 'a ZIP archive; unpack it first' }],
  [[0x1f, 0x8b], { kind: 'other-file', what: 'a gzip archive; unpack it first' }],
  [[0x7f, 0x45, 0x4c, 0x46], { kind: 'other-file', what: 'a Linux program' }],
  [[0x4d, 0x5a], { kind: 'other-file', what: 'a Windows program' }],
  [[0x49, 0x44, 0x33], { kind: 'other-file', what: 'an MP3 audio file' }],
];

/** `BM` and a DIB header of one of the sizes Windows and OS/2 write. */
function isBmp(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, [0x42, 0x4d]) || bytes.length < 18) return false;
  const dibSize = (bytes[14] as number) | ((bytes[15] as number) << 8);
  return [12, 16, 40, 52, 56, 64, 108, 124].includes(dibSize) && bytes[16] === 0 && bytes[17] === 0;
}

export function sniffFormat(bytes: Uint8Array): Sniffed {
  // First: a box size of 256 would otherwise read as the ICO signature.
  const brand = isoBrand(bytes);
  if (brand !== null) {
    if (brand === 'avif' || brand === 'avis') return { kind: 'readable-image', format: 'avif' };
    if (/^(heic|heix|hevc|heim|heis|mif1|msf1)$/.test(brand)) return { kind: 'heic' };
    if (brand === 'jxl ') return { kind: 'unsupported-image', format: 'JPEG XL' };
    return { kind: 'other-file', what: 'a video (MP4 or MOV)' };
  }
  if (isBmp(bytes)) return { kind: 'unsupported-image', format: 'BMP' };
  for (const [signature, sniffed] of SIGNATURES) if (startsWith(bytes, signature)) return sniffed;
  if (ascii(bytes, 0, 4) === 'RIFF') {
    const form = ascii(bytes, 8, 12);
    if (form === 'WEBP') return { kind: 'readable-image', format: 'webp' };
    if (form === 'WAVE') return { kind: 'other-file', what: 'a WAV audio file' };
    if (form === 'AVI ') return { kind: 'other-file', what: 'an AVI video' };
  }
  const head = ascii(bytes, 0, 1024).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')))
    return { kind: 'readable-image', format: 'svg' };
  return { kind: 'unknown' };
}
