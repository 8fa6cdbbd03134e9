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

describe('AlarmDetector fed by the quick in-run evaluation', () => {
  /** One validation point as a run records it: the validation loss and the quick figures. */
  const point = (coverage: number, copies: number, recall = coverage) => ({
    val_dLoss: 0.6,
    eval_quick_coverage: coverage,
    eval_quick_recall: recall,
    eval_quick_near_copy_share: copies,
    eval_quick_frechet_distance: 3,
  });

  it('stays quiet while coverage grows from an untrained start and copies stay rare', () => {
    const points = [0, 0.05, 0.2, 0.35, 0.3, 0.45, 0.5, 0.48].map((c, i) =>
      point(c, [0.02, 0.01, 0.03, 0.02, 0.01, 0.02, 0.03, 0.01][i] ?? 0),
    );
    expect(feed(new AlarmDetector('dcgan'), points)).toEqual([]);
  });

  it('raises mode collapse once when coverage falls far under its best at two points in a row', () => {
    const points = [0.1, 0.4, 0.6, 0.55, 0.2, 0.1, 0.05, 0.6].map((c) => point(c, 0.01, 0.5));
    const alarms = feed(new AlarmDetector('dcgan'), points);
    expect(alarms.map((a) => [a.kind, a.step, a.metric])).toEqual([
      ['mode-collapse', 6, 'eval_quick_coverage'],
    ]);
    expect(alarms[0]?.message).toContain('coverage');
  });

  it('raises memorisation when the quick near-copy share keeps rising', () => {
    const points = [0.01, 0.02, 0.04, 0.09, 0.15].map((copies) => point(0.5, copies));
    const alarms = feed(new AlarmDetector('conv-vae'), points);
    expect(alarms.map((a) => [a.kind, a.step, a.metric])).toEqual([
      ['memorisation', 4, 'eval_quick_near_copy_share'],
    ]);
  });

  it('keeps the quick and the full near-copy shares apart: together they are no rising series', () => {
    // The full evaluation (more samples) at the end sits above the quick one; interleaved they
    // would look like a rise at every point.
    const detector = new AlarmDetector('conv-vae');
    const alarms = [1, 2, 3].flatMap((i) => [
      ...detector.observe(i * 10, { eval_quick_near_copy_share: 0.01 }),
      ...detector.observe(i * 10, { eval_near_copy_share: 0.01 * i }),
    ]);
    expect(alarms).toEqual([]);
  });

  it('raises memorisation for a text model whose generated lines become training lines', () => {
    const points = [0, 0.05, 0.3, 0.6].map((share) => ({ eval_quick_line_copy_share: share }));
    const alarms = feed(new AlarmDetector('char-gpt'), points);
    expect(alarms.map((a) => [a.kind, a.step])).toEqual([['memorisation', 3]]);
    expect(alarms[0]?.message).toContain('exact lines of the training text');
  });
});
