import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { PRIVATE_DIR_MODE } from '../common/dataDir';
import type { SampleProvenance } from '../../preload/contract';
import type { GeneratedImage } from '../ml/protocol';
import { writeFileAtomic } from '../store/atomicWrite';
import type { NewSample } from './runRepository';

/**
 * How a batch was drawn; `classLabels[i]` is the class image i was asked for. Each sample's
 * latent index is its position in the batch (the seeded noise's row).
 */
export type BatchProvenance = Partial<Omit<SampleProvenance, 'latentIndex' | 'classLabel'>> & {
  classLabels?: readonly (string | null)[];
};

function provenanceOf(batch: BatchProvenance | undefined, i: number): Partial<SampleProvenance> {
  const { classLabels, ...rest } = batch ?? {};
  return { ...rest, latentIndex: i, classLabel: classLabels?.[i] ?? null };
}

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
  batch?: BatchProvenance,
): Promise<NewSample[]> {
  const relativeDir = path.join('runs', String(runId), 'samples');
  await fs.mkdir(path.join(dataDir, relativeDir), { recursive: true, mode: PRIVATE_DIR_MODE });
  return Promise.all(
    images.map(async (image, i) => {
      const index = firstIndex + i;
      const filePath = path.join(relativeDir, sampleName(step, index, 'png'));
      const png = await sharp(image.pixels, {
        raw: { width: image.width, height: image.height, channels: image.channels as 1 | 3 },
      })
        .png()
        .toBuffer();
      await writeFileAtomic(path.join(dataDir, filePath), png);
      return {
        kind: 'image',
        step,
        index,
        filePath,
        width: image.width,
        height: image.height,
        provenance: provenanceOf(batch, i),
      };
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
  batch?: BatchProvenance,
): Promise<NewSample[]> {
  const relativeDir = path.join('runs', String(runId), 'samples');
  await fs.mkdir(path.join(dataDir, relativeDir), { recursive: true, mode: PRIVATE_DIR_MODE });
  return Promise.all(
    texts.map(async (text, i) => {
      const index = firstIndex + i;
      const filePath = path.join(relativeDir, sampleName(step, index, 'txt'));
      await writeFileAtomic(path.join(dataDir, filePath), text);
      const provenance = provenanceOf(batch, i);
      return { kind: 'text', text, step, index, filePath, width: 0, height: 0, provenance };
    }),
  );
}

const SAMPLE_FILE = /^step-(\d+)-\d+\.(png|txt)$/;

/**
 * Deletes a run's sample files of steps after `step` (a resume redoes those steps): the files of
 * the dropped rows, and any a killed process wrote before it could record them.
 */
export async function removeSamplesAfter(
  dataDir: string,
  runId: number,
  step: number,
  recordedFiles: readonly string[],
): Promise<void> {
  const relativeDir = path.join('runs', String(runId), 'samples');
  let names: string[] = [];
  try {
    names = await fs.readdir(path.join(dataDir, relativeDir));
  } catch {
    // No samples folder yet: nothing was written.
  }
  const unrecorded = names
    .filter((name) => Number(SAMPLE_FILE.exec(name)?.[1] ?? -1) > step)
    .map((name) => path.join(relativeDir, name));
  // Only this run's own sample folder, whatever a row says.
  const own = recordedFiles.filter((file) => path.dirname(path.normalize(file)) === relativeDir);
  const files = new Set([...own, ...unrecorded]);
  await Promise.all([...files].map((file) => fs.rm(path.join(dataDir, file), { force: true })));
}
