import type { Adam } from '../training/optimizer';
import type { ParameterSet } from './layers';
import type { TrainableModel } from './model';

type AdamState = Pick<
  TrainableModel<unknown>,
  'size' | 'checkpointTensors' | 'counters' | 'restoreCounters' | 'dispose'
>;

/**
 * The part of a model that is the same for every network trained by one Adam optimiser: its size
 * for the memory estimate, what a checkpoint saves (weights, both moment slots, the step count) and
 * how it is freed. The GAN has two optimisers and spells its own out.
 */
export function adamModelState(
  params: ParameterSet,
  optimizer: Adam,
  activationsPerExample: number,
): AdamState {
  return {
    size: () => ({
      parameters: params.count(),
      optimizerState: 2 * params.count(),
      activationsPerExample,
    }),
    checkpointTensors: () => [...params.all, ...optimizer.slots('adam')],
    counters: () => ({ 'adam.step': optimizer.step }),
    restoreCounters: (counters) => {
      optimizer.step = counters['adam.step'] ?? 0;
    },
    dispose: () => {
      optimizer.dispose();
      params.dispose();
    },
  };
}
