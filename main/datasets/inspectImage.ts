import sharp from 'sharp';

export interface ImageFacts {
  format: string;
  width: number;
  height: number;
  channels: number;
}

export type InspectOutcome = { ok: true; facts: ImageFacts } | { ok: false; reason: string };

/** Refuse decompression bombs by pixel count, before any pixel is decoded. */
export const MAX_IMAGE_PIXELS = 100_000_000;

const SUPPORTED_FORMATS = new Set(['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif', 'heif', 'svg']);

/**
 * Decides whether bytes are an image the studio can train on. Reading the header is not enough:
 * a truncated PNG has a valid header, so the whole image is decoded once here.
 */
export async function inspectImage(bytes: Uint8Array): Promise<InspectOutcome> {
  if (bytes.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  const meta = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => null);
  if (!meta) return { ok: false, reason: 'not an image (no known image format)' };
  const format = meta.format ?? 'unknown';
  if (!SUPPORTED_FORMATS.has(format)) {
    return { ok: false, reason: `unsupported image format (${format})` };
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > MAX_IMAGE_PIXELS) {
    return {
      ok: false,
      reason: `image too large to decode safely (${width}×${height} pixels, limit ${MAX_IMAGE_PIXELS})`,
    };
  }
  try {
    await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'truncated' })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { ok: false, reason: `cannot be decoded: corrupt or truncated ${format} (${detail})` };
  }
  return { ok: true, facts: { format, width, height, channels: meta.channels ?? 0 } };
}
