import sharp from 'sharp';
import type { ImageTensorData } from '../ml/protocol';
import type { BlobStore } from '../store/blobStore';
import type { DatasetRepository } from './datasetRepository';

/** Grayscale when every item is grayscale (with or without alpha), colour otherwise. */
export function trainingChannels(channelsPerItem: readonly number[]): 1 | 3 {
  return channelsPerItem.every((c) => c <= 2) ? 1 : 3;
}

/**
 * Decodes a dataset version into one float tensor for the ML worker: every image resized to
 * size×size, transparency flattened onto black, values in [0, 1]. [count, size, size, channels].
 */
export async function loadTrainingImages(
  repository: DatasetRepository,
  blobs: BlobStore,
  versionId: number,
  size: number,
): Promise<ImageTensorData> {
  const { items, total } = repository.items(versionId, 0, Number.MAX_SAFE_INTEGER);
  const channels = trainingChannels(repository.channelsIn(versionId));
  const pixelsPerImage = size * size * channels;
  const pixels = new Float32Array(total * pixelsPerImage);
  let count = 0;
  for (const item of items) {
    const bytes = await blobs.read(item.blobSha);
    let pipeline = sharp(bytes)
      .flatten({ background: '#000000' })
      .resize(size, size, { fit: 'fill' });
    pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) {
      throw new Error(
        `Decoded ${info.channels} channels for item ${item.id}, expected ${channels}`,
      );
    }
    const offset = count * pixelsPerImage;
    for (let i = 0; i < pixelsPerImage; i++) pixels[offset + i] = (data[i] as number) / 255;
    count++;
  }
  return { pixels, count, height: size, width: size, channels };
}
