import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { GeneratedImage } from '../ml/protocol';
import type { NewSample } from './runRepository';

function sampleName(step: number, index: number, extension: string): string {
  return `step-${String(step).padStart(6, '0')}-${String(index).padStart(2, '0')}.${extension}`;
}

/** Writes generated images as PNG under `runs/<id>/samples/`; returns their rows. */
export async function writeImageSamples(
  dataDir: string,
  runId: number,
  step: number,
  images: readonly GeneratedImage[],
  firstIndex = 0,
): Promise<NewSample[]> {
  const relativeDir = path.join('runs', String(runId), 'samples');
  await fs.mkdir(path.join(dataDir, relativeDir), { recursive: true });
  return Promise.all(
    images.map(async (image, i) => {
      const index = firstIndex + i;
      const filePath = path.join(relativeDir, sampleName(step, index, 'png'));
      await sharp(image.pixels, {
        raw: { width: image.width, height: image.height, channels: image.channels as 1 | 3 },
      })
        .png()
        .toFile(path.join(dataDir, filePath));
      return { kind: 'image', step, index, filePath, width: image.width, height: image.height };
    }),
  );
}

/** Writes generated texts as UTF-8 files beside the image samples; the text is also in the row. */
export async function writeTextSamples(
  dataDir: string,
  runId: number,
  step: number,
  texts: readonly string[],
  firstIndex = 0,
): Promise<NewSample[]> {
  const relativeDir = path.join('runs', String(runId), 'samples');
  await fs.mkdir(path.join(dataDir, relativeDir), { recursive: true });
  return Promise.all(
    texts.map(async (text, i) => {
      const index = firstIndex + i;
      const filePath = path.join(relativeDir, sampleName(step, index, 'txt'));
      await fs.writeFile(path.join(dataDir, filePath), text, 'utf8');
      return { kind: 'text', text, step, index, filePath, width: 0, height: 0 };
    }),
  );
}
