import { promises as fs } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { ExportResult, GallerySample } from '../../preload/contract';
import { StudioFailure } from '../common/failure';
import type { SampleGallery } from '../gallery/sampleQuery';

export interface ExportDeps {
  dataDir: string;
  gallery: SampleGallery;
}

/** One exported file and everything the gallery shows about the sample in it. */
export interface ProvenanceEntry {
  file: string;
  sampleId: number;
  kind: 'image' | 'text';
  run: { id: number; family: string; preset: string };
  dataset: { id: number; name: string; versionId: number; version: number };
  step: number;
  index: number;
  width: number;
  height: number;
  rating: GallerySample['rating'];
  createdAt: string;
  provenance: GallerySample['provenance'];
  /** What an evaluation found (nearest training items, copied stretch); null when none judged it. */
  evaluation: GallerySample['evaluation'];
}

export function provenanceEntry(file: string, sample: GallerySample): ProvenanceEntry {
  return {
    file,
    sampleId: sample.id,
    kind: sample.kind,
    run: { id: sample.runId, family: sample.family, preset: sample.presetId },
    dataset: {
      id: sample.datasetId,
      name: sample.datasetName,
      versionId: sample.versionId,
      version: sample.versionNumber,
    },
    step: sample.step,
    index: sample.index,
    width: sample.width,
    height: sample.height,
    rating: sample.rating,
    createdAt: sample.createdAt,
    provenance: sample.provenance,
    evaluation: sample.evaluation,
  };
}

/** Exports made without a chosen folder go here, and only these can be downloaded by browser. */
export function exportsRoot(dataDir: string): string {
  return path.join(dataDir, 'exports');
}

const ZIP_ID_PATTERN = /^export-[0-9TZ-]+(-\d+)?$/;

export function zipPathOf(dataDir: string, zipId: string): string | null {
  return ZIP_ID_PATTERN.test(zipId) ? path.join(exportsRoot(dataDir), `${zipId}.zip`) : null;
}

/**
 * Copies the chosen samples as PNG (or .txt) files into a folder, with `samples.jsonl` for texts
 * and `provenance.json` describing each file, and packs the same files into one ZIP beside it
 * (`<folder>.zip`). Without a folder, a new one is made under the data dir's exports.
 */
export async function exportSamples(
  deps: ExportDeps,
  sampleIds: readonly number[],
  folder?: string,
): Promise<ExportResult> {
  if (sampleIds.length === 0) {
    throw new StudioFailure('invalid-input', 'Choose at least one sample to export.');
  }
  const samples = deps.gallery.samples(sampleIds);
  const missing = sampleIds.filter((id) => !samples.some((s) => s.id === id));
  if (missing.length > 0) {
    throw new StudioFailure('not-found', `Sample ${missing.join(', ')} does not exist.`);
  }

  let zipId = '';
  let target: string;
  if (folder && folder.trim() !== '') {
    target = path.resolve(folder.trim());
  } else {
    zipId = await freeExportId(deps.dataDir);
    target = path.join(exportsRoot(deps.dataDir), zipId);
  }
  try {
    await fs.mkdir(target, { recursive: true });
  } catch (err) {
    throw new StudioFailure(
      'io',
      `Cannot create the export folder ${target}: ${(err as Error).message}`,
    );
  }

  const files: string[] = [];
  const entries: Record<string, Uint8Array> = {};
  const described: ProvenanceEntry[] = [];
  const writeEntry = async (name: string, bytes: Uint8Array): Promise<void> => {
    const file = path.join(target, name);
    await fs.writeFile(file, bytes);
    files.push(file);
    entries[name] = bytes;
  };
  for (const sample of samples) {
    // PNG for images, .txt for the character models' text.
    const extension = path.extname(sample.filePath) || '.png';
    const name = `run-${sample.runId}-step-${sample.step}-${String(sample.index).padStart(2, '0')}${extension}`;
    await writeEntry(name, await fs.readFile(path.join(deps.dataDir, sample.filePath)));
    described.push(provenanceEntry(name, sample));
  }
  const texts = described.filter((entry) => entry.kind === 'text');
  if (texts.length > 0) {
    // One JSON object a line, for text pipelines that read JSONL.
    const lines = texts.map((entry) => {
      const text = samples.find((s) => s.id === entry.sampleId)?.text ?? '';
      return JSON.stringify({ text, ...entry });
    });
    await writeEntry('samples.jsonl', new TextEncoder().encode(`${lines.join('\n')}\n`));
  }
  const provenance = { exportedAt: new Date().toISOString(), samples: described };
  await writeEntry(
    'provenance.json',
    new TextEncoder().encode(`${JSON.stringify(provenance, null, 2)}\n`),
  );
  // PNGs are already compressed: store them, do not deflate again.
  const zipPath = `${target}.zip`;
  await fs.writeFile(zipPath, zipSync(entries, { level: 0 }));
  return { folder: target, files, zipPath, zipId };
}

export async function freeExportId(dataDir: string): Promise<string> {
  const base = `export-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (let n = 0; ; n++) {
    const id = n === 0 ? base : `${base}-${n}`;
    const exists = await fs
      .stat(path.join(exportsRoot(dataDir), id))
      .then(() => true)
      .catch(() => false);
    if (!exists) return id;
  }
}
