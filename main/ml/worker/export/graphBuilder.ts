// Writes a TensorFlow.js graph model (what `tf.loadGraphModel` reads) by hand: a GraphDef-style
// list of TensorFlow op nodes in `modelTopology`, every constant a weight in one binary shard.
// The studio's models are plain tensors and ops (no tf.layers), so an exported model is the same
// ops over the same weights, written as the nodes tfjs-converter executes. Nothing here needs
// tfjs itself: the node shapes are those of tfjs-converter's op list (operations/op_list).

export type GraphDtype = 'float32' | 'int32';

const TF_DTYPE: Record<GraphDtype, string> = { float32: 'DT_FLOAT', int32: 'DT_INT32' };

/** One attribute value as the GraphDef JSON spells it (strings are base64, integers strings). */
type AttrValue =
  | { type: string }
  | { b: boolean }
  | { i: string }
  | { f: number }
  | { s: string }
  | { list: { i: string[] } }
  | { shape: { dim: { size: string }[] } }
  | { tensor: { dtype: string; tensorShape: { dim: { size: string }[] } } };

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: GraphDtype;
}

export interface TensorInfo {
  name: string;
  dtype: string;
  tensorShape: { dim: { size: string }[] };
}

/** The parts of model.json and its one weights shard. */
export interface GraphModelFiles {
  modelJson: Record<string, unknown>;
  weights: Uint8Array;
}

const dims = (shape: readonly number[]): { dim: { size: string }[] } => ({
  dim: shape.map((size) => ({ size: String(size) })),
});

export const attr = {
  float: (): AttrValue => ({ type: TF_DTYPE.float32 }),
  dtype: (dtype: GraphDtype): AttrValue => ({ type: TF_DTYPE[dtype] }),
  bool: (b: boolean): AttrValue => ({ b }),
  int: (i: number): AttrValue => ({ i: String(i) }),
  number: (f: number): AttrValue => ({ f }),
  string: (s: string): AttrValue => ({ s: Buffer.from(s, 'utf8').toString('base64') }),
  ints: (values: number[]): AttrValue => ({ list: { i: values.map(String) } }),
};

/** Collects nodes and constants; names are unique, outputs of multi-output ops are `name:k`. */
export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly specs: WeightSpec[] = [];
  private readonly chunks: Uint8Array[] = [];
  private readonly inputs: Record<string, TensorInfo> = {};
  private readonly names = new Set<string>();
  private counter = 0;

  private unique(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /** A Placeholder the caller feeds; −1 in `shape` is a free size (the batch). */
  input(name: string, dtype: GraphDtype, shape: number[]): string {
    const unique = this.unique(name);
    if (unique !== name) throw new Error(`Duplicate graph input ${name}`);
    this.nodes.push({
      name,
      op: 'Placeholder',
      attr: { dtype: attr.dtype(dtype), shape: { shape: dims(shape) } },
    });
    this.inputs[name] = { name: `${name}:0`, dtype: TF_DTYPE[dtype], tensorShape: dims(shape) };
    return name;
  }

  /** A constant: a Const node whose value is a weight of the shard. */
  constant(name: string, values: Float32Array | Int32Array, shape: number[]): string {
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) {
      throw new Error(
        `Constant ${name} has ${values.length} values for shape [${shape.join(', ')}]`,
      );
    }
    const dtype: GraphDtype = values instanceof Int32Array ? 'int32' : 'float32';
    const unique = this.unique(name);
    this.nodes.push({
      name: unique,
      op: 'Const',
      attr: {
        dtype: attr.dtype(dtype),
        value: { tensor: { dtype: TF_DTYPE[dtype], tensorShape: dims(shape) } },
      },
    });
    this.specs.push({ name: unique, shape, dtype });
    // A copy: the caller's view may share a larger buffer (a checkpoint's weights file).
    this.chunks.push(new Uint8Array(values.slice().buffer));
    return unique;
  }

  ints(name: string, values: number[]): string {
    return this.constant(name, Int32Array.from(values), [values.length]);
  }

  scalarInt(name: string, value: number): string {
    return this.constant(name, Int32Array.of(value), []);
  }

  scalar(name: string, value: number): string {
    return this.constant(name, Float32Array.of(value), []);
  }

  /** An op node over `inputs` (node names, `name:k` for a later output); returns its name. */
  op(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, name = op): string {
    const unique = this.unique(name);
    this.nodes.push({ name: unique, op, input: inputs, attr: attrs });
    return unique;
  }

  inputNames(): string[] {
    return Object.keys(this.inputs);
  }

  /** model.json (with its signature) and the shard it names. */
  build(
    outputs: Record<string, string>,
    weightsPath: string,
    meta: Record<string, unknown>,
  ): GraphModelFiles {
    const total = this.chunks.reduce((n, c) => n + c.byteLength, 0);
    const weights = new Uint8Array(total);
    let at = 0;
    for (const chunk of this.chunks) {
      weights.set(chunk, at);
      at += chunk.byteLength;
    }
    const signatureOutputs = Object.fromEntries(
      Object.entries(outputs).map(([key, node]) => [
        key,
        {
          name: node.includes(':') ? node : `${node}:0`,
          dtype: TF_DTYPE.float32,
          tensorShape: { dim: [] },
        },
      ]),
    );
    return {
      modelJson: {
        format: 'graph-model',
        generatedBy: 'generative-studio',
        convertedBy: null,
        ...meta,
        modelTopology: { node: this.nodes, library: {}, versions: {} },
        signature: { inputs: this.inputs, outputs: signatureOutputs },
        weightsManifest: [{ paths: [weightsPath], weights: this.specs }],
      },
      weights,
    };
  }
}
