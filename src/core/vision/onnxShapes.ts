/**
 * Reads and rewrites the declared tensor shapes of an ONNX model's graph (inputs, outputs, value_info) in
 * memory. Used to let a fully convolutional detector exported with a fixed input size run at the frame's
 * own aspect ratio: onnxruntime checks inputs against the declared shape, the convolutions do not care.
 * Only the messages on the path to a shape are re-encoded; every other byte is copied as it was.
 */
import { DIM_PARAM, DIM_VALUE, GRAPH_INPUT, GRAPH_OUTPUT, GRAPH_VALUE_INFO, MODEL_GRAPH, SHAPE_DIM, TENSOR_SHAPE, TYPE_TENSOR, VALUE_INFO_NAME, VALUE_INFO_TYPE } from './onnxFields';
import { concatBytes, fieldValue, lengthField, readFields, readVarint, rewriteFields, varintField, WIRE_LENGTH, WIRE_VARINT } from './protobufWire';
import type { WireField } from './protobufWire';

/** One dimension: a fixed size (dim_value), a symbolic name (dim_param), or undefined when neither is set. */
export type OnnxDim = number | string | undefined;
export type ShapePlace = 'input' | 'output' | 'valueInfo';

export interface DeclaredShape {
  place: ShapePlace;
  name: string;
  /** Undefined when the tensor type declares no shape at all. */
  dims: OnnxDim[] | undefined;
}

/**
 * Decides a new shape for one declared tensor: undefined keeps it byte for byte, 'dropShape' removes the
 * shape (rank and sizes become unknown), an array re-encodes the dims (same rank as before).
 */
export type ShapeEdit = (shape: DeclaredShape) => OnnxDim[] | 'dropShape' | undefined;

const PLACES = new Map<number, ShapePlace>([[GRAPH_INPUT, 'input'], [GRAPH_OUTPUT, 'output'], [GRAPH_VALUE_INFO, 'valueInfo']]);

/** Every tensor shape the graph declares, in file order. */
export function readDeclaredShapes(model: Uint8Array): DeclaredShape[] {
  const shapes: DeclaredShape[] = [];
  rewriteOnnxShapes(model, (shape) => {
    shapes.push(shape);
    return undefined;
  });
  return shapes;
}

/** Applies `edit` to every declared tensor shape of the main graph; throws on a malformed model. */
export function rewriteOnnxShapes(model: Uint8Array, edit: ShapeEdit): Uint8Array {
  let graphs = 0;
  const out = rewriteFields(model, (f) => {
    if (f.field !== MODEL_GRAPH || f.wireType !== WIRE_LENGTH) return undefined;
    graphs++;
    const graph = fieldValue(model, f);
    return replaced(MODEL_GRAPH, graph, rewriteGraph(graph, edit));
  });
  if (graphs === 0) throw new Error('not an ONNX model: no graph');
  return out;
}

/**
 * The model with the H and W of input `inputName` ([N, C, H, W]) made symbolic ("height", "width"), every
 * output dimension made symbolic, and value_info shapes dropped, so onnxruntime accepts any input size.
 */
export function symbolicSpatialInput(model: Uint8Array, inputName: string): Uint8Array {
  let found = false;
  const out = rewriteOnnxShapes(model, ({ place, name, dims }) => {
    if (place === 'valueInfo') return dims ? 'dropShape' : undefined;
    if (!dims) return undefined;
    if (place === 'output') return dims.map((_d, i) => `${name}_dim${i}`);
    if (name !== inputName) return undefined;
    if (dims.length !== 4) throw new Error(`input "${inputName}" has rank ${dims.length}, expected [N, C, H, W]`);
    found = true;
    return [dims[0], dims[1], 'height', 'width'];
  });
  if (!found) throw new Error(`the model has no input "${inputName}" with a declared shape`);
  return out;
}

function rewriteGraph(graph: Uint8Array, edit: ShapeEdit): Uint8Array {
  return rewriteFields(graph, (f) => {
    const place = PLACES.get(f.field);
    if (!place || f.wireType !== WIRE_LENGTH) return undefined;
    const value = fieldValue(graph, f);
    return replaced(f.field, value, rewriteValueInfo(value, place, edit));
  });
}

