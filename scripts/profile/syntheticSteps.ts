// A model's training step over a small fixed pool of synthetic batches, cycled, as bench-train.ts
// does it (with labels for a class-conditional model, as runs:estimate draws them): the step time
// without any data loading, for the profile and for bench-run's side-by-side figure.

import type { ImageBatch, TextBatch } from '../../main/ml/worker/models/model';
import type { buildModel } from '../../main/ml/worker/models/registry';
import { disposeBatch, randomBatch } from '../../main/ml/worker/training/estimate';

const BATCHES = 8;

export interface SyntheticSteps {
  batchSize: number;
  step: (i: number) => void;
  dispose: () => void;
}

export function syntheticSteps(model: ReturnType<typeof buildModel>): SyntheticSteps {
  const batches = Array.from({ length: BATCHES }, (_, i) => randomBatch(model, i + 1));
  return {
    batchSize: model.batchSize,
    step: (i) => {
      const batch = batches[i % BATCHES] as ImageBatch | TextBatch;
      if (model.kind === 'image') model.trainStep(batch as ImageBatch, { seed: i + 1 });
      else model.trainStep(batch as TextBatch, { seed: i + 1 });
    },
    dispose: () => {
      for (const batch of batches) disposeBatch(batch);
      model.dispose();
    },
  };
}
