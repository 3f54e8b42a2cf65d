/**
 * Replaces every PRelu node of an ONNX graph by Relu, Sub, Mul, Add computing r + slope * (x - r) with
 * r = Relu(x): bit-identical results (x - 0 and 0 + y are exact), but vectorised kernels. onnxruntime's
 * PRelu kernel branches per element, so on real images it mispredicts about half the time: the int8
 * MobileFaceNet spends ~6 of its ~10 ms per face in its 33 PRelu nodes, ~1 ms after this rewrite.
 */
import { GRAPH_NODE, MODEL_GRAPH, NODE_DOMAIN, NODE_INPUT, NODE_NAME, NODE_OP_TYPE, NODE_OUTPUT } from './onnxFields';
import { concatBytes, fieldValue, lengthField, readFields, rewriteFields, WIRE_LENGTH } from './protobufWire';

interface NodeSummary {
  inputs: string[];
  outputs: string[];
  name: string;
  opType: string;
  domain: string;
}

/** The model with its main graph's PRelu nodes expanded; the same bytes when it has none. */
export function expandPrelu(model: Uint8Array): Uint8Array {
  return rewriteFields(model, (f) => {
    if (f.field !== MODEL_GRAPH || f.wireType !== WIRE_LENGTH) return undefined;
    const graph = fieldValue(model, f);
    const rewritten = rewriteFields(graph, (n) => {
      if (n.field !== GRAPH_NODE || n.wireType !== WIRE_LENGTH) return undefined;
      const node = readNode(fieldValue(graph, n));
      return isPrelu(node) ? concatBytes(preluReplacement(node).map((bytes) => lengthField(GRAPH_NODE, bytes))) : undefined;
    });
    return rewritten === graph ? undefined : lengthField(MODEL_GRAPH, rewritten);
  });
}

function isPrelu(node: NodeSummary): boolean {
  return node.opType === 'PRelu' && (node.domain === '' || node.domain === 'ai.onnx') && node.inputs.length === 2 && node.outputs.length === 1;
}

/** r = Relu(x); n = x - r; s = slope * n; y = r + s. */
function preluReplacement(node: NodeSummary): Uint8Array[] {
  const [x = '', slope = ''] = node.inputs;
  const y = node.outputs[0] ?? '';
  const base = `${node.name || y}__prelu`;
  const r = `${base}_relu`, n = `${base}_neg`, s = `${base}_scaled`;
  return [
    encodeNode('Relu', [x], [r], r),
    encodeNode('Sub', [x, r], [n], n),
    encodeNode('Mul', [slope, n], [s], s),
    encodeNode('Add', [r, s], [y], `${base}_add`),
  ];
}

function readNode(bytes: Uint8Array): NodeSummary {
  const node: NodeSummary = { inputs: [], outputs: [], name: '', opType: '', domain: '' };
  const decoder = new TextDecoder();
  for (const f of readFields(bytes)) {
    if (f.wireType !== WIRE_LENGTH) continue;
    const value = decoder.decode(fieldValue(bytes, f));
    if (f.field === NODE_INPUT) node.inputs.push(value);
    else if (f.field === NODE_OUTPUT) node.outputs.push(value);
    else if (f.field === NODE_NAME) node.name = value;
    else if (f.field === NODE_OP_TYPE) node.opType = value;
    else if (f.field === NODE_DOMAIN) node.domain = value;
  }
  return node;
}

function encodeNode(opType: string, inputs: string[], outputs: string[], name: string): Uint8Array {
  const encoder = new TextEncoder();
  return concatBytes([
    ...inputs.map((i) => lengthField(NODE_INPUT, encoder.encode(i))),
    ...outputs.map((o) => lengthField(NODE_OUTPUT, encoder.encode(o))),
    lengthField(NODE_NAME, encoder.encode(name)),
    lengthField(NODE_OP_TYPE, encoder.encode(opType)),
  ]);
}
