/**
 * Converts a small float TFLite graph (read by tfliteModel.ts) to ONNX, op by op, for the MediaPipe face
 * models: FaceMesh V2 (CONV_2D, DEPTHWISE_CONV_2D, PRELU, ADD, MAX_POOL_2D, PAD, RESHAPE, LOGISTIC) and the
 * blendshape MLP-Mixer (MEAN, SUM, MUL, ADD, SUB, DIV, SQRT, RSQRT, NEG, SQUARED_DIFFERENCE, TRANSPOSE,
 * CONV_2D 1x1, CONCATENATION, STRIDED_SLICE, RESHAPE, LOGISTIC). An op outside that set is an error naming it.
 *
 * Layout: TFLite is NHWC, ONNX's Conv and pools are NCHW. Every rank-4 tensor is therefore held in ONNX
 * transposed to NCHW (activations and constants alike), and each op maps its axes accordingly; tensors of
 * other ranks keep TFLite's layout. So a convolution stack needs no Transpose at all, and only RESHAPE
 * (which depends on memory order) and rank-changing slices go through NHWC.
 *
 * Batch: the first dimension is the batch, symbolic ("N") in the ONNX inputs and outputs, so one call can
 * carry several faces. Reshapes copy it (target dim 0 = 0) and a slice never drops it; each graph output is
 * flattened to [N, values] in TFLite's element order.
 *
 * DEQUANTIZE of a float16 constant becomes a constant: float32 by default, or (`weights: 'float16'`) kept
 * as float16 with a Cast, for a file half the size. Same input, same bytes: no clock, no randomness.
 */
import type { OnnxAttribute, OnnxInitializer, OnnxNode } from './onnxGraphWriter';
import { encodeOnnxModel, intAttr, intsAttr } from './onnxGraphWriter';
import type { TfliteGraph, TfliteOperator } from './tfliteModel';
import { constantValues, TENSOR_FLOAT16 } from './tfliteModel';

export interface ConversionOptions {
  graphName: string;
  /** ONNX names for the TFLite graph inputs and outputs, in their order. */
  inputNames: readonly string[];
  outputNames: readonly string[];
  docString: string;
  /** How dequantised float16 weights are stored (default float32). */
  weights?: 'float32' | 'float16';
}

export const TFLITE_ONNX_OPSET = 13;
const IR_VERSION = 7;

/** NHWC axis -> NCHW axis, and the two Transpose permutations between the layouts. */
const NCHW_AXIS = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** What an ONNX value is: its name, TFLite shape, and for constants the values (in TFLite's layout). */
interface Value {
  name: string;
  shape: number[];
  constant?: Float32Array;
  /** Stored as float16 in the file (its constant values are exact halves). */
  half?: boolean;
}

export function tfliteToOnnx(graph: TfliteGraph, options: ConversionOptions): Uint8Array {
  const c = new Converter(graph, options.weights ?? 'float32');
  graph.inputs.forEach((t, i) => c.bindInput(t, options.inputNames[i] ?? `input_${i}`));
  for (const [index, op] of graph.operators.entries()) c.convert(op, index);
  const outputs = graph.outputs.map((t, i) => c.bindOutput(t, options.outputNames[i] ?? `output_${i}`));
  return encodeOnnxModel(
    {
      name: options.graphName,
      nodes: c.nodes,
      initializers: c.initializers,
      inputs: graph.inputs.map((t, i) => ({ name: options.inputNames[i] ?? `input_${i}`, shape: ['N', ...onnxDims(graph.tensors[t]!.shape).slice(1)] })),
      outputs: outputs.map((o) => ({ name: o.name, shape: ['N', o.size] })),
    },
    { opsetVersion: TFLITE_ONNX_OPSET, irVersion: IR_VERSION, producerName: 'emotion-lens scripts/models/tfliteToOnnx.ts', producerVersion: '1', docString: options.docString },
  );
}

/** A TFLite shape as held in ONNX (rank 4 becomes NCHW). */
function onnxDims(shape: readonly number[]): number[] {
  return shape.length === 4 ? TO_NCHW.map((a) => shape[a]!) : [...shape];
}

/** Row-major `values` of `shape` permuted by `perm` (output axis i is input axis perm[i]). */
export function permute(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const outShape = perm.map((a) => shape[a]!);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((n, d) => n * d, 1));
  const out = new Float32Array(values.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < perm.length; i++) src += index[i]! * strides[perm[i]!]!;
    out[o] = values[src]!;
    for (let i = perm.length - 1; i >= 0; i--) {
      if (++index[i]! < outShape[i]!) break;
      index[i] = 0;
    }
  }
  return out;
}

