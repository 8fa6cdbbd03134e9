import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../testing/backend';
import { lstmSequence } from './lstmSequence';

/** The textbook step-by-step LSTM, differentiated by tfjs's autograd: the reference. */
function lstmByAutograd(
  x: tf.Tensor3D,
  wIn: tf.Tensor2D,
  bIn: tf.Tensor1D,
  wHid: tf.Tensor2D,
  bHid: tf.Tensor1D,
): tf.Tensor3D {
  const [batch, steps] = x.shape;
  const hidden = wHid.shape[0];
  let h: tf.Tensor2D = tf.zeros([batch, hidden]);
  let c: tf.Tensor2D = tf.zeros([batch, hidden]);
  const outputs: tf.Tensor2D[] = [];
  for (let t = 0; t < steps; t++) {
    const xt = x.slice([0, t, 0], [batch, 1, x.shape[2]]).reshape([batch, x.shape[2]]);
    const gates = tf.matMul(xt, wIn).add(bIn).add(tf.matMul(h, wHid)).add(bHid);
    const [i, f, g, o] = tf.split(gates, 4, 1);
    c = tf
      .sigmoid(f as tf.Tensor)
      .mul(c)
      .add(tf.sigmoid(i as tf.Tensor).mul(tf.tanh(g as tf.Tensor)));
    h = tf.sigmoid(o as tf.Tensor).mul(tf.tanh(c));
    outputs.push(h);
  }
  return tf.stack(outputs, 1) as tf.Tensor3D;
}

describe('lstmSequence (hand-written backpropagation through time)', () => {
  beforeAll(async () => {
    await useTestBackend('dense');
  });

  it('matches the autograd LSTM in value and in every gradient', () => {
    const [B, T, In, H] = [3, 6, 4, 5];
    const seeded = (shape: number[], seed: number) =>
      tf.randomNormal(shape, 0, 0.7, 'float32', seed);
    const inputs = [
      seeded([B, T, In], 1),
      seeded([In, 4 * H], 2),
      seeded([4 * H], 3),
      seeded([H, 4 * H], 4),
      seeded([4 * H], 5),
    ] as [tf.Tensor3D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
    const weights = seeded([B, T, H], 6); // a loss that weighs every output differently
    const loss =
      (f: (...a: typeof inputs) => tf.Tensor) =>
      (...a: tf.Tensor[]) =>
        f(...(a as typeof inputs))
          .mul(weights)
          .sum();
    const fused = tf.grads(loss((...a) => lstmSequence(...a)));
    const reference = tf.grads(loss(lstmByAutograd));
    const [ours, theirs] = [fused(inputs), reference(inputs)];
    ours.forEach((grad, k) => {
      expect(grad.shape).toEqual(inputs[k]?.shape);
      const diff = tf.max(tf.abs(grad.sub(theirs[k] as tf.Tensor))).dataSync()[0];
      expect(diff).toBeLessThan(1e-5);
    });
    const valueDiff = tf
      .max(tf.abs((lstmSequence(...inputs) as tf.Tensor).sub(lstmByAutograd(...inputs))))
      .dataSync()[0];
    expect(valueDiff).toBeLessThan(1e-6);
    tf.dispose([...ours, ...theirs]);
    tf.dispose([...inputs, weights]);
  });
});
