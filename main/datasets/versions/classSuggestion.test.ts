import { describe, expect, it } from 'vitest';
import type { SampleEvaluation } from '../../../preload/contract';
import { classSuggestion, commonSuggestion } from './classSuggestion';

function judged(
  label: string,
  confidence: number | null,
  accuracy: number | null,
  chance: number | null,
): SampleEvaluation {
  return {
    kind: 'image',
    step: 10,
    nearestItemId: null,
    nearestBlobSha: null,
    featureDistance: null,
    distanceRatio: null,
    nearCopy: false,
    pixelItemId: null,
    pixelBlobSha: null,
    pixelRms: null,
    predictedClass: { label, confidence, classifierAccuracy: accuracy, classifierChance: chance },
  };
}

const classes = new Set(['3', '7']);

describe('classSuggestion', () => {
  it('preselects only a sure prediction of a classifier that beats chance on held-out items', () => {
    expect(classSuggestion(judged('7', 0.93, 0.9, 0.1), classes)).toMatchObject({
      label: '7',
      confidence: 0.93,
      preselect: true,
    });
    // Skill (0.5 − 0.4) / 0.6 ≈ 0.17: shown, not preselected.
    const weak = classSuggestion(judged('7', 0.93, 0.5, 0.4), classes);
    expect(weak).toMatchObject({ label: '7', preselect: false });
    expect(weak?.why).toMatch(/not good enough/);
    expect(classSuggestion(judged('7', 0.3, 0.9, 0.1), classes)?.why).toMatch(/unsure/);
    expect(classSuggestion(judged('7', 0.9, null, null), classes)?.preselect).toBe(false);
    expect(classSuggestion(judged('9', 0.9, 0.9, 0.1), classes)).toMatchObject({
      preselect: false,
      why: expect.stringMatching(/no class "9"/),
    });
  });

  it('has nothing to say without a prediction', () => {
    expect(classSuggestion(null, classes)).toBeNull();
    expect(
      classSuggestion({ kind: 'text', step: 1, copyStart: 0, copyEnd: 0 }, classes),
    ).toBeNull();
  });

  it('takes the class most preselected suggestions agree on for all', () => {
    const sure = (label: string) => classSuggestion(judged(label, 0.9, 0.9, 0.1), classes);
    const unsure = classSuggestion(judged('3', 0.2, 0.9, 0.1), classes);
    expect(commonSuggestion([sure('7'), sure('3'), sure('7'), unsure, unsure, null])).toBe('7');
    expect(commonSuggestion([unsure, null])).toBeNull();
  });
});