class Converter {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private readonly values = new Map<number, Value>();
  private readonly emitted = new Set<string>();
  private counter = 0;

  constructor(private readonly graph: TfliteGraph, private readonly weights: 'float32' | 'float16') {}

  bindInput(t: number, name: string): void {
    this.values.set(t, { name, shape: this.graph.tensors[t]!.shape });
  }

  /** Flattens a graph output to [N, size] in TFLite's element order under the ONNX output name. */
  bindOutput(t: number, name: string): { name: string; size: number } {
    const v = this.value(t);
    const size = v.shape.slice(1).reduce((n, d) => n * d, 1);
    const nhwc = v.shape.length === 4 && v.shape[1]! * v.shape[2]! > 1 ? this.node('Transpose', [this.use(v)], [intsAttr('perm', TO_NHWC)]) : this.use(v);
    this.node('Flatten', [nhwc], [intAttr('axis', 1)], name);
    return { name, size };
  }

  convert(op: TfliteOperator, index: number): void {
    const input = (i: number): Value => this.value(op.inputs[i]!);
    const out = this.graph.tensors[op.outputs[0]!]!;
    const set = (name: string): void => void this.values.set(out.index, { name, shape: out.shape });
    const unary = (opType: string): void => set(this.node(opType, [this.use(input(0))]));
    const binary = (opType: string): string => this.node(opType, [this.broadcastable(input(0), out.shape), this.broadcastable(input(1), out.shape)]);
    switch (op.op) {
      case 'DEQUANTIZE': return this.dequantize(op);
      case 'CONV_2D': return set(this.activation(this.conv(op, false), op.option(3, 'byte')));
      case 'DEPTHWISE_CONV_2D': return set(this.activation(this.conv(op, true), op.option(4, 'byte')));
      case 'MAX_POOL_2D': case 'AVERAGE_POOL_2D': return set(this.activation(this.pool(op), op.option(5, 'byte')));
      case 'ADD': return set(this.activation(binary('Add'), op.option(0, 'byte')));
      case 'SUB': return set(this.activation(binary('Sub'), op.option(0, 'byte')));
      case 'MUL': return set(this.activation(binary('Mul'), op.option(0, 'byte')));
      case 'DIV': return set(this.activation(binary('Div'), op.option(0, 'byte')));
      case 'SQUARED_DIFFERENCE': { const d = binary('Sub'); return set(this.node('Mul', [d, d])); }
      case 'PRELU': return set(this.node('PRelu', [this.use(input(0)), this.broadcastable(input(1), out.shape)]));
      case 'LOGISTIC': return unary('Sigmoid');
      case 'NEG': return unary('Neg');
      case 'SQRT': return unary('Sqrt');
      case 'RSQRT': return set(this.node('Reciprocal', [this.node('Sqrt', [this.use(input(0))])]));
      case 'RELU': return unary('Relu');
      case 'MEAN': case 'SUM': return set(this.reduce(op));
      case 'PAD': return set(this.pad(op));
      case 'RESHAPE': return set(this.reshape(input(0), out.shape));
      case 'TRANSPOSE': return set(this.transpose(op));
      case 'CONCATENATION': return set(this.concat(op));
      case 'STRIDED_SLICE': {
        // A shrunk batch axis stays in ONNX (see stridedSlice): the held shape keeps it too.
        const keptBatch = Boolean((op.option(4, 'int') ?? 0) & 1);
        return void this.values.set(out.index, { name: this.stridedSlice(op), shape: keptBatch ? [1, ...out.shape] : out.shape });
      }
      default: throw new Error(`TFLite op ${index} (${op.op}) has no ONNX conversion here`);
    }
  }