function rewriteValueInfo(info: Uint8Array, place: ShapePlace, edit: ShapeEdit): Uint8Array {
  const fields = readFields(info);
  const nameField = fields.find((f) => f.field === VALUE_INFO_NAME && f.wireType === WIRE_LENGTH);
  const name = nameField ? new TextDecoder().decode(fieldValue(info, nameField)) : '';
  return rewriteFields(info, (f) => {
    if (f.field !== VALUE_INFO_TYPE || f.wireType !== WIRE_LENGTH) return undefined;
    const type = fieldValue(info, f);
    return replaced(VALUE_INFO_TYPE, type, rewriteType(type, place, name, edit));
  });
}

function rewriteType(type: Uint8Array, place: ShapePlace, name: string, edit: ShapeEdit): Uint8Array {
  const tensorField = readFields(type).find((f) => f.field === TYPE_TENSOR && f.wireType === WIRE_LENGTH);
  if (!tensorField) return type; // sequences, maps, optionals: not shapes we rewrite
  const tensor = fieldValue(type, tensorField);
  const shapeField = readFields(tensor).find((f) => f.field === TENSOR_SHAPE && f.wireType === WIRE_LENGTH);
  const dims = shapeField ? readDims(fieldValue(tensor, shapeField)) : undefined;
  const decision = edit({ place, name, dims });
  if (decision === undefined || !shapeField || !dims) return type;
  if (decision !== 'dropShape' && decision.length !== dims.length) {
    throw new Error(`cannot change the rank of "${name}" from ${dims.length} to ${decision.length}`);
  }
  const newTensor = rewriteFields(tensor, (f) => {
    if (f.start !== shapeField.start) return undefined;
    return decision === 'dropShape' ? null : lengthField(TENSOR_SHAPE, rewriteDims(fieldValue(tensor, f), decision));
  });
  return rewriteFields(type, (f) => (f.start === tensorField.start ? lengthField(TYPE_TENSOR, newTensor) : undefined));
}

function dimFields(shape: Uint8Array): WireField[] {
  return readFields(shape).filter((f) => f.field === SHAPE_DIM && f.wireType === WIRE_LENGTH);
}

function readDims(shape: Uint8Array): OnnxDim[] {
  return dimFields(shape).map((f) => {
    let dim: OnnxDim;
    const value = fieldValue(shape, f);
    for (const d of readFields(value)) {
      // dim_value and dim_param are a oneof: the last one on the wire wins.
      if (d.field === DIM_VALUE && d.wireType === WIRE_VARINT) dim = Number(BigInt.asIntN(64, readVarint(value, d.valueStart).value));
      else if (d.field === DIM_PARAM && d.wireType === WIRE_LENGTH) dim = new TextDecoder().decode(fieldValue(value, d));
    }
    return dim;
  });
}

/** Re-encodes each Dimension with its new value, keeping its other fields (denotation) where they were. */
function rewriteDims(shape: Uint8Array, dims: readonly OnnxDim[]): Uint8Array {
  let index = 0;
  return rewriteFields(shape, (f) => {
    if (f.field !== SHAPE_DIM || f.wireType !== WIRE_LENGTH) return undefined;
    const dim = dims[index++];
    const value = fieldValue(shape, f);
    let written = false;
    const encoded = (): Uint8Array | null => {
      if (written || dim === undefined) return null;
      written = true;
      return typeof dim === 'number' ? varintField(DIM_VALUE, dim) : lengthField(DIM_PARAM, new TextEncoder().encode(dim));
    };
    const newDim = rewriteFields(value, (d) => (d.field === DIM_VALUE || d.field === DIM_PARAM ? encoded() : undefined));
    const extra = encoded();
    return lengthField(SHAPE_DIM, extra ? concatBytes([newDim, extra]) : newDim);
  });
}

/** The replacement field for `before`, or undefined (copy as is) when the rewrite returned it unchanged. */
function replaced(field: number, before: Uint8Array, after: Uint8Array): Uint8Array | undefined {
  return after === before ? undefined : lengthField(field, after);
}

