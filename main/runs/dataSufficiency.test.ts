import { describe, expect, it } from 'vitest';
import type { TrainingAmount } from '../datasets/prepare/trainingData';
import { runConfigFromPreset, type RunConfig } from '../ml/config/presets';
import { judgeDataSufficiency } from './dataSufficiency';

// What the judgement reads, as the version's rows give it: training items per class, and the
// training characters of a text version.
type Amount = TrainingAmount & { kind: 'image' | 'text' };
function textData(characters: number): Amount {
  return { kind: 'text', trainPerClass: [1], trainCharacters: characters };
}
function imageData(labels: number[]): Amount {
  const trainPerClass: number[] = [];
  for (const label of labels) trainPerClass[label] = (trainPerClass[label] ?? 0) + 1;
  return { kind: 'image', trainPerClass: Array.from(trainPerClass, (n) => n ?? 0) };
}
const gpt = { family: 'char-gpt' } as RunConfig;
const vae = { family: 'conv-vae' } as RunConfig;
const cgan = { family: 'dcgan', config: { classCount: 2 } } as RunConfig;

describe('judgeDataSufficiency', () => {
  it('warns when a text model has more parameters than training characters', () => {
    expect(judgeDataSufficiency(gpt, 100_000, textData(1_000_000)).ok).toBe(true);
    const thin = judgeDataSufficiency(gpt, 100_000, textData(20_000));
    expect(thin).toMatchObject({ ok: false, figures: { parametersPerCharacter: 5 } });
    expect(thin.message).toMatch(/5\.0 per character/);
  });

  it('warns on too few images, and on a starved class of a conditional GAN', () => {
    expect(judgeDataSufficiency(vae, 50_000, imageData(Array(500).fill(0))).ok).toBe(true);
    expect(judgeDataSufficiency(vae, 50_000, imageData(Array(50).fill(0))).ok).toBe(false);
    const starved = judgeDataSufficiency(cgan, 50_000, imageData([...Array(2000).fill(0), 1, 1]));
    expect(starved).toMatchObject({ ok: false, figures: { smallestClass: 2 } });
    expect(starved.rule).toMatch(/every class/);
  });

  it('reads whether a real GAN preset is conditional from its config', () => {
    const labels = [...Array(2000).fill(0), 1, 1];
    const plain = runConfigFromPreset('dcgan-tiny', { kind: 'image', channels: 1 });
    expect(judgeDataSufficiency(plain, 10, imageData(labels)).ok).toBe(true);
    const byClass = runConfigFromPreset('dcgan-tiny', {
      kind: 'image',
      channels: 1,
      classCount: 2,
    });
    expect(judgeDataSufficiency(byClass, 10, imageData(labels)).ok).toBe(false);
  });
});
