import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError, seededValues } from '../testing/kernels';
import { batchNormTraining } from './batchNormTraining';
import { batchNorm, batchNormParams, ParameterSet } from './layers';

/** Output, statistics and the gradients of Σ y·w for x, γ and β, by both formulations. */
function compare(shape: number[]) {
  const features = shape[shape.length - 1] ?? 1;
  const size = shape.reduce((a, b) => a * b, 1);
  const params = new ParameterSet(3);
  const bn = batchNormParams(params, 'bn', features);
  bn.gamma.assign(tf.tensor1d(seededValues(features, 1)).add(1.5));
  bn.beta.assign(tf.tensor1d(seededValues(features, 2)));
  // A non-zero mean and a spread far from 1, so the statistics' gradients matter.
  const x = tf.tensor(seededValues(size, 3), shape).mul(3).add(0.7);
  const weights = tf.tensor(seededValues(size, 4), shape);
  const run = (closedForm: boolean) => {
    let kept: tf.Tensor[] = [];
    const f = (input: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
      if (closedForm) {
        const { y, stats } = batchNormTraining(input, gamma as tf.Tensor1D, beta as tf.Tensor1D);
        kept = [stats.mean, stats.variance];
        return y.mul(weights).sum();
      }
      const { y, mean, variance } = batchNorm(
        input,
        { ...bn, gamma: gamma as tf.Variable, beta: beta as tf.Variable },
        true,
      );
      kept = [tf.keep(mean as tf.Tensor), tf.keep(variance as tf.Tensor)];
      return y.mul(weights).sum();
    };
    const { value, grads } = tf.valueAndGrads(f)([x, bn.gamma, bn.beta]);
    const out = [value, ...grads, ...kept].map((t) => t.dataSync() as Float32Array);
    tf.dispose([value, ...grads, ...kept]);
    return out;
  };
  const ours = run(true);
  const reference = run(false);
  tf.dispose([x, weights]);
  params.dispose();
  return ours.map((values, i) => relativeError(values, reference[i] as Float32Array));
}

describe('batchNormTraining', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([[[16, 12]], [[4, 5, 3, 6]]])(
    'matches batchNorm built from tfjs ops, value and gradients, for x %j',
    (shape) => {
      const errors = compare(shape);
      // value, ∂x, ∂γ, ∂β, mean, variance
      expect(errors).toHaveLength(6);
      for (const error of errors) expect(error).toBeLessThan(1e-5);
    },
  );

  it('leaves no tensors behind once the caller disposes the statistics', () => {
    const x = tf.tensor2d(seededValues(24, 5), [6, 4]);
    const gamma = tf.ones([4]) as tf.Tensor1D;
    const beta = tf.zeros([4]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    const g = tf.grads((input: tf.Tensor) => {
      const { y, stats } = batchNormTraining(input, gamma, beta);
      tf.dispose([stats.mean, stats.variance]);
      return y.square().sum();
    })([x]);
    tf.dispose(g);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gamma, beta]);
  });
});