  private value(t: number): Value {
    const known = this.values.get(t);
    if (known) return known;
    const tensor = this.graph.tensors[t]!;
    if (!tensor.data) throw new Error(`TFLite tensor ${tensor.name} is read before any op produces it`);
    const v: Value = { name: this.fresh(tensor.name), shape: tensor.shape, constant: constantValues(tensor) };
    this.values.set(t, v);
    return v;
  }

  /** The ONNX name of `v`, writing its initializer (rank 4 in NCHW) the first time a constant is used. */
  private use(v: Value): string {
    if (v.constant && !this.emitted.has(v.name)) {
      this.emitted.add(v.name);
      const data = v.shape.length === 4 ? permute(v.constant, v.shape, TO_NCHW) : v.constant;
      if (v.half) {
        this.initializers.push({ name: `${v.name}_f16`, dims: onnxDims(v.shape), data, type: 'float16' });
        this.node('Cast', [`${v.name}_f16`], [intAttr('to', 1)], v.name);
      } else {
        this.initializers.push({ name: v.name, dims: onnxDims(v.shape), data });
      }
    }
    return v.name;
  }

  private dequantize(op: TfliteOperator): void {
    const source = this.graph.tensors[op.inputs[0]!]!;
    const out = this.graph.tensors[op.outputs[0]!]!;
    if (!source.data) throw new Error(`DEQUANTIZE of a non-constant (${source.name}) is not supported`);
    const half = source.type === TENSOR_FLOAT16 && this.weights === 'float16';
    this.values.set(out.index, { name: this.fresh(out.name), shape: out.shape, constant: constantValues(source), half });
  }

  /**
   * A binary op's operand, made to broadcast in ONNX as it does in TFLite: against a rank-4 (NCHW) result,
   * a constant of lower rank is padded with leading 1s to rank 4 and permuted like the rest.
   */
  private broadcastable(v: Value, outShape: readonly number[]): string {
    if (outShape.length !== 4 || v.shape.length === 4 || v.shape.length === 0) return this.use(v);
    if (!v.constant) throw new Error(`cannot broadcast the rank-${v.shape.length} activation ${v.name} against a rank-4 one`);
    const shape = [...new Array<number>(4 - v.shape.length).fill(1), ...v.shape];
    const key = `${v.name}_r4`;
    const lifted: Value = { name: key, shape, constant: v.constant, ...(v.half ? { half: true } : {}) };
    return this.use(lifted);
  }

