import type { SampleView } from '../../preload/contract';

/**
 * The grids training drew, by step. Training draws them from noise (or a prompt) fixed by the
 * run's seed, so index i at every step is the same latent: the first grid's size is how many of
 * each step's samples are those (samples drawn afterwards from a checkpoint come after them).
 */
export function trainingGrids(samples: readonly SampleView[]): Map<number, SampleView[]> {
  const byStep = new Map<number, SampleView[]>();
  for (const s of samples) byStep.set(s.step, [...(byStep.get(s.step) ?? []), s]);
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const gridSize = byStep.get(steps[0] ?? -1)?.length ?? 0;
  return new Map(
    steps.map((step) => [
      step,
      (byStep.get(step) ?? []).sort((a, b) => a.index - b.index).slice(0, gridSize),
    ]),
  );
}
