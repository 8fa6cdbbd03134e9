// A trained run as a TensorFlow.js model folder (issue 12, "Export: the model"): model.json and its
// weights shard, the studio's sampling loop, a Node loader, an example and a model card.
import type { ModelFamily } from './runs';

export interface ModelExportArgs {
  runId: number;
  /** The checkpoint's step: the run's newest (default) or its best one. */
  step?: number;
  /** A new folder; default a new one under the data dir's exports. Never overwritten. */
  folder?: string;
}

export interface ModelExportResult {
  runId: number;
  family: ModelFamily;
  /** The step of the checkpoint exported. */
  step: number;
  /** 'graph-model': load with tf.loadGraphModel (load-node.mjs does it in plain Node). */
  format: 'graph-model';
  folder: string;
  /** Every file written, full paths. */
  files: string[];
  /** The folder as one ZIP beside it (`<folder>.zip`). */
  zipPath: string;
  /** Set for exports under the data dir's exports (downloadable from the server), else ''. */
  zipId: string;
}

export interface ModelExportCalls {
  'runs:exportModel': (args: ModelExportArgs) => ModelExportResult;
}
