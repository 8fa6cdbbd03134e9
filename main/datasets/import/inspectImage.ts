import sharp from 'sharp';
import { THUMB_SIZE } from '../../store/thumbnails';
import { sniffFormat } from './sniffFormat';

export interface ImageFacts {
  /** What the bytes are, whatever the file is called: png, jpeg, webp, gif, tiff, avif, heif, svg. */
  format: string;
  /** As displayed: after the EXIF orientation of a phone photo is applied. */
  width: number;
  height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: number;
}

export type InspectOutcome =
  { ok: true; facts: ImageFacts; thumbnail: Buffer } | { ok: false; reason: string };

/** Refuse decompression bombs by pixel count, before any pixel is decoded. */
export const MAX_IMAGE_PIXELS = 100_000_000;

const SUPPORTED_FORMATS = new Set(['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif', 'heif', 'svg']);

/**
 * Decides whether bytes are an image the studio can use and makes its thumbnail in the same pass.
 * Reading the header is not enough (a truncated PNG has a valid one), so the image is decoded
 * once, by the thumbnail pipeline, with truncation an error. Multi-frame GIF and TIFF: the first.
 */
export async function inspectImage(bytes: Uint8Array): Promise<InspectOutcome> {
  if (bytes.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  const meta = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => null);
  if (!meta) return { ok: false, reason: unreadableReason(bytes) };
  // libvips calls AVIF "heif" (it is HEIF with AV1 inside); people know it as AVIF.
  const format =
    meta.format === 'heif' && meta.compression === 'av1' ? 'avif' : (meta.format ?? 'unknown');
  if (!SUPPORTED_FORMATS.has(format)) {
    return { ok: false, reason: `unsupported image format (${format})` };
  }
  if (format === 'heif') return { ok: false, reason: HEIC_REASON };
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (width * height > MAX_IMAGE_PIXELS) {
    return {
      ok: false,
      reason: `image too large to decode safely (${width}×${height} pixels, limit ${MAX_IMAGE_PIXELS})`,
    };
  }
  try {
    const thumbnail = await thumbnailOf(bytes, width, height);
    return { ok: true, facts: { format, width, height, channels: meta.channels ?? 0 }, thumbnail };
  } catch {
    // libvips's message is not shown: with several files decoding at once it can name another
    // file's error (a PNG reported as "premature end of JPEG image" was seen).
    return { ok: false, reason: `cannot be decoded: corrupt or truncated ${format}` };
  }
}

const HEIC_REASON = 'HEIC photo (HEVC): this build cannot decode it; convert it to JPEG first';

/** Why sharp found no image in the bytes, from what their first bytes say they are. */
function unreadableReason(bytes: Uint8Array): string {
  const sniffed = sniffFormat(bytes);
  switch (sniffed.kind) {
    case 'readable-image':
      return `cannot be decoded: corrupt or truncated ${sniffed.format} (its header is damaged or cut off)`;
    case 'unsupported-image':
      return `unsupported image format (${sniffed.format}); convert it to PNG or JPEG`;
    case 'heic':
      return HEIC_REASON;
    case 'other-file':
      return `not an image (${sniffed.what})`;
    case 'unknown':
      return 'not an image (no known image format)';
  }
}

/**
 * A PNG of at most THUMB_SIZE, alpha kept so an icon on a transparent background shows as
 * itself, not as a black square. Tiny images (28 px digits) are enlarged nearest-neighbour so
 * their pixels stay crisp; larger ones are reduced with a smooth kernel. Light PNG compression:
 * thumbnails are small and this is most of an import's CPU time.
 */
async function thumbnailOf(bytes: Uint8Array, width: number, height: number): Promise<Buffer> {
  const enlarging = width < THUMB_SIZE && height < THUMB_SIZE;
  return sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'truncated' })
    .rotate()
    .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', kernel: enlarging ? 'nearest' : 'lanczos3' })
    .png({ compressionLevel: 3, adaptiveFiltering: false })
    .toBuffer();
}
