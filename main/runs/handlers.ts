import type { RunCalls } from '../../preload/contract';
import type { CallHandlers } from '../common/calls';
import { exportSamples } from '../export/exportSamples';
import type { RunRepository } from './runRepository';
import type { RunService } from './runService';

export interface RunHandlerDeps {
  dataDir: string;
  runs: RunService;
  /** The run records: the gallery's samples and the files an export copies. */
  runRecords: RunRepository;
}

/** The training calls: model presets, runs, and the samples they draw and export. */
export function runHandlers({
  dataDir,
  runs,
  runRecords,
}: RunHandlerDeps): Pick<CallHandlers, keyof RunCalls> {
  return {
    'models:presets': () => runs.presets(),
    'runs:start': (args) => runs.start(args),
    'runs:stop': ({ runId }) => runs.stop(runId),
    'runs:resume': ({ runId, steps }) => runs.resume(runId, steps),
    'runs:estimate': ({ datasetId, presetId }) => runs.estimate(datasetId, presetId),
    'runs:list': ({ datasetId }) => runs.list(datasetId),
    'runs:get': ({ runId }) => runs.get(runId),
    'samples:list': ({ runId }) => runRecords.samples(runId),
    'samples:generate': (args) => runs.generate(args),
    'samples:export': ({ sampleIds, folder }) =>
      exportSamples({ dataDir, runs: runRecords }, sampleIds, folder),
  };
}
