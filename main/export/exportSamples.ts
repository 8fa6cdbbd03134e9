import { promises as fs } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { ExportResult } from '../../preload/contract';
import { StudioFailure } from '../common/failure';
import type { RunRepository } from '../runs/runRepository';

export interface ExportDeps {
  dataDir: string;
  runs: RunRepository;
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
 * Copies the chosen samples as PNG files into a folder and packs the same files into one ZIP
 * beside it (`<folder>.zip`). Without a folder, a new one is made under the data dir's exports.
 */
export async function exportSamples(
  deps: ExportDeps,
  sampleIds: readonly number[],
  folder?: string,
): Promise<ExportResult> {
  if (sampleIds.length === 0) {
    throw new StudioFailure('invalid-input', 'Choose at least one sample to export.');
  }
  const samples = sampleIds.map((id) => {
    const sample = deps.runs.sample(id);
    if (!sample) throw new StudioFailure('not-found', `Sample ${id} does not exist.`);
    return sample;
  });

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
  for (const sample of samples) {
    // PNG for images, .txt for the character models' text.
    const extension = path.extname(sample.filePath) || '.png';
    const name = `run-${sample.runId}-step-${sample.step}-${String(sample.index).padStart(2, '0')}${extension}`;
    const bytes = await fs.readFile(path.join(deps.dataDir, sample.filePath));
    const file = path.join(target, name);
    await fs.writeFile(file, bytes);
    files.push(file);
    entries[name] = bytes;
  }
  // PNGs are already compressed: store them, do not deflate again.
  const zipPath = `${target}.zip`;
  await fs.writeFile(zipPath, zipSync(entries, { level: 0 }));
  return { folder: target, files, zipPath, zipId };
}

async function freeExportId(dataDir: string): Promise<string> {
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
