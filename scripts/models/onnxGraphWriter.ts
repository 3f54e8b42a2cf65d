/**
 * A minimal ONNX writer: encodes one ModelProto (onnx.proto3) holding a single graph of float32 tensors,
 * with initializers (float32, float16 for stored weights, int64 for shapes and axes), nodes with int /
 * ints / float / string attributes, and typed float32 graph inputs and outputs.
 *
 * Enough to assemble a network from weights that were never exported to ONNX, nothing more: no subgraphs,
 * no other tensor types, no external data. Fields are written in field-number order and every list in the
 * order given, with no clock or random input, so the same graph always encodes to the same bytes (and so to
 * the same sha256).
 */
import {
  ATTRIBUTE_F,
  ATTRIBUTE_I,
  ATTRIBUTE_INTS,
  ATTRIBUTE_NAME,
  ATTRIBUTE_S,
  ATTRIBUTE_TYPE,
  ATTRIBUTE_TYPE_FLOAT,
  ATTRIBUTE_TYPE_INT,
  ATTRIBUTE_TYPE_INTS,
  ATTRIBUTE_TYPE_STRING,
  DATA_TYPE_FLOAT,
  DATA_TYPE_FLOAT16,
  DATA_TYPE_INT64,
  DIM_PARAM,
  DIM_VALUE,
  GRAPH_INITIALIZER,
  GRAPH_INPUT,
  GRAPH_NAME,
  GRAPH_NODE,
  GRAPH_OUTPUT,
  MODEL_DOC_STRING,
  MODEL_GRAPH,
  MODEL_IR_VERSION,
  MODEL_OPSET_IMPORT,
  MODEL_PRODUCER_NAME,
  MODEL_PRODUCER_VERSION,
  NODE_ATTRIBUTE,
  NODE_INPUT,
  NODE_NAME,
  NODE_OP_TYPE,
  NODE_OUTPUT,
  OPSET_VERSION,
  SHAPE_DIM,
  TENSOR_ELEM_TYPE,
  TENSOR_PROTO_DATA_TYPE,
  TENSOR_PROTO_DIMS,
  TENSOR_PROTO_NAME,
  TENSOR_PROTO_RAW_DATA,
  TENSOR_SHAPE,
  TYPE_TENSOR,
  VALUE_INFO_NAME,
  VALUE_INFO_TYPE,
} from '../../src/core/vision/onnxFields';
import { concatBytes, encodeVarint, floatField, lengthField, varintField } from '../../src/core/vision/protobufWire';

export type OnnxAttribute =
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'ints'; value: readonly number[] }
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'string'; value: string };

export interface OnnxNode {
  opType: string;
  /** Unique within the graph; onnxruntime names its errors and profiles after it. */
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly OnnxAttribute[];
}

/**
 * A constant tensor, `data` in row-major order of `dims`: float32 by default; `float16` stores each value
 * as a half (it must be exactly representable: weights that were halves to begin with); `int64` for shapes.
 */
export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  data: Float32Array | BigInt64Array;
  type?: 'float32' | 'float16';
}

