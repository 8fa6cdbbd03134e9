import sharp from 'sharp';
import type { ImagePreprocessing } from '../../../preload/contract';

/** Image settings with the version's 'auto' channels decided. */
export interface ResolvedImageSettings extends Omit<ImagePreprocessing, 'channels'> {
  channels: 1 | 3;
}

/** Grayscale when every item is grayscale (with or without alpha), colour otherwise. */
export function trainingChannels(channelsPerItem: readonly number[]): 1 | 3 {
  return channelsPerItem.every((c) => c <= 2) ? 1 : 3;
}

export function resolveImageSettings(
  settings: ImagePreprocessing,
  channelsPerItem: readonly number[],
): ResolvedImageSettings {
  const channels =
    settings.channels === 'auto' ? trainingChannels(channelsPerItem) : settings.channels;
  return { ...settings, channels };
}

/** Items passed the import's size check already; this only stops a blob swapped behind its back. */
const MAX_DECODE_PIXELS = 100_000_000;

const SHARP_FIT = { crop: 'cover', pad: 'contain', stretch: 'fill' } as const;

export function backgroundRgb(hex: string): { r: number; g: number; b: number } {
  const value = Number.parseInt(hex.slice(1), 16);
  return { r: (value >> 16) & 255, g: (value >> 8) & 255, b: value & 255 };
}

/** The background as 0–255 values per training channel (grey is luminance, as sharp makes it). */
export function backgroundBytes(settings: ResolvedImageSettings): number[] {
  const { r, g, b } = backgroundRgb(settings.background);
  if (settings.channels === 3) return [r, g, b];
  return [Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b)];
}

/**
 * Decodes one image as training sees it, before normalisation: transparency flattened onto the
 * background, fitted to size×size, in the training channels. [size, size, channels] bytes.
 */
export async function prepareImage(
  bytes: Uint8Array,
  settings: ResolvedImageSettings,
): Promise<Uint8Array> {
  const background = { ...backgroundRgb(settings.background), alpha: 1 };
  // Truncation is an error, a warning is not: as at import (inspectImage), so that every image
  // the import took decodes here too (an imported PNG with a bad CRC made training fail).
  let pipeline = sharp(bytes, {
    limitInputPixels: MAX_DECODE_PIXELS,
    animated: false,
    failOn: 'truncated',
  })
    .flatten({ background })
    .resize(settings.size, settings.size, { fit: SHARP_FIT[settings.fit], background });
  pipeline = settings.channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== settings.channels) {
    throw new Error(`Decoded ${info.channels} channels, expected ${settings.channels}`);
  }
  return data;
}

/**
 * Byte values to [0, 1], written into `target` at `offset`. Always [0, 1]: a model family maps a
 * batch to the range it trains in (main/ml/config/pixelRange.ts), nothing else rescales.
 */
export function normalizeInto(bytes: Uint8Array, target: Float32Array, offset: number): void {
  for (let i = 0; i < bytes.length; i++) target[offset + i] = (bytes[i] as number) / 255;
}

/** One 0–255 value in [0, 1] (for filling what a shift uncovers). */
export function normalizeValue(byte: number): number {
  return byte / 255;
}
