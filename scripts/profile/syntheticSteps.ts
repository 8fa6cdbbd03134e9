// A model's training step over a small fixed pool of synthetic batches, cycled, as bench-train.ts
// does it: the step time without any data loading, for the profile and for bench-run's side-by-side
// figure. Imports tfjs, so only scripts that run in-process (not the studio's main thread) use it.

import * as tf from '@tensorflow/tfjs';
import type { ImageBatch, TextBatch } from '../../main/ml/worker/models/model';
import type { buildModel } from '../../main/ml/worker/models/registry';

const BATCHES = 8;

export interface SyntheticSteps {
  batchSize: number;
  step: (i: number) => void;
  dispose: () => void;
}

export function syntheticSteps(model: ReturnType<typeof buildModel>): SyntheticSteps {
  const batchSize = model.batchSize;
  if (model.kind === 'image') {
    const images = Array.from({ length: BATCHES }, (_, i) =>
      tf.randomUniform(
        [batchSize, model.imageSize, model.imageSize, model.channels],
        0,
        1,
        'float32',
        i + 1,
      ),
    ) as tf.Tensor4D[];
    return {
      batchSize,
      step: (i) => {
        const batch: ImageBatch = { images: images[i % BATCHES] as tf.Tensor4D };
        model.trainStep(batch, { seed: i + 1 });
      },
      dispose: () => {
        tf.dispose(images);
        model.dispose();
      },
    };
  }
  const windows = Array.from({ length: BATCHES }, (_, i) =>
    tf.randomUniform([batchSize, model.contextLength + 1], 0, model.vocabSize, 'int32', i + 1),
  ) as TextBatch[];
  return {
    batchSize,
    step: (i) => model.trainStep(windows[i % BATCHES] as TextBatch, { seed: i + 1 }),
    dispose: () => {
      tf.dispose(windows);
      model.dispose();
    },
  };
}
