import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParameterSet } from '../models/layers';
import { useTestBackend } from '../testing/backend';
import { Adam } from './optimizer';

describe('Adam / AdamW', () => {
  beforeAll(async () => {
    await useTestBackend('dense');
  });

  const options = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, weightDecay: 0, gradClip: 0 };

  it('takes PyTorch’s first step: lr · sign(g) (bias-corrected), AdamW shrinks decayed weights', () => {
    const params = new ParameterSet(1);
    const w = params.constant('w', [2], 1); // a plain bias-like parameter: no decay
    const k = params.uniform('k', [2], 0.5); // a weight: decayed
    const adam = new Adam(params.all, { ...options, weightDecay: 0.5 });
    const kBefore = Array.from(k.dataSync());
    tf.tidy(() => {
      adam.minimize(
        () =>
          w
            .mul(tf.tensor1d([3, -2]))
            .sum()
            .add(k.sum().mul(0)) as tf.Scalar,
      );
    });
    const wAfter = Array.from(w.dataSync());
    expect(wAfter[0]).toBeCloseTo(0.9, 5);
    expect(wAfter[1]).toBeCloseTo(1.1, 5);
    // Zero gradient: only the decoupled decay moves k, by lr · wd.
    Array.from(k.dataSync()).forEach((v, i) =>
      expect(v).toBeCloseTo((kBefore[i] ?? 0) * (1 - 0.1 * 0.5), 5),
    );
    expect(adam.step).toBe(1);
    adam.dispose();
    params.dispose();
  });

  it('clips the global gradient norm and reports it before clipping', () => {
    const params = new ParameterSet(1);
    const w = params.constant('w', [2], 0);
    const adam = new Adam(params.all, {
      ...options,
      beta1: 0,
      beta2: 0,
      gradClip: 1,
      learningRate: 1,
    });
    const norm = tf.tidy(
      () =>
        adam
          .minimize(() => w.mul(tf.tensor1d([30, 40])).sum() as tf.Scalar)
          .gradNorm?.dataSync()[0],
    );
    expect(norm).toBeCloseTo(50, 4);
    const m = adam
      .slots('adam')
      .find((s) => s.name === 'adam.m.w')
      ?.variable.dataSync();
    expect(m?.[0]).toBeCloseTo(0.6, 5); // clipped gradient 30/50
    expect(m?.[1]).toBeCloseTo(0.8, 5);
    adam.dispose();
    params.dispose();
  });
});