  private conv(op: TfliteOperator, depthwise: boolean): string {
    const x = this.value(op.inputs[0]!), w = this.value(op.inputs[1]!);
    if (!w.constant) throw new Error(`convolution weights ${w.name} are not constant`);
    const [o, kh, kw, i] = w.shape as [number, number, number, number];
    // TFLite keeps conv filters OHWI and depthwise filters [1, kh, kw, C]; ONNX wants OIHW and [C, 1, kh, kw].
    const weightShape = depthwise ? [i, 1, kh, kw] : [o, i, kh, kw];
    const weight = this.fresh(`${w.name}_oihw`);
    const data = permute(w.constant, w.shape, depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2]);
    this.constantInitializer(weight, weightShape, data, w.half);
    const strides = [op.option(2, 'int') ?? 1, op.option(1, 'int') ?? 1];
    const dilations = depthwise ? [op.option(6, 'int') ?? 1, op.option(5, 'int') ?? 1] : [op.option(5, 'int') ?? 1, op.option(4, 'int') ?? 1];
    const attrs: OnnxAttribute[] = [
      intsAttr('kernel_shape', [kh, kw]),
      intsAttr('strides', strides),
      intsAttr('dilations', dilations),
      intsAttr('pads', samePads(op.option(0, 'byte') ?? 0, x.shape, [kh, kw], strides, dilations)),
      ...(depthwise ? [intAttr('group', x.shape[3]!)] : []),
    ];
    const inputs = [this.use(x), weight];
    if (op.inputs[2] !== undefined && op.inputs[2] >= 0) inputs.push(this.use(this.value(op.inputs[2])));
    return this.node('Conv', inputs, attrs);
  }

  private pool(op: TfliteOperator): string {
    const x = this.value(op.inputs[0]!);
    const kernel = [op.option(4, 'int') ?? 1, op.option(3, 'int') ?? 1];
    const strides = [op.option(2, 'int') ?? 1, op.option(1, 'int') ?? 1];
    const attrs = [intsAttr('kernel_shape', kernel), intsAttr('strides', strides), intsAttr('pads', samePads(op.option(0, 'byte') ?? 0, x.shape, kernel, strides, [1, 1]))];
    // TF's average pool with SAME padding averages only the real pixels.
    return this.node(op.op === 'MAX_POOL_2D' ? 'MaxPool' : 'AveragePool', [this.use(x)], op.op === 'MAX_POOL_2D' ? attrs : [...attrs, intAttr('count_include_pad', 0)]);
  }

  private activation(name: string, fused: number | undefined): string {
    if (!fused) return name;
    if (fused === 1) return this.node('Relu', [name]);
    if (fused === 3) return this.node('Clip', [name, this.floatScalar('relu6_min', 0), this.floatScalar('relu6_max', 6)]);
    throw new Error(`fused activation ${fused} is not supported`);
  }

  private reduce(op: TfliteOperator): string {
    const x = this.value(op.inputs[0]!), axesValue = this.value(op.inputs[1]!);
    if (!axesValue.constant) throw new Error('reduction axes must be constant');
    const axes = [...axesValue.constant].map((a) => this.axis(a, x.shape.length));
    const keep = op.option(0, 'bool') ? 1 : 0;
    if (op.op === 'MEAN') return this.node('ReduceMean', [this.use(x)], [intsAttr('axes', axes), intAttr('keepdims', keep)]);
    return this.node('ReduceSum', [this.use(x), this.int64(axes)], [intAttr('keepdims', keep)]);
  }

  private pad(op: TfliteOperator): string {
    const x = this.value(op.inputs[0]!), p = this.value(op.inputs[1]!);
    if (!p.constant) throw new Error('PAD amounts must be constant');
    const rank = x.shape.length;
    const begin = new Array<number>(rank).fill(0), end = new Array<number>(rank).fill(0);
    for (let a = 0; a < rank; a++) {
      const axis = this.axis(a, rank);
      begin[axis] = p.constant[2 * a]!;
      end[axis] = p.constant[2 * a + 1]!;
    }
    return this.node('Pad', [this.use(x), this.int64([...begin, ...end])]);
  }

  /** Reshape works on memory order, so a rank-4 tensor goes through NHWC on either side. */
  private reshape(x: Value, target: readonly number[]): string {
    let name = this.use(x);
    if (x.shape.length === 4) name = this.node('Transpose', [name], [intsAttr('perm', TO_NHWC)]);
    const shape = target.map((d, i) => (i === 0 && d === 1 && x.shape[0] === 1 ? 0 : d));
    name = this.node('Reshape', [name, this.int64(shape)]);
    return target.length === 4 ? this.node('Transpose', [name], [intsAttr('perm', TO_NCHW)]) : name;
  }

  private transpose(op: TfliteOperator): string {
    const x = this.value(op.inputs[0]!), p = this.value(op.inputs[1]!);
    if (!p.constant) throw new Error('TRANSPOSE permutation must be constant');
    const perm = [...p.constant];
    // In NCHW terms: undo NCHW, apply perm, redo NCHW.
    const onnxPerm = perm.length === 4 ? TO_NCHW.map((a) => TO_NHWC[perm[a]!]!) : perm;
    return this.node('Transpose', [this.use(x)], [intsAttr('perm', onnxPerm)]);
  }

  /** A constant part (MLP-Mixer's class token) is expanded to the batch of the first activation part. */
  private concat(op: TfliteOperator): string {
    const parts = op.inputs.map((t) => this.value(t));
    const axis = this.axis(op.option(0, 'int') ?? 0, parts[0]!.shape.length);
    const activation = parts.find((v) => !v.constant);
    const names = parts.map((v) => (v.constant && activation && axis !== 0 ? this.batchExpanded(v, activation) : this.use(v)));
    return this.node('Concat', names, [intAttr('axis', axis)]);
  }

  /** Expand(constant, [batch of `like`, 1, 1, ...]): the constant repeated for every item of the batch. */
  private batchExpanded(v: Value, like: Value): string {
    const batch = this.node('Slice', [this.node('Shape', [this.use(like)]), this.int64([0]), this.int64([1])]);
    const shape = this.node('Concat', [batch, this.int64(new Array<number>(v.shape.length - 1).fill(1))], [intAttr('axis', 0)]);
    return this.node('Expand', [this.use(v), shape]);
  }

  /** STRIDED_SLICE as Slice (+ Squeeze for shrink_axis_mask); the batch axis is never shrunk away. */
  private stridedSlice(op: TfliteOperator): string {
    const x = this.value(op.inputs[0]!);
    const [b, e, s] = [1, 2, 3].map((i) => this.value(op.inputs[i]!).constant);
    if (!b || !e || !s) throw new Error('STRIDED_SLICE bounds must be constant');
    const beginMask = op.option(0, 'int') ?? 0, endMask = op.option(1, 'int') ?? 0, shrink = op.option(4, 'int') ?? 0;
    if ((op.option(2, 'int') ?? 0) || (op.option(3, 'int') ?? 0)) throw new Error('STRIDED_SLICE ellipsis and new-axis masks are not supported');
    const starts: number[] = [], ends: number[] = [], axes: number[] = [], steps: number[] = [];
    const squeeze: number[] = [];
    x.shape.forEach((size, a) => {
      const shrinkHere = Boolean(shrink & (1 << a));
      const start = beginMask & (1 << a) ? 0 : b[a]!;
      const end = shrinkHere ? start + 1 : endMask & (1 << a) ? size : e[a]!;
      if (shrinkHere && a > 0) squeeze.push(a);
      if (start === 0 && end >= size && s[a] === 1) return;
      starts.push(start); ends.push(end); axes.push(this.axis(a, x.shape.length)); steps.push(s[a]!);
    });
    let name = axes.length === 0 ? this.use(x) : this.node('Slice', [this.use(x), this.int64(starts), this.int64(ends), this.int64(axes), this.int64(steps)]);
    if (squeeze.length === 0) return name;
    if (x.shape.length === 4) name = this.node('Transpose', [name], [intsAttr('perm', TO_NHWC)]);
    const squeezed = this.node('Squeeze', [name, this.int64(squeeze)]);
    return x.shape.length - squeeze.length === 4 ? this.node('Transpose', [squeezed], [intsAttr('perm', TO_NCHW)]) : squeezed;
  }

  private axis(a: number, rank: number): number {
    const positive = a < 0 ? a + rank : a;
    return rank === 4 ? NCHW_AXIS[positive]! : positive;
  }

  private constantInitializer(name: string, dims: number[], data: Float32Array, half?: boolean): void {
    if (!half) {
      this.initializers.push({ name, dims, data });
      return;
    }
    this.initializers.push({ name: `${name}_f16`, dims, data, type: 'float16' });
    this.node('Cast', [`${name}_f16`], [intAttr('to', 1)], name);
  }

  private int64(values: readonly number[]): string {
    const name = this.fresh('const');
    this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  }

  /** A float scalar initializer, written once per name. */
  private floatScalar(name: string, value: number): string {
    if (!this.emitted.has(name)) {
      this.emitted.add(name);
      this.initializers.push({ name, dims: [], data: Float32Array.of(value) });
    }
    return name;
  }

  private node(opType: string, inputs: string[], attributes: OnnxAttribute[] = [], output?: string): string {
    const name = output ?? this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, name: `${name}_node`, inputs, outputs: [name], attributes });
    return name;
  }

  private fresh(base: string): string {
    return `${base.replace(/[^\w./:-]/g, '_').slice(-60)}#${this.counter++}`;
  }
}

/**
 * ONNX pads [top, left, bottom, right] for TF's SAME (0) or VALID (1) padding of an NHWC input: SAME
 * pads to ceil(size / stride) outputs with the odd pixel at the end, as TF does.
 */
function samePads(padding: number, nhwc: readonly number[], kernel: number[], strides: number[], dilations: number[]): number[] {
  if (padding === 1) return [0, 0, 0, 0];
  const [top, bottom] = padAxis(nhwc[1]!, kernel[0]!, strides[0]!, dilations[0]!);
  const [left, right] = padAxis(nhwc[2]!, kernel[1]!, strides[1]!, dilations[1]!);
  return [top, left, bottom, right];
}

function padAxis(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + effective - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}
