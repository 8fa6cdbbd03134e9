import { describe, expect, it } from 'vitest';
import type { RunComparison, RunSummary } from '../../../preload/contract';
import { describeComparison } from './compare';

function run(id: number, name: string | null): RunSummary {
  return { id, name } as RunSummary; // describeComparison reads only these two fields of a run
}

describe('describeComparison', () => {
  it('prints the metrics with the best marked and only the config that differs', () => {
    const comparison: RunComparison = {
      runs: [run(1, 'baseline'), run(2, null)],
      metrics: [
        {
          name: 'loss',
          better: 'lower',
          values: [
            { final: 2, best: 1.25, better: 'lower' },
            { final: 1, best: 0.5, better: 'lower' },
          ],
          bestRunId: 2,
        },
      ],
      configDiff: [{ key: 'training.steps', values: [60, 40] }],
      commonSampleSteps: [20],
    };
    const lines = describeComparison(comparison).split('\n');
    expect(lines[1]).toMatch(/run 1 baseline\s+run 2/);
    expect(lines[2]).toMatch(/^loss \(best, lower is better\)\s+1\.250\s+0\.5000 \*$/);
    expect(lines.find((l) => l.startsWith('training.steps'))).toMatch(/60\s+40$/);
  });
});
