// One GAN step's two updates from one generator pass, the way the reference models take them
// (PyTorch's DCGAN: fake = G(z); D steps on fake.detach(); G steps on D(fake) through the D that
// has just been updated). Passing G twice, once per update, costs a generator forward and its
// batch-norm work every step for fakes that are the same numbers when z is.
//
// tfjs has no detach and keeps no tape between two gradient calls, so G's update is the outer
// gradient and D's runs inside it: the outer tape holds the generator pass, the inner gradient is
// taken for D's weights only (nothing flows into G from D's loss), and D's update is an assign,
// which no tape follows, so G's gradient sees only the generator loss through D after its update.

import * as tf from '@tensorflow/tfjs';
import type { Adam, Minimized } from './optimizer';

export interface AdversarialUpdateInput<Fake> {
  optD: Adam;
  optG: Adam;
  /** The generator pass; runs once, on G's tape. */
  generate: () => Fake;
  /** D's loss on real items and these fakes, under D's current weights. */
  discriminatorLoss: (fake: Fake) => tf.Scalar;
  /** G's loss on the same fakes, called after D's update. */
  generatorLoss: (fake: Fake) => tf.Scalar;
  learningRateScale?: number;
}

/** Call inside tf.tidy; the returned losses and norms are tensors still to be read there. */
export function adversarialUpdate<Fake>(input: AdversarialUpdateInput<Fake>): {
  d: Minimized;
  g: Minimized;
} {
  const { optD, optG, learningRateScale } = input;
  const inner: { d?: Minimized } = {};
  const g = optG.minimize(() => {
    const fake = input.generate();
    const { loss, gradNorm } = optD.minimize(
      () => input.discriminatorLoss(fake),
      learningRateScale,
    );
    // Kept past the outer gradient's forward scope, which frees all but its own loss on return.
    inner.d = { loss: tf.keep(loss), gradNorm: gradNorm === null ? null : tf.keep(gradNorm) };
    return input.generatorLoss(fake);
  }, learningRateScale);
  const kept = inner.d;
  if (kept === undefined) throw new Error('The discriminator update did not run');
  // Clones share the data and belong to the caller's tidy; the kept originals are let go.
  const d: Minimized = { loss: kept.loss.clone(), gradNorm: kept.gradNorm?.clone() ?? null };
  kept.loss.dispose();
  kept.gradNorm?.dispose();
  return { d, g };
}
