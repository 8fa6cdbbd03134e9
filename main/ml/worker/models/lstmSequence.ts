// A whole LSTM layer over a sequence as one op with a hand-written backward pass (backpropagation
// through time). tfjs's autograd of the step-by-step loop transposes W_hh and runs two small
// matMuls per time step; here the weight gradients are two big matMuls over all steps at once and
// W_hhᵀ is made once, which is what makes a character LSTM affordable on the wasm backend.
//
// PyTorch's equations, gate order i, f, g, o, both biases:
//   gates = x_t·W_ih + b_ih + h·W_hh + b_hh;  c = σ(f)·c + σ(i)·tanh(g);  h = σ(o)·tanh(c)

import * as tf from '@tensorflow/tfjs';
import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from '../wasm/lstmCell';

/**
 * The T time steps of a time-major [T, B, F] tensor as T × [B, F]. Gathers rather than unstacks:
 * the wasm backend's Slice (and so Unpack and Split) reads the whole input back for every slice,
 * which made slicing, not arithmetic, most of an LSTM step; its Gather runs natively.
 */
function timeSteps(timeMajor: tf.Tensor): tf.Tensor2D[] {
  const [steps, batch, features] = timeMajor.shape as [number, number, number];
  const flat = timeMajor.reshape([steps, batch * features]); // [T, B·F]
  return Array.from({ length: steps }, (_, t) =>
    tf.tidy(() => tf.gather(flat, tf.tensor1d([t], 'int32')).reshape([batch, features])),
  ) as tf.Tensor2D[];
}

/** x [B, T, in] → hidden states [B, T, H], from zero initial state. */
export function lstmSequence(
  x: tf.Tensor,
  inputKernel: tf.Tensor2D,
  inputBias: tf.Tensor1D,
  hiddenKernel: tf.Tensor2D,
  hiddenBias: tf.Tensor1D,
): tf.Tensor3D {
  const fused =
    tf.getBackend() === 'wasm' &&
    tf.getKernel(LSTM_SEQUENCE, 'wasm') !== undefined &&
    tf.getKernel(LSTM_SEQUENCE_GRAD, 'wasm') !== undefined;
  const run = fused ? lstmByKernels : lstmByOps;
  return run(x, inputKernel, inputBias, hiddenKernel, hiddenBias) as tf.Tensor3D;
}

/**
 * The input projection of every step in one matMul, [T·B, in] · [in, 4H] with both biases, shared
 * by the two paths so they stay the same maths: the time-major inputs [T·B, in] (kept for the
 * weight gradient) and the projected gates [T, B, 4H].
 */
function projectInputs(
  x: tf.Tensor3D,
  inputKernel: tf.Tensor2D,
  inputBias: tf.Tensor1D,
  hiddenBias: tf.Tensor1D,
  hidden: number,
): { timeMajor: tf.Tensor2D; projected: tf.Tensor3D } {
  const [batch, steps, inputs] = x.shape;
  const timeMajor = x.transpose([1, 0, 2]).reshape([steps * batch, inputs]) as tf.Tensor2D;
  const projected = tf.fused
    .matMul({ a: timeMajor, b: inputKernel, bias: inputBias.add(hiddenBias) })
    .reshape([steps, batch, 4 * hidden]) as tf.Tensor3D;
  return { timeMajor, projected };
}

/**
 * The recurrence in two kernels (wasm/lstmCell.ts): the same maths as `lstmByOps` below, to the
 * bit, in a few kernel calls instead of ~19 per time step. The input projection and the weight
 * gradients stay big products over all steps, as there.
 */
