import type { ModelPreset } from '../../preload/contract';
import { notFound, StudioFailure } from '../common/failure';
import type { DatasetRepository } from '../datasets/datasetRepository';
import { findModelPreset, MODEL_PRESETS } from '../ml/config/presets';
import type { StartRunArgs } from './runService';

/**
 * What a run needs before it starts or is estimated: the dataset and its version exist, the
 * preset is known and trains this kind of data, and there is something to train on.
 */
export function checkRunStart(
  datasets: DatasetRepository,
  args: Pick<StartRunArgs, 'datasetId' | 'versionId' | 'presetId'>,
): {
  preset: ModelPreset;
  versionId: number;
  datasetId: number;
} {
  const dataset = datasets.get(args.datasetId);
  if (!dataset) throw notFound(`Dataset ${args.datasetId}`);
  const versionId = args.versionId ?? dataset.latestVersionId;
  if (!datasets.versionBelongsTo(versionId, dataset.id)) {
    throw notFound(`Version ${versionId} of dataset "${dataset.name}"`);
  }
  const preset = findModelPreset(args.presetId);
  if (!preset) {
    throw new StudioFailure('invalid-input', `Unknown model preset "${args.presetId}".`, {
      known: MODEL_PRESETS.map((p) => p.id),
    });
  }
  if (preset.kind !== dataset.kind) {
    throw new StudioFailure(
      'invalid-input',
      `The preset "${preset.label}" trains on ${preset.kind} data and "${dataset.name}" holds ${dataset.kind}; choose a ${dataset.kind} preset.`,
    );
  }
  if (dataset.itemCount === 0) {
    throw new StudioFailure(
      'invalid-input',
      `Dataset "${dataset.name}" has no usable items; import a folder with ${dataset.kind} files first.`,
    );
  }
  return { preset, versionId, datasetId: dataset.id };
}
