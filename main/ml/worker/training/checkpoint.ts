// Checkpoints: everything a run needs to continue exactly where it was — the resolved configs,
// weights, running statistics, optimiser slots and step counts, the step, and the state of the
// seeded generators — in one folder: `checkpoint.json` (the manifest) and `weights-<step>.bin`
// (float32 tensors, little-endian, back to back). The manifest is written last and atomically
// (temporary file flushed to disk, then rename), so a reader never sees a manifest without its
// weights, even after a power cut.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ModelFamily } from '../../../../preload/contract';
import { PRIVATE_DIR_MODE } from '../../../common/dataDir';
import { StudioFailure } from '../../../common/failure';
import { writeFileAtomic } from '../../../store/atomicWrite';
import type { TrainableModel } from '../models/model';
import type { SamplerState } from './batches';
import type { TrainingConfig } from '../../config/trainingConfig';

export const CHECKPOINT_FORMAT = 'generative-studio-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const MANIFEST_FILE = 'checkpoint.json';

/** What the data looked like, so sampling from the checkpoint needs nothing else. */
export type CheckpointData =
  | { kind: 'image'; imageSize: number; channels: number; classCount: number }
  | { kind: 'text'; vocabulary: string[] };

export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  family: ModelFamily;
  /** The family's resolved config: resuming and sampling take the architecture from here. */
  config: unknown;
  training: TrainingConfig;
  step: number;
  /** The run's generator state (batch order, per-step seeds). */
  random: number;
  sampler: SamplerState | null;
  counters: Record<string, number>;
  data: CheckpointData;
  weightsFile: string;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  savedAt: string;
}

export type CheckpointMeta = Omit<
  CheckpointManifest,
  'format' | 'version' | 'weightsFile' | 'tensors' | 'savedAt' | 'counters'
>;

/** Writes a checkpoint of `model` into `dir` (created if needed); older weight files are removed. */
export async function saveCheckpoint(
  dir: string,
  model: TrainableModel<unknown>,
  meta: CheckpointMeta,
): Promise<CheckpointManifest> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const entries = model.checkpointTensors();
  const tensors: CheckpointManifest['tensors'] = [];
  let offset = 0;
  for (const { name, variable } of entries) {
    tensors.push({ name, shape: [...variable.shape], offset, length: variable.size });
    offset += variable.size;
  }
  const values = new Float32Array(offset);
  for (const [i, { variable }] of entries.entries()) {
    values.set(await variable.data<'float32'>(), tensors[i]?.offset ?? 0);
  }
  const weightsFile = `weights-${String(meta.step).padStart(8, '0')}.bin`;
  await writeFileAtomic(path.join(dir, weightsFile), new Uint8Array(values.buffer));
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    ...meta,
    counters: model.counters(),
    weightsFile,
    tensors,
    savedAt: new Date().toISOString(),
  };
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  for (const file of await fs.readdir(dir)) {
    if (/^weights-\d+\.bin$/.test(file) && file !== weightsFile) {
      await fs.rm(path.join(dir, file), { force: true });
    }
  }
  return manifest;
}

function unusable(dir: string, why: string): StudioFailure {
  return new StudioFailure('invalid-input', `The checkpoint in ${dir} cannot be used: ${why}.`);
}

export async function readCheckpointManifest(dir: string): Promise<CheckpointManifest> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new StudioFailure('not-found', `There is no checkpoint in ${dir}.`);
  }
  const manifest = JSON.parse(text) as Partial<CheckpointManifest>;
  if (manifest.format !== CHECKPOINT_FORMAT || manifest.version !== CHECKPOINT_VERSION) {
    throw unusable(dir, `it is not a version-${CHECKPOINT_VERSION} studio checkpoint`);
  }
  return manifest as CheckpointManifest;
}

/** Sets every checkpoint tensor of `model` to the saved values; the names and shapes must match. */
export async function restoreCheckpoint(
  dir: string,
  manifest: CheckpointManifest,
  model: TrainableModel<unknown>,
): Promise<void> {
  const bytes = await fs.readFile(path.join(dir, manifest.weightsFile));
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const saved = new Map(manifest.tensors.map((t) => [t.name, t]));
  const entries = model.checkpointTensors();
  if (entries.length !== saved.size) {
    throw unusable(dir, `it holds ${saved.size} tensors and the model has ${entries.length}`);
  }
  for (const { name, variable } of entries) {
    const entry = saved.get(name);
    if (entry === undefined || entry.shape.join(',') !== variable.shape.join(',')) {
      throw unusable(dir, `its tensor ${name} does not match the model`);
    }
    if (entry.offset + entry.length > values.length)
      throw unusable(dir, 'its weights file is short');
    tf.tidy(() =>
      variable.assign(
        tf.tensor(values.slice(entry.offset, entry.offset + entry.length), entry.shape),
      ),
    );
  }
  model.restoreCounters(manifest.counters);
}