export const lstmByKernels = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, inputKernel, inputBias, hiddenKernel, hiddenBias, save] = args as [
    tf.Tensor3D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.GradSaveFunc,
  ];
  const [batch, steps, inputs] = x.shape;
  const hidden = hiddenKernel.shape[0];
  const { timeMajor, projected } = projectInputs(x, inputKernel, inputBias, hiddenBias, hidden);
  const [out, hPrev, cells, acts, tanhC] = tf
    .engine()
    .runKernel(LSTM_SEQUENCE, { projected, hiddenKernel }) as tf.Tensor[];
  save([timeMajor, inputKernel, hiddenKernel, hPrev, cells, acts, tanhC] as tf.Tensor[]);
  return {
    value: out as tf.Tensor3D, // [B, T, H]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, wIn, wHid, hs, cs, as, tcs] = saved as [
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const hiddenT = tf.transpose(wHid); // [4H, H]
      const dGates = tf.engine().runKernel(LSTM_SEQUENCE_GRAD, {
        dy,
        acts: as,
        cells: cs,
        tanhC: tcs,
        hiddenT,
      }) as tf.Tensor;
      const allGates = dGates.reshape([steps * batch, 4 * hidden]) as tf.Tensor2D; // [T·B, 4H]
      const hPrevRows = hs.reshape([steps * batch, hidden]) as tf.Tensor2D;
      const shape: [number, number, number] = [batch, steps, inputs];
      return weightGradients(allGates, hPrevRows, xs, wIn, shape);
    },
  };
});

/**
 * The gradients of x and the four weights from the gates' gradient [T·B, 4H], the hidden states
 * before each step [T·B, H] and the time-major inputs [T·B, in].
 */
function weightGradients(
  allGates: tf.Tensor2D,
  hPrev: tf.Tensor2D,
  xs: tf.Tensor2D,
  wIn: tf.Tensor2D,
  [batch, steps, inputs]: [number, number, number],
): tf.Tensor[] {
  // Both weight gradients as (dGatesᵀ·input)ᵀ, sharing one transpose of dGates: the right-hand
  // operand of a product is packed for XNNPACK at ~2× the cost of a transpose, so packing the
  // narrow inputs rather than the [T·B, 4H] gradient twice saves ~30 % (108 → 76 ms at one
  // thread for the reference charlstm).
  const gatesT = tf.transpose(allGates); // [4H, T·B]
  const dHiddenKernel = tf.transpose(tf.matMul(gatesT, hPrev)); // [H, 4H]
  const dInputKernel = tf.transpose(tf.matMul(gatesT, xs)); // [in, 4H]
  const dBias = tf.sum(allGates, 0); // [4H]
  const dx = tf
    .matMul(allGates, tf.transpose(wIn)) // [T·B, in]
    .reshape([steps, batch, inputs])
    .transpose([1, 0, 2]); // [B, T, in]
  return [dx, dInputKernel, dBias, dHiddenKernel, dBias];
}

