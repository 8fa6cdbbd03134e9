import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random';
import { AlarmDetector, meanPairwiseDistance, type RaisedAlarm } from './alarms';

/** A loss falling like a real run's, with seeded noise. */
function fallingLoss(steps: number, seed = 7): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: steps }, (_, i) => 0.5 + 2 * Math.exp(-i / 40) + 0.05 * random());
}

function feed(detector: AlarmDetector, points: Record<string, number>[]): RaisedAlarm[] {
  return points.flatMap((metrics, i) => detector.observe(i + 1, metrics));
}

describe('AlarmDetector', () => {
  it('stays quiet on a healthy falling loss, a noisy GAN and a wobbling validation loss', () => {
    const loss = fallingLoss(300);
    expect(
      feed(
        new AlarmDetector('char-gpt'),
        loss.map((v) => ({ loss: v })),
      ),
    ).toEqual([]);
    const random = seededRandom(3);
    const gan = loss.map(() => ({ dLoss: 0.4 + random(), gLoss: 1 + 3 * random() }));
    expect(feed(new AlarmDetector('dcgan'), gan)).toEqual([]);
    const detector = new AlarmDetector('conv-vae');
    const wobble = [3, 2.5, 2.6, 2.2, 2.3, 2.1, 2.15, 2.0];
    const alarms = wobble.flatMap((v, i) => [
      ...detector.observe(i * 10 + 5, { loss: 3 - i * 0.1 }),
      ...detector.observe(i * 10 + 10, { val_loss: v }),
    ]);
    expect(alarms).toEqual([]);
  });

  it('raises divergence once on a spike over 3× the recent average, and on NaN', () => {
    const points = fallingLoss(100).map((v) => ({ loss: v }));
    points[80] = { loss: 40 };
    points[81] = { loss: 45 };
    const alarms = feed(new AlarmDetector('char-rnn'), points);
    expect(alarms.map((a) => [a.kind, a.step])).toEqual([['divergence', 81]]);
    const nan = feed(new AlarmDetector('dcgan'), [{ gLoss: 1 }, { gLoss: NaN }, { gLoss: NaN }]);
    expect(nan.map((a) => [a.kind, a.step, a.metric])).toEqual([['divergence', 2, 'gLoss']]);
  });

  it('does not call the steep first steps a divergence', () => {
    const points = [{ loss: 0.5 }, { loss: 4 }, ...fallingLoss(50).map((v) => ({ loss: v }))];
    expect(feed(new AlarmDetector('conv-vae'), points)).toEqual([]);
  });

  it('raises mode collapse when the discriminator loss stays near zero', () => {
    const points = Array.from({ length: 200 }, (_, i) => ({
      dLoss: i < 60 ? 0.7 : 0.001,
      gLoss: 5,
    }));
    const alarms = feed(new AlarmDetector('dcgan'), points);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.kind).toBe('mode-collapse');
    expect(alarms[0]?.step).toBeGreaterThan(80);
  });

  it('raises mode collapse when the preview grid loses its diversity, not when it dips once', () => {
    const detector = new AlarmDetector('dcgan');
    const dip = [10, 30, 40, 12, 38, 41].flatMap((v, i) =>
      detector.observe(i * 100, { sample_diversity: v }),
    );
    expect(dip).toEqual([]);
    const collapse = [10, 8, 6].flatMap((v, i) =>
      detector.observe(700 + i * 100, { sample_diversity: v }),
    );
    expect(collapse.map((a) => [a.kind, a.step])).toEqual([['mode-collapse', 800]]);
  });

  it('raises overfitting when validation loss rises three times while training loss falls', () => {
    const detector = new AlarmDetector('char-gpt');
    const validation = [2.0, 1.8, 1.7, 1.75, 1.8, 1.9, 2.0];
    const alarms = validation.flatMap((v, i) => [
      ...detector.observe(i * 10 + 5, { loss: 2 - i * 0.2 }),
      ...detector.observe(i * 10 + 10, { val_loss: v }),
    ]);
    expect(alarms.map((a) => [a.kind, a.step])).toEqual([['overfitting', 60]]);
  });

  it('does not call rising validation loss overfitting when training loss rises too', () => {
    const detector = new AlarmDetector('char-gpt');
    const alarms = [1.7, 1.75, 1.8, 1.9, 2.0].flatMap((v, i) => [
      ...detector.observe(i * 10 + 5, { loss: 1 + i * 0.1 }),
      ...detector.observe(i * 10 + 10, { val_loss: v }),
    ]);
    expect(alarms).toEqual([]);
  });

  it('raises memorisation when the near-copy share rises across evaluations', () => {
    const flat = feed(
      new AlarmDetector('conv-vae'),
      [0.1, 0.12, 0.11, 0.12].map((v) => ({ eval_near_copy_share: v })),
    );
    expect(flat).toEqual([]);
    const rising = feed(
      new AlarmDetector('conv-vae'),
      [0.05, 0.04, 0.1, 0.2].map((v) => ({ eval_near_copy_share: v })),
    );
    expect(rising.map((a) => [a.kind, a.step])).toEqual([['memorisation', 4]]);
  });
});

describe('meanPairwiseDistance', () => {
  it('is zero for identical images and 255 for black against white', () => {
    const black = { pixels: new Uint8Array(16) };
    const white = { pixels: new Uint8Array(16).fill(255) };
    expect(meanPairwiseDistance([black, black, black])).toBe(0);
    expect(meanPairwiseDistance([black, white])).toBe(255);
  });
});