/** A float32 graph input or output; a string dimension is symbolic (e.g. "N" for the batch). */
export interface OnnxValueInfo {
  name: string;
  shape: readonly (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxInitializer[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

export interface OnnxModelInfo {
  /** Of the default ai.onnx domain, the only one imported. */
  opsetVersion: number;
  irVersion: number;
  producerName: string;
  producerVersion: string;
  docString: string;
}

export const intAttr = (name: string, value: number): OnnxAttribute => ({ name, kind: 'int', value });
export const intsAttr = (name: string, value: readonly number[]): OnnxAttribute => ({ name, kind: 'ints', value });
export const floatAttr = (name: string, value: number): OnnxAttribute => ({ name, kind: 'float', value });
export const stringAttr = (name: string, value: string): OnnxAttribute => ({ name, kind: 'string', value });

/** The serialised ModelProto. */
export function encodeOnnxModel(graph: OnnxGraph, info: OnnxModelInfo): Uint8Array {
  checkGraph(graph);
  return concatBytes([
    varintField(MODEL_IR_VERSION, info.irVersion),
    stringField(MODEL_PRODUCER_NAME, info.producerName),
    stringField(MODEL_PRODUCER_VERSION, info.producerVersion),
    stringField(MODEL_DOC_STRING, info.docString),
    lengthField(MODEL_GRAPH, encodeGraph(graph)),
    // OperatorSetIdProto with no domain field: the default ai.onnx domain.
    lengthField(MODEL_OPSET_IMPORT, varintField(OPSET_VERSION, info.opsetVersion)),
  ]);
}

function encodeGraph(graph: OnnxGraph): Uint8Array {
  return concatBytes([
    ...graph.nodes.map((n) => lengthField(GRAPH_NODE, encodeNode(n))),
    stringField(GRAPH_NAME, graph.name),
    ...graph.initializers.map((t) => lengthField(GRAPH_INITIALIZER, encodeInitializer(t))),
    ...graph.inputs.map((v) => lengthField(GRAPH_INPUT, encodeValueInfo(v))),
    ...graph.outputs.map((v) => lengthField(GRAPH_OUTPUT, encodeValueInfo(v))),
  ]);
}

function encodeNode(node: OnnxNode): Uint8Array {
  return concatBytes([
    ...node.inputs.map((i) => stringField(NODE_INPUT, i)),
    ...node.outputs.map((o) => stringField(NODE_OUTPUT, o)),
    stringField(NODE_NAME, node.name),
    stringField(NODE_OP_TYPE, node.opType),
    ...(node.attributes ?? []).map((a) => lengthField(NODE_ATTRIBUTE, encodeAttribute(a))),
  ]);
}

function encodeAttribute(attr: OnnxAttribute): Uint8Array {
  const name = stringField(ATTRIBUTE_NAME, attr.name);
  switch (attr.kind) {
    case 'float':
      return concatBytes([name, floatField(ATTRIBUTE_F, attr.value), varintField(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOAT)]);
    case 'int':
      return concatBytes([name, varintField(ATTRIBUTE_I, attr.value), varintField(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT)]);
    case 'ints':
      return concatBytes([name, packedVarints(ATTRIBUTE_INTS, attr.value), varintField(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INTS)]);
    case 'string':
      return concatBytes([name, stringField(ATTRIBUTE_S, attr.value), varintField(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_STRING)]);
  }
}

/** raw_data is always little-endian in ONNX, whatever the host's byte order, hence the DataView. */
function encodeInitializer(tensor: OnnxInitializer): Uint8Array {
  const { data } = tensor;
  const width = data instanceof BigInt64Array ? 8 : tensor.type === 'float16' ? 2 : 4;
  const raw = new Uint8Array(data.length * width);
  const view = new DataView(raw.buffer);
  if (data instanceof BigInt64Array) data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  else if (tensor.type === 'float16') data.forEach((v, i) => view.setUint16(i * 2, exactHalf(v, tensor.name), true));
  else data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  const dataType = data instanceof BigInt64Array ? DATA_TYPE_INT64 : tensor.type === 'float16' ? DATA_TYPE_FLOAT16 : DATA_TYPE_FLOAT;
  return concatBytes([
    packedVarints(TENSOR_PROTO_DIMS, tensor.dims),
    varintField(TENSOR_PROTO_DATA_TYPE, dataType),
    stringField(TENSOR_PROTO_NAME, tensor.name),
    lengthField(TENSOR_PROTO_RAW_DATA, raw),
  ]);
}

/** The binary16 bits of `value`, which must be a half exactly (finite, normal or subnormal). */
function exactHalf(value: number, name: string): number {
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a === 0) return sign;
  const exponent = Math.max(Math.floor(Math.log2(a)), -14);
  const fraction = a / 2 ** exponent - (exponent === -14 && a < 2 ** -14 ? 0 : 1);
  const bits = exponent === -14 && a < 2 ** -14 ? Math.round(a / 2 ** -24) : ((exponent + 15) << 10) | Math.round(fraction * 1024);
  if (exponent > 15 || Math.abs((exponent === -14 && a < 2 ** -14 ? bits * 2 ** -24 : (1 + (bits & 0x3ff) / 1024) * 2 ** exponent) - a) > 0) {
    throw new Error(`ONNX initializer ${name}: ${value} is not exactly a float16`);
  }
  return sign | bits;
}

function encodeValueInfo(value: OnnxValueInfo): Uint8Array {
  const dims = value.shape.map((d) =>
    lengthField(SHAPE_DIM, typeof d === 'string' ? stringField(DIM_PARAM, d) : varintField(DIM_VALUE, d)),
  );
  const tensorType = concatBytes([varintField(TENSOR_ELEM_TYPE, DATA_TYPE_FLOAT), lengthField(TENSOR_SHAPE, concatBytes(dims))]);
  return concatBytes([stringField(VALUE_INFO_NAME, value.name), lengthField(VALUE_INFO_TYPE, lengthField(TYPE_TENSOR, tensorType))]);
}

function stringField(field: number, value: string): Uint8Array {
  return lengthField(field, new TextEncoder().encode(value));
}

/** A repeated int64 in proto3's default packed encoding: one length-delimited field of varints. */
function packedVarints(field: number, values: readonly number[]): Uint8Array {
  return lengthField(field, concatBytes(values.map((v) => encodeVarint(v))));
}

/**
 * Catches the mistakes onnxruntime would only report as a load failure far from their cause: a name
 * produced twice, two nodes of one name, a node reading a name nothing produces (nodes must be listed in
 * topological order), an initializer whose data does not fill its dims.
 */
function checkGraph(graph: OnnxGraph): void {
  const produced = new Set<string>();
  const produce = (name: string, by: string): void => {
    if (produced.has(name)) throw new Error(`ONNX graph ${graph.name}: "${name}" is produced twice (again by ${by})`);
    produced.add(name);
  };
  for (const t of graph.initializers) {
    const size = t.dims.reduce((n, d) => n * d, 1);
    if (size !== t.data.length) throw new Error(`ONNX initializer ${t.name}: dims [${t.dims.join(', ')}] need ${size} values, got ${t.data.length}`);
    produce(t.name, 'an initializer');
  }
  for (const v of graph.inputs) produce(v.name, 'a graph input');
  const nodeNames = new Set<string>();
  for (const node of graph.nodes) {
    if (nodeNames.has(node.name)) throw new Error(`ONNX graph ${graph.name}: two nodes are named ${node.name}`);
    nodeNames.add(node.name);
    const missing = node.inputs.find((i) => i !== '' && !produced.has(i));
    if (missing !== undefined) throw new Error(`ONNX node ${node.name} reads "${missing}" before anything produces it`);
    node.outputs.forEach((o) => produce(o, `node ${node.name}`));
  }
  const unproduced = graph.outputs.find((v) => !produced.has(v.name));
  if (unproduced) throw new Error(`ONNX graph output "${unproduced.name}" is produced by no node`);
}
