// Hostile image bytes for the import fuzz corpus: truncated, lying, bombed and malformed files of
// every format sharp reads, built from small valid images so each defect is the only one.
//
// Plain ESM JavaScript on purpose: `npm run fuzz:import` runs it with bare Node, and the vitest
// slice (main/datasets/import/hostileFiles.test.ts) imports the same code.

import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk with a correct CRC, so only what the case means to break is broken. */
function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG from an IHDR and raw scanlines, written by hand so its header can say anything. */
function handPng({ width, height, bitDepth = 8, colourType = 0, idat }) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colourType;
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Pixels that depend on the seed, so two cases never make the same file. */
function pixels(random, width, height, channels) {
  const out = Buffer.alloc(width * height * channels);
  const base = Math.floor(random() * 256);
  for (let i = 0; i < out.length; i++) out[i] = (base + i * 7 + Math.floor(random() * 32)) & 255;
  return out;
}

/** Small valid images of each format sharp writes here; the base of every mutation. */
export async function baseImages(random) {
  const raw = (w, h, c) =>
    sharp(pixels(random, w, h, c), { raw: { width: w, height: h, channels: c } });
  const svg = (extra = '') =>
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24">` +
        `<rect width="24" height="24" fill="#${Math.floor(random() * 0xffffff)
          .toString(16)
          .padStart(6, '0')}"/>${extra}</svg>`,
    );
  return {
    png: await raw(16, 16, 3).png().toBuffer(),
    jpeg: await raw(32, 32, 3).jpeg().toBuffer(),
    gif: await raw(16, 16, 3).gif().toBuffer(),
    webp: await raw(16, 16, 3).webp().toBuffer(),
    tiff: await raw(16, 16, 3).tiff().toBuffer(),
    avif: await raw(16, 16, 3).avif({ effort: 0 }).toBuffer(),
    svg: svg(),
    svgWith: svg,
  };
}

/** Ways a valid image's bytes go wrong on real disks, each a function of the bytes. */
export const MUTATIONS = {
  valid: (b) => b,
  truncated: (b, random) => b.subarray(0, 1 + Math.floor(random() * (b.length - 2))),
  headerOnly: (b) => b.subarray(0, Math.min(b.length - 1, 24)),
  flippedBytes: (b, random) => {
    const out = Buffer.from(b);
    const flips = 1 + Math.floor(random() * 8);
    for (let i = 0; i < flips; i++) {
      const at = Math.floor(out.length / 4 + random() * (out.length * 0.75 - 1));
      out[at] ^= 1 + Math.floor(random() * 255);
    }
    return out;
  },
  trailingGarbage: (b, random, canary) =>
    Buffer.concat([b, Buffer.from(`${canary} `.repeat(1 + Math.floor(random() * 20)))]),
  magicThenGarbage: (b, random) =>
    Buffer.concat([b.subarray(0, 12), Buffer.from(pixels(random, 64, 4, 1))]),
};

/** The same image with a header that declares 100000×100000 (or the format's most) pixels. */
export function declaredHuge(format, b) {
  const out = Buffer.from(b);
  if (format === 'png')
    return handPng({ width: 100_000, height: 100_000, idat: deflateSync(Buffer.alloc(64)) });
  if (format === 'gif') {
    out.writeUInt16LE(65535, 6);
    out.writeUInt16LE(65535, 8);
    return out;
  }
  if (format === 'webp') {
    // Simple lossy WebP: 'VP8 ' chunk at 12, frame tag 20-22, start code 23-25, then 14-bit sizes.
    out.writeUInt16LE(0x3fff, 26);
    out.writeUInt16LE(0x3fff, 28);
    return out;
  }
  if (format === 'jpeg') {
    for (let i = 2; i + 9 < out.length; i++) {
      if (out[i] === 0xff && out[i + 1] >= 0xc0 && out[i + 1] <= 0xc2) {
        out.writeUInt16BE(65500, i + 5);
        out.writeUInt16BE(65500, i + 7);
        return out;
      }
    }
    return out;
  }
  if (format === 'tiff')
    return patchTiff(out, (tag, entry) => {
      if (tag === 256 || tag === 257) {
        out.writeUInt16LE(4, entry + 2); // LONG
        out.writeUInt32LE(100_000, entry + 8);
      }
    });
  if (format === 'svg')
    return Buffer.from(
      b.toString('utf8').replace('width="24" height="24">', 'width="100000" height="100000">'),
    );
  return out;
}

/** Calls `edit(tag, entryOffset)` for each entry of a little-endian TIFF's first IFD. */
function patchTiff(out, edit) {
  const ifd = out.readUInt32LE(4);
  const entries = out.readUInt16LE(ifd);
  for (let e = 0; e < entries; e++) edit(out.readUInt16LE(ifd + 2 + e * 12), ifd + 2 + e * 12);
  return out;
}