/** The recurrence op by op, on any backend. */
export const lstmByOps = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, inputKernel, inputBias, hiddenKernel, hiddenBias, save] = args as [
    tf.Tensor3D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.GradSaveFunc,
  ];
  const [batch, steps, inputs] = x.shape;
  const hidden = hiddenKernel.shape[0];
  const { timeMajor, projected } = projectInputs(x, inputKernel, inputBias, hiddenBias, hidden);
  const perStep = timeSteps(projected); // T × [B, 4H]
  let h = tf.zeros([batch, hidden]) as tf.Tensor2D;
  let c = tf.zeros([batch, hidden]) as tf.Tensor2D;
  const kept: Record<'i' | 'f' | 'g' | 'o' | 'tanhC' | 'hPrev' | 'cPrev', tf.Tensor2D[]> = {
    i: [],
    f: [],
    g: [],
    o: [],
    tanhC: [],
    hPrev: [],
    cPrev: [],
  };
  for (const gates of perStep) {
    const [ri, rf, rg, ro] = tf.split(gates.add(tf.matMul(h, hiddenKernel)), 4, 1) as tf.Tensor2D[];
    const i = tf.sigmoid(ri as tf.Tensor2D);
    const f = tf.sigmoid(rf as tf.Tensor2D);
    const g = tf.tanh(rg as tf.Tensor2D);
    const o = tf.sigmoid(ro as tf.Tensor2D);
    kept.hPrev.push(h);
    kept.cPrev.push(c);
    c = f.mul(c).add(i.mul(g));
    const tanhC = tf.tanh(c);
    h = o.mul(tanhC);
    kept.i.push(i);
    kept.f.push(f);
    kept.g.push(g);
    kept.o.push(o);
    kept.tanhC.push(tanhC);
  }
  const outputs = tf.stack(kept.hPrev.slice(1).concat([h])); // [T, B, H]
  // Every step's tensors are saved as they are (saving clones a handle, not the data).
  const names = ['i', 'f', 'g', 'o', 'tanhC', 'hPrev', 'cPrev'] as const;
  save([timeMajor, inputKernel, hiddenKernel, ...names.flatMap((name) => kept[name])]);
  return {
    value: outputs.transpose([1, 0, 2]), // [B, T, H]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, wIn, wHid] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const perName = (k: number): tf.Tensor2D[] =>
        saved.slice(3 + k * steps, 3 + (k + 1) * steps) as tf.Tensor2D[];
      const [is, fs, gs, os, tcs, hps, cps] = names.map((_, k) => perName(k));
      const dOut = timeSteps(dy.transpose([1, 0, 2])); // T × [B, H]
      const hiddenT = tf.transpose(wHid); // [4H, H], once per sequence
      let dhNext = tf.zeros([batch, hidden]) as tf.Tensor2D;
      let dcNext = tf.zeros([batch, hidden]) as tf.Tensor2D;
      const dGates: tf.Tensor2D[] = new Array<tf.Tensor2D>(steps);
      const sigmoidSlope = (y: tf.Tensor): tf.Tensor => y.sub(y.square()); // σ' from σ
      const tanhSlope = (y: tf.Tensor): tf.Tensor => tf.sub(1, y.square()); // tanh' from tanh
      // Every step's local derivatives at once, as [T, B, ·] ops, so that the sequential loop below
      // runs 7 small kernels a step instead of ~25 (on wasm each kernel on a [B, H] tensor costs
      // more in dispatch than in arithmetic):
      //   dc = dh·o·tanh′(c) + dc_next;   dGates = [dc, dc, dc, dh] ⊙ [g·σ′(i), c_prev·σ′(f), i·tanh′(g), tanh(c)·σ′(o)]
      const [I, F, G, O, tanhC, cPrev] = [is, fs, gs, os, tcs, cps].map((list) =>
        tf.stack(list ?? []),
      ) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D]; // [T, B, H]
      const cellSlopes = tf.unstack(O.mul(tanhSlope(tanhC))) as tf.Tensor2D[]; // T × [B, H]
      const gateSlopes = tf.unstack(
        tf.concat(
          [
            G.mul(sigmoidSlope(I)),
            cPrev.mul(sigmoidSlope(F)),
            I.mul(tanhSlope(G)),
            tanhC.mul(sigmoidSlope(O)),
          ],
          2,
        ),
      ) as tf.Tensor2D[]; // T × [B, 4H]
      for (let t = steps - 1; t >= 0; t--) {
        const dh = (dOut[t] as tf.Tensor2D).add(dhNext);
        const dc = dh.mul(cellSlopes[t] as tf.Tensor2D).add(dcNext);
        const gates = tf
          .concat([dc, dc, dc, dh], 1)
          .mul(gateSlopes[t] as tf.Tensor2D) as tf.Tensor2D; // [B, 4H]
        dGates[t] = gates;
        dhNext = tf.matMul(gates, hiddenT); // [B, H]
        dcNext = dc.mul(fs?.[t] as tf.Tensor2D) as tf.Tensor2D;
      }
      const allGates = tf.concat(dGates, 0) as tf.Tensor2D; // [T·B, 4H]
      const hPrev = tf.concat(hps ?? [], 0) as tf.Tensor2D; // [T·B, H]
      return weightGradients(allGates, hPrev, xs, wIn, [batch, steps, inputs]);
    },
  };
});
