// The handful of TensorFlow ops the studio's models are made of, as graph nodes, each the op the
// studio's own code calls (tf.matMul, tf.batchNorm, tf.conv2dTranspose, …) so that the exported
// graph computes the same numbers.

import { attr, type GraphBuilder } from './graphBuilder';

/** A checkpoint's tensors by name. */
export type NamedWeights = Map<string, { values: Float32Array; shape: number[] }>;

const T = { T: attr.float() };

export class GraphOps {
  constructor(
    readonly graph: GraphBuilder,
    private readonly weights: NamedWeights,
  ) {}

  /** A checkpoint tensor as a constant of the graph. */
  weight(name: string): string {
    const tensor = this.weights.get(name);
    if (tensor === undefined) throw new Error(`The checkpoint has no tensor ${name}`);
    return this.graph.constant(name, tensor.values, tensor.shape);
  }

  shapeOf(name: string): number[] {
    const tensor = this.weights.get(name);
    if (tensor === undefined) throw new Error(`The checkpoint has no tensor ${name}`);
    return tensor.shape;
  }

  matMul(a: string, b: string): string {
    return this.graph.op('MatMul', [a, b], {
      ...T,
      transpose_a: attr.bool(false),
      transpose_b: attr.bool(false),
    });
  }

  batchMatMul(a: string, b: string): string {
    return this.graph.op('BatchMatMulV2', [a, b], {
      ...T,
      adj_x: attr.bool(false),
      adj_y: attr.bool(false),
    });
  }

  /** x [N, in] · W (+ b): the studio's `affine`. */
  affine(x: string, kernel: string, bias?: string): string {
    const product = this.matMul(x, this.weight(kernel));
    return bias === undefined ? product : this.graph.op('BiasAdd', [product, this.weight(bias)], T);
  }

  /** The studio's `affineLastAxis`: [..., in] → [-1, in] · W (+ b) → [...outer, out]. */
  affineLastAxis(x: string, inner: number, outer: number[], kernel: string, bias?: string): string {
    const flat = this.reshape(x, [-1, inner]);
    const out = this.shapeOf(kernel)[1] ?? 1;
    return this.reshape(this.affine(flat, kernel, bias), [...outer, out]);
  }

  binary(op: 'AddV2' | 'Sub' | 'Mul' | 'RealDiv', a: string, b: string): string {
    return this.graph.op(op, [a, b], T);
  }

  unary(op: 'Relu' | 'Sigmoid' | 'Tanh' | 'Square' | 'Rsqrt' | 'Softmax', x: string): string {
    return this.graph.op(op, [x], T);
  }

  leakyRelu(x: string, alpha: number): string {
    return this.graph.op('LeakyRelu', [x], { ...T, alpha: attr.number(alpha) });
  }

  reshape(x: string, shape: number[]): string {
    return this.graph.op('Reshape', [x, this.graph.ints('shape', shape)], {
      ...T,
      Tshape: attr.dtype('int32'),
    });
  }

  transpose(x: string, perm: number[]): string {
    return this.graph.op('Transpose', [x, this.graph.ints('perm', perm)], {
      ...T,
      Tperm: attr.dtype('int32'),
    });
  }

  /** Outputs `name`, `name:1`, … of splitting x into `count` along `axis`. */
  split(x: string, count: number, axis: number): string[] {
    const node = this.graph.op('Split', [this.graph.scalarInt('axis', axis), x], {
      ...T,
      num_split: attr.int(count),
    });
    return Array.from({ length: count }, (_, k) => (k === 0 ? node : `${node}:${k}`));
  }

  concat(values: string[], axis: number): string {
    return this.graph.op('ConcatV2', [...values, this.graph.scalarInt('axis', axis)], {
      ...T,
      N: attr.int(values.length),
      Tidx: attr.dtype('int32'),
    });
  }

  gather(params: string, indices: string, axis: number): string {
    return this.graph.op('GatherV2', [params, indices, this.graph.scalarInt('axis', axis)], {
      Tparams: attr.float(),
      Tindices: attr.dtype('int32'),
      Taxis: attr.dtype('int32'),
      batch_dims: attr.int(0),
    });
  }

  /** Mean over the last axis, kept: [..., C] → [..., 1]. */
  meanLast(x: string): string {
    return this.graph.op('Mean', [x, this.graph.ints('axis', [-1])], {
      ...T,
      Tidx: attr.dtype('int32'),
      keep_dims: attr.bool(true),
    });
  }

  /** tf.batchNorm(x, mean, variance, offset, scale, ε): the studio's batch norm at sampling time. */
  batchNorm(x: string, prefix: string, epsilon: number): string {
    return this.graph.op(
      'FusedBatchNormV3',
      [
        x,
        this.weight(`${prefix}.gamma`),
        this.weight(`${prefix}.beta`),
        this.weight(`${prefix}.runningMean`),
        this.weight(`${prefix}.runningVar`),
      ],
      { ...T, epsilon: attr.number(epsilon), is_training: attr.bool(false) },
    );
  }

  /** tf.conv2dTranspose(x, kernel, [N, 2h, 2w, out], 2, 'same') + bias, the batch read from x. */
  convTranspose2x(x: string, kernel: string, bias: string, height: number, width: number): string {
    const out = this.shapeOf(kernel)[2] ?? 1;
    const batch = this.graph.op(
      'Slice',
      [
        this.graph.op('Shape', [x], { ...T, out_type: attr.dtype('int32') }),
        this.graph.ints('begin', [0]),
        this.graph.ints('size', [1]),
      ],
      { T: attr.dtype('int32'), Index: attr.dtype('int32') },
    );
    const outputShape = this.graph.op(
      'ConcatV2',
      [
        batch,
        this.graph.ints('spatial', [height * 2, width * 2, out]),
        this.graph.scalarInt('axis', 0),
      ],
      { T: attr.dtype('int32'), N: attr.int(2), Tidx: attr.dtype('int32') },
    );
    const y = this.graph.op('Conv2DBackpropInput', [outputShape, this.weight(kernel), x], {
      ...T,
      strides: attr.ints([1, 2, 2, 1]),
      padding: attr.string('SAME'),
      data_format: attr.string('NHWC'),
      dilations: attr.ints([1, 1, 1, 1]),
    });
    return this.binary('AddV2', y, this.weight(bias));
  }

  /** Class ids [N] (int32) → one-hot floats [N, K]. */
  oneHot(ids: string, depth: number): string {
    return this.graph.op(
      'OneHot',
      [
        ids,
        this.graph.scalarInt('depth', depth),
        this.graph.scalar('on', 1),
        this.graph.scalar('off', 0),
      ],
      { ...T, TI: attr.dtype('int32'), axis: attr.int(-1) },
    );
  }
}
