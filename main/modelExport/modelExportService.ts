// Exports a run's checkpoint (its newest, or its best by step) as a TensorFlow.js model folder:
// the worker writes the graph model and its runtime files, this adds the model card and packs the
// folder into one ZIP beside it. Folders follow the samples' export policy: a new folder (never one
// with files in it), or a new one under the data dir's exports when none is given.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { ModelExportArgs, ModelExportResult, RunDetail } from '../../preload/contract';
import { StudioFailure } from '../common/failure';
import { exportsRoot, freeExportId } from '../export/exportSamples';
import type { MlHost } from '../ml/host';
import { findDataLicense } from '../datasets/dataLicense';
import { modelCard } from './modelCard';

export interface ModelExportDeps {
  dataDir: string;
  /** The run with its config and metrics; throws not-found for a run that does not exist. */
  run: (runId: number) => RunDetail;
  /** The newest checkpoint's folder, relative to the data dir. */
  checkpointDir: (runId: number) => string | null;
  /** The best checkpoint the run keeps (folder relative to the data dir). */
  bestCheckpoint: (runId: number) => { step: number; dir: string } | null;
  /** The folder the run's dataset was imported from (where its license file may be). */
  datasetFolder: (datasetId: number) => string;
  ml: Pick<MlHost, 'exportModel'>;
}

interface ChosenCheckpoint {
  dir: string;
  step: number;
  which: 'latest' | 'best';
}

function chooseCheckpoint(deps: ModelExportDeps, run: RunDetail, step?: number): ChosenCheckpoint {
  const latestDir = deps.checkpointDir(run.id);
  const latest =
    latestDir !== null && run.checkpointStep !== null
      ? { dir: latestDir, step: run.checkpointStep, which: 'latest' as const }
      : null;
  const bestRow = deps.bestCheckpoint(run.id);
  const best = bestRow === null ? null : { ...bestRow, which: 'best' as const };
  if (step === undefined) {
    if (latest === null) {
      throw new StudioFailure('invalid-input', `Run ${run.id} has no checkpoint to export yet.`);
    }
    return latest;
  }
  const chosen = [latest, best].find((c) => c !== null && c.step === step);
  if (chosen) return chosen;
  const kept = [latest, best]
    .filter((c): c is ChosenCheckpoint => c !== null)
    .map((c) => `${c.step} (${c.which})`);
  throw new StudioFailure(
    'invalid-input',
    kept.length === 0
      ? `Run ${run.id} has no checkpoint to export yet.`
      : `Run ${run.id} keeps no checkpoint at step ${step}; it has step ${[...new Set(kept)].join(' and ')}.`,
  );
}

/** The folder to write: a given one must be new or empty and have no ZIP beside it. */
async function targetFolder(
  dataDir: string,
  folder?: string,
): Promise<{ target: string; zipId: string }> {
  if (folder === undefined || folder.trim() === '') {
    const zipId = await freeExportId(dataDir);
    return { target: path.join(exportsRoot(dataDir), zipId), zipId };
  }
  const target = path.resolve(folder.trim());
  const entries = await fs.readdir(target).catch(() => null);
  if (entries !== null && entries.length > 0) {
    throw new StudioFailure('invalid-input', `${target} is not empty; choose a new folder.`);
  }
  const zipTaken = await fs.lstat(`${target}.zip`).then(
    () => true,
    () => false,
  );
  if (zipTaken)
    throw new StudioFailure('invalid-input', `${target}.zip already exists; choose a new folder.`);
  return { target, zipId: '' };
}

export async function exportModel(
  deps: ModelExportDeps,
  args: ModelExportArgs,
): Promise<ModelExportResult> {
  const run = deps.run(args.runId);
  const checkpoint = chooseCheckpoint(deps, run, args.step);
  const { target, zipId } = await targetFolder(deps.dataDir, args.folder);
  try {
    await fs.mkdir(target, { recursive: true });
  } catch (error) {
    throw new StudioFailure(
      'io',
      `Cannot create the export folder ${target}: ${(error as Error).message}`,
    );
  }
  const written = await deps.ml.exportModel({
    jobId: `export-model-${run.id}-${Date.now()}`,
    checkpoint: path.join(deps.dataDir, checkpoint.dir),
    outDir: target,
  });
  const info = JSON.parse(await fs.readFile(path.join(target, 'studio-model.json'), 'utf8')) as {
    config: unknown;
  };
  const card = modelCard({
    run,
    step: written.step,
    checkpoint: checkpoint.which,
    config: info.config,
    exportedAt: new Date().toISOString(),
    dataLicense: await findDataLicense(deps.datasetFolder(run.datasetId)),
  });
  await fs.writeFile(path.join(target, 'model-card.md'), card, { flag: 'wx' });
  const names = [...written.files, 'model-card.md'];
  const entries: Record<string, Uint8Array> = {};
  for (const name of names) entries[name] = await fs.readFile(path.join(target, name));
  const zipPath = `${target}.zip`;
  await fs.writeFile(zipPath, zipSync(entries), { flag: 'wx' });
  return {
    runId: run.id,
    family: written.family,
    step: written.step,
    format: 'graph-model',
    folder: target,
    files: names.map((name) => path.join(target, name)),
    zipPath,
    zipId,
  };
}
