import { describe, expect, it } from 'vitest';
import type { TrainingData } from '../datasets/prepare/trainingData';
import { runConfigFromPreset, type RunConfig } from '../ml/config/presets';
import { judgeDataSufficiency, trainingAmountOf } from './dataSufficiency';

// Only the fields the judgement reads: the training part's size and labels.
function textData(characters: number): TrainingData {
  return { kind: 'text', train: { tokens: new Int32Array(characters) } } as unknown as TrainingData;
}
function imageData(labels: number[]): TrainingData {
  return {
    kind: 'image',
    train: { count: labels.length, labels: Int32Array.from(labels) },
  } as unknown as TrainingData;
}
const gpt = { family: 'char-gpt' } as RunConfig;
const vae = { family: 'conv-vae' } as RunConfig;
const cgan = { family: 'dcgan', config: { classCount: 2 } } as RunConfig;

describe('judgeDataSufficiency', () => {
  it('warns when a text model has more parameters than training characters', () => {
    expect(judgeDataSufficiency(gpt, 100_000, trainingAmountOf(textData(1_000_000))).ok).toBe(true);
    const thin = judgeDataSufficiency(gpt, 100_000, trainingAmountOf(textData(20_000)));
    expect(thin).toMatchObject({ ok: false, figures: { parametersPerCharacter: 5 } });
    expect(thin.message).toMatch(/5\.0 per character/);
  });

  it('warns on too few images, and on a starved class of a conditional GAN', () => {
    expect(
      judgeDataSufficiency(vae, 50_000, trainingAmountOf(imageData(Array(500).fill(0)))).ok,
    ).toBe(true);
    expect(
      judgeDataSufficiency(vae, 50_000, trainingAmountOf(imageData(Array(50).fill(0)))).ok,
    ).toBe(false);
    const starved = judgeDataSufficiency(
      cgan,
      50_000,
      trainingAmountOf(imageData([...Array(2000).fill(0), 1, 1])),
    );
    expect(starved).toMatchObject({ ok: false, figures: { smallestClass: 2 } });
    expect(starved.rule).toMatch(/every class/);
  });

  it('reads whether a real GAN preset is conditional from its config', () => {
    const labels = [...Array(2000).fill(0), 1, 1];
    const plain = runConfigFromPreset('dcgan-tiny', { kind: 'image', channels: 1 });
    expect(judgeDataSufficiency(plain, 10, trainingAmountOf(imageData(labels))).ok).toBe(true);
    const byClass = runConfigFromPreset('dcgan-tiny', {
      kind: 'image',
      channels: 1,
      classCount: 2,
    });
    expect(judgeDataSufficiency(byClass, 10, trainingAmountOf(imageData(labels))).ok).toBe(false);
  });
});
