import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParameterSet } from '../models/layers';
import { useTestBackend } from '../testing/backend';
import { adversarialUpdate } from './adversarialUpdate';
import { Adam } from './optimizer';

// A small GAN: G = tanh(z·Wg + bg) (4 → 6), D = x·Wd + bd (6 → 1), sigmoid cross-entropy losses.
function smallGan() {
  const gParams = new ParameterSet(3);
  const dParams = new ParameterSet(5);
  const wg = gParams.uniform('wg', [4, 6], 0.8);
  const bg = gParams.uniform('bg', [6], 0.3);
  const wd = dParams.uniform('wd', [6, 1], 0.8);
  const bd = dParams.uniform('bd', [1], 0.3);
  const options = { learningRate: 0.05, beta1: 0.5, beta2: 0.999, weightDecay: 0, gradClip: 1 };
  const optG = new Adam(gParams.all, options);
  const optD = new Adam(dParams.all, options);
  const z = tf.randomNormal([8, 4], 0, 1, 'float32', 11) as tf.Tensor2D;
  const real = tf.randomUniform([8, 6], -1, 1, 'float32', 13) as tf.Tensor2D;
  const generate = () => tf.tanh(tf.matMul(z, wg).add(bg)) as tf.Tensor2D;
  const logits = (x: tf.Tensor2D) => tf.matMul(x, wd).add(bd) as tf.Tensor2D;
  const bce = (l: tf.Tensor2D, target: number) =>
    tf.losses.sigmoidCrossEntropy(tf.fill(l.shape, target), l) as tf.Scalar;
  const discriminatorLoss = (fake: tf.Tensor2D) =>
    bce(logits(real), 0.9).add(bce(logits(fake), 0)) as tf.Scalar;
  const generatorLoss = (fake: tf.Tensor2D) => bce(logits(fake), 1);
  const weights = () => [wg, bg, wd, bd].map((v) => Array.from(v.dataSync()));
  const dispose = () => {
    optG.dispose();
    optD.dispose();
    gParams.dispose();
    dParams.dispose();
    tf.dispose([z, real]);
  };
  return { optG, optD, generate, discriminatorLoss, generatorLoss, weights, dispose };
}

describe('adversarialUpdate: both GAN updates from one generator pass', () => {
  beforeAll(async () => {
    await useTestBackend('dense');
  });

  const read = (ts: (tf.Tensor | null)[]) =>
    ts.map((t) => (t as tf.Tensor).dataSync()[0] as number);

  it('leaves every weight and loss as D then G updated on a second pass of the same z would', () => {
    const once = smallGan();
    const twice = smallGan();
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      const single = tf.tidy(() => {
        const { d, g } = adversarialUpdate(once);
        return read([d.loss, g.loss, d.gradNorm, g.gradNorm]);
      });
      // The reference step written out: G passed once per update.
      const passes = tf.tidy(() => {
        const d = twice.optD.minimize(() => twice.discriminatorLoss(twice.generate()));
        const g = twice.optG.minimize(() => twice.generatorLoss(twice.generate()));
        return read([d.loss, g.loss, d.gradNorm, g.gradNorm]);
      });
      // Bit for bit: the same kernels on the same numbers, one pass fewer.
      expect(single).toEqual(passes);
      expect(once.weights()).toEqual(twice.weights());
    }
    expect(tf.memory().numTensors).toBe(before); // nothing kept escapes the caller's tidy
    once.dispose();
    twice.dispose();
  });

  it('updates G through D after its update, so it differs from a G step taken through the old D', () => {
    const once = smallGan();
    const oldD = smallGan();
    tf.tidy(() => void adversarialUpdate(once));
    tf.tidy(() => {
      const fake = oldD.generate(); // not on G's tape: D's update takes it as it is
      oldD.optG.minimize(() => oldD.generatorLoss(oldD.generate()));
      oldD.optD.minimize(() => oldD.discriminatorLoss(fake));
    });
    const [wgOnce, , wdOnce] = once.weights();
    const [wgOld, , wdOld] = oldD.weights();
    expect(wdOnce).toEqual(wdOld); // D's update is the same in both
    expect(wgOnce).not.toEqual(wgOld);
    once.dispose();
    oldD.dispose();
  });
});