/** A TIFF whose next-IFD offset points back at its own IFD: a reader that follows it loops. */
export function tiffIfdLoop(b) {
  const out = Buffer.from(b);
  const ifd = out.readUInt32LE(4);
  const entries = out.readUInt16LE(ifd);
  out.writeUInt32LE(ifd, ifd + 2 + entries * 12);
  return out;
}

/** A TIFF whose IFD offset points past the end of the file. */
export function tiffIfdPastEnd(b) {
  const out = Buffer.from(b);
  out.writeUInt32LE(out.length + 1_000_000, 4);
  return out;
}

/**
 * A real decompression bomb under the pixel limit: 9000×9000 1-bit grey of zeros is ~10 KB on
 * disk and 81 million pixels decoded.
 */
export function pngBomb() {
  const side = 9000;
  const row = 1 + Math.ceil(side / 8);
  return handPng({
    width: side,
    height: side,
    bitDepth: 1,
    idat: deflateSync(Buffer.alloc(row * side), { level: 9 }),
  });
}

/** PNGs that are valid but unusual: every shape the thumbnail and the decoders must take. */
export async function oddValidPngs(random) {
  const raw = (w, h, c) =>
    sharp(pixels(random, w, h, c), { raw: { width: w, height: h, channels: c } });
  return {
    onePixel: await raw(1, 1, 3).png().toBuffer(),
    thinTall: await raw(1, 5000, 1).png().toBuffer(),
    wideFlat: await raw(5000, 1, 3).png().toBuffer(),
    sixteenBit: await raw(8, 8, 3).toColourspace('rgb16').png().toBuffer(),
    palette: await raw(16, 16, 3).png({ palette: true }).toBuffer(),
    greyAlpha: await raw(8, 8, 2).png().toBuffer(),
    transparent: await raw(8, 8, 4).png().toBuffer(),
    interlacedTruncated: (await raw(64, 64, 3).png({ progressive: true }).toBuffer()).subarray(
      0,
      300,
    ),
    cmykJpeg: await raw(16, 16, 3).toColourspace('cmyk').jpeg().toBuffer(),
    rotatedJpeg: await raw(16, 8, 3).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
    zeroWidth: handPng({ width: 0, height: 16, idat: deflateSync(Buffer.alloc(16)) }),
    badCrc: (() => {
      const b = handPng({ width: 4, height: 4, idat: deflateSync(Buffer.alloc(20)) });
      b[29] ^= 0xff; // the IHDR's CRC
      return b;
    })(),
    lyingChunkLength: (() => {
      const b = handPng({ width: 4, height: 4, idat: deflateSync(Buffer.alloc(20)) });
      b.writeUInt32BE(0x7fffffff, 33); // the IDAT's length
      return b;
    })(),
  };
}

/** Files that are not images at all, or images of a format the studio does not read. */
export function foreignFiles(random, canary) {
  const bmp = Buffer.alloc(54 + 4 * 4 * 3);
  bmp.write('BM', 0, 'latin1');
  bmp.writeUInt32LE(bmp.length, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(4, 18);
  bmp.writeInt32LE(4, 22);
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  pixels(random, 4, 4, 3).copy(bmp, 54);
  return {
    bmp,
    heicStub: Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic'),
      pixels(random, 32, 1, 1),
    ]),
    pdf: Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${canary}\n%%EOF\n`),
    zip: Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), pixels(random, 60, 1, 1)]),
    elf: Buffer.concat([Buffer.from('\u007fELF\u0002\u0001\u0001', 'latin1'), Buffer.alloc(57)]),
    text: Buffer.from(`These are notes, not a picture. ${canary}\n`),
    garbage: pixels(random, 40, 40, 1),
    jpegMarkersOnly: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
    gifNoFrames: Buffer.concat([
      Buffer.from('GIF89a', 'latin1'),
      Buffer.from([4, 0, 4, 0, 0, 0, 0, 0x3b]),
    ]),
    webpLyingRiff: (() => {
      const b = Buffer.from('RIFF\xff\xff\xff\x7fWEBPVP8 \xff\xff\xff\x7f', 'latin1');
      return Buffer.concat([b, pixels(random, 16, 1, 1)]);
    })(),
    svgMalformed: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="10"><rect ${canary}`),
    svgExternal: Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="8" height="8">' +
        '<image xlink:href="file:///etc/passwd" width="8" height="8"/></svg>',
    ),
    svgEntities: Buffer.from(
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">' +
        Array.from(
          { length: 8 },
          (_, i) =>
            `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`,
        ).join('') +
        ']><svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><text>&i;</text></svg>',
    ),
    svgNoSize: Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e9 1e9"><rect width="5" height="5"/></svg>',
    ),
  };
}
