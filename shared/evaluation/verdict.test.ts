import { describe, expect, it } from 'vitest';
import type { AuditSummary, RunEvaluation } from '../../preload/contract';
import { formatFigure, verdict } from './verdict';

function evaluation(metrics: Record<string, number>, missingClasses: string[] = []): RunEvaluation {
  return {
    runId: 1,
    versionId: 1,
    datasetId: 1,
    step: 10,
    kind: 'image',
    createdAt: '2026-01-01T00:00:00.000Z',
    sampleCount: 256,
    seed: 1,
    metrics,
    missingClasses,
    imageSamples: [],
    textSamples: [],
    cost: {
      wallSeconds: 1,
      stepsPerSecond: 10,
      backend: 'wasm',
      threads: 2,
      parameters: 10,
      msPerSample: 1,
      msPerCharacter: null,
      memoryBytes: null,
      evaluationSeconds: 1,
    },
    featureNetworkCached: false,
  };
}

const audit = { counts: { 'near-duplicate': 40 } } as unknown as AuditSummary;

describe('verdict', () => {
  it('names the near-copy share and the dataset’s duplicate groups', () => {
    const text = verdict(
      evaluation({
        eval_coverage: 0.8,
        eval_recall: 0.7,
        eval_near_copy_share: 0.12,
        eval_precision: 0.7,
      }),
      audit,
    );
    expect(text).toBe(
      'Samples are diverse but 12% are near copies of training items — the dataset has 40 duplicate groups; removing them is one click in the audit.',
    );
  });

  it('says what is missing from a model that covers little of the data', () => {
    const text = verdict(
      evaluation(
        {
          eval_coverage: 0.6,
          eval_recall: 0.2,
          eval_near_copy_share: 0,
          eval_precision: 0.5,
          eval_data_copying_z: 8,
        },
        ['3', '7'],
      ),
      null,
    );
    expect(text).toContain('reach only 20% of the data');
    expect(text).toContain('miss the classes 3, 7');
    expect(text).toContain('train longer');
  });

  it('reads the data-copying z as best near 0: far below is copying, near 0 healthy', () => {
    const base = {
      eval_coverage: 0.8,
      eval_recall: 0.7,
      eval_near_copy_share: 0.01,
      eval_precision: 0.7,
    };
    const copying = verdict(evaluation({ ...base, eval_data_copying_z: -6 }), null);
    expect(copying).toContain('but they sit closer to training items than new data does');
    expect(copying).not.toContain('train longer');
    const healthy = verdict(evaluation({ ...base, eval_data_copying_z: -0.5 }), null);
    expect(healthy).toBe(
      'Samples are diverse and they are not copies of training items (1% near copies).',
    );
  });

  it('formats shares, counts and missing figures', () => {
    expect(formatFigure(0.123, 'share')).toBe('12.3%');
    expect(formatFigure(8.4, 'count')).toBe('8');
    expect(formatFigure(undefined, 'number')).toBe('—');
  });
});
