import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandPrelu } from '../../src/core/vision/onnxPrelu';
import { readDeclaredShapes, rewriteOnnxShapes, symbolicSpatialInput } from '../../src/core/vision/onnxShapes';
import type { OnnxDim } from '../../src/core/vision/onnxShapes';
import { concatBytes, encodeVarint, lengthField, readFields, readVarint, varintField } from '../../src/core/vision/protobufWire';

const text = (s: string) => new TextEncoder().encode(s);

/** A Dimension: dim_value (1), dim_param (2), optional denotation (3). */
function dim(d: OnnxDim, denotation?: string): Uint8Array {
  const parts: Uint8Array[] = [];
  if (typeof d === 'number') parts.push(varintField(1, d));
  if (typeof d === 'string') parts.push(lengthField(2, text(d)));
  if (denotation) parts.push(lengthField(3, text(denotation)));
  return concatBytes(parts);
}

/** ValueInfoProto { name, type: TypeProto { tensor_type: { elem_type: FLOAT, shape } } }, with a doc string after the type. */
function valueInfo(name: string, dims: Uint8Array[] | undefined): Uint8Array {
  const tensor = concatBytes([varintField(1, 1), ...(dims ? [lengthField(2, concatBytes(dims.map((d) => lengthField(1, d))))] : [])]);
  return concatBytes([lengthField(1, text(name)), lengthField(2, lengthField(1, tensor)), lengthField(3, text(`doc of ${name}`))]);
}

/** A hand-made ModelProto: ir_version, producer, a graph (node, name, initializer-like bytes, inputs, outputs, value_info), opset. */
function tinyModel(): Uint8Array {
  const graph = concatBytes([
    lengthField(1, concatBytes([lengthField(1, text('input')), lengthField(2, text('y')), lengthField(4, text('Relu'))])),
    lengthField(2, text('g')),
    lengthField(5, new Uint8Array(300).map((_, i) => (i * 37) & 0xff)), // large opaque field: copied as is
    lengthField(11, valueInfo('input', [dim(1), dim(3, 'DATA_CHANNEL'), dim(640), dim(640)])),
    lengthField(11, valueInfo('no_shape', undefined)),
    lengthField(12, valueInfo('y', [dim(1), dim(6400), dim(-1)])),
    lengthField(13, valueInfo('mid', [dim('batch'), dim(16), dim(320), dim(320)])),
  ]);
  return concatBytes([varintField(1, 6), lengthField(2, text('test')), lengthField(7, graph), lengthField(8, concatBytes([varintField(2, 11)]))]);
}

test('varints: minimal encoding round-trips small, multi-byte, 2^53 and negative (two\'s complement) values', () => {
  for (const v of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 53 - 1]) {
    const bytes = encodeVarint(v);
    assert.equal(readVarint(bytes, 0).value, BigInt(v));
    assert.equal(readVarint(bytes, 0).next, bytes.length);
  }
  assert.deepEqual(Array.from(encodeVarint(300)), [0xac, 0x02]);
  assert.equal(encodeVarint(-1).length, 10);
  assert.equal(BigInt.asIntN(64, readVarint(encodeVarint(-1), 0).value), -1n);
  assert.throws(() => readVarint(Uint8Array.from([0x80, 0x80]), 0), /unterminated varint/);
});

test('readFields splits a message and rejects a field that runs past the end', () => {
  const msg = concatBytes([varintField(1, 5), lengthField(2, text('abc')), Uint8Array.from([0x1d, 1, 2, 3, 4])]);
  assert.deepEqual(readFields(msg).map((f) => [f.field, f.wireType, f.end - f.valueStart]), [[1, 0, 1], [2, 2, 3], [3, 5, 4]]);
  assert.throws(() => readFields(Uint8Array.from([0x12, 5, 1])), /runs past the end/);
});

test('declared shapes are read from inputs, outputs and value_info (value, param, missing shape)', () => {
  assert.deepEqual(readDeclaredShapes(tinyModel()), [
    { place: 'input', name: 'input', dims: [1, 3, 640, 640] },
    { place: 'input', name: 'no_shape', dims: undefined },
    { place: 'output', name: 'y', dims: [1, 6400, -1] },
    { place: 'valueInfo', name: 'mid', dims: ['batch', 16, 320, 320] },
  ]);
});

test('re-encoding every shape with its own dims gives the same bytes (lengths recomputed on the way up)', () => {
  const model = tinyModel();
  let edits = 0;
  const same = rewriteOnnxShapes(model, (s) => {
    edits++;
    return s.dims ? [...s.dims] : undefined;
  });
  assert.equal(edits, 4);
  assert.notEqual(same, model); // really re-encoded, not handed back
  assert.deepEqual(same, model);
  assert.equal(rewriteOnnxShapes(model, () => undefined), model);
});

test('symbolicSpatialInput makes H and W symbolic, every output dim symbolic, drops value_info shapes, keeps the rest', () => {
  const model = tinyModel();
  const patched = symbolicSpatialInput(model, 'input');
  assert.deepEqual(readDeclaredShapes(patched), [
    { place: 'input', name: 'input', dims: [1, 3, 'height', 'width'] },
    { place: 'input', name: 'no_shape', dims: undefined },
    { place: 'output', name: 'y', dims: ['y_dim0', 'y_dim1', 'y_dim2'] },
    { place: 'valueInfo', name: 'mid', dims: undefined },
  ]);
  // The denotation of the channel dim, the doc strings, the opaque field and the fields after the graph survive.
  const hex = Buffer.from(patched).toString('latin1');
  for (const s of ['DATA_CHANNEL', 'doc of input', 'doc of mid', 'test']) assert.ok(hex.includes(s), s);
  const graphOf = (m: Uint8Array) => readFields(m).find((f) => f.field === 7)!;
  const opaque = (m: Uint8Array) => {
    const g = graphOf(m);
    const graph = m.subarray(g.valueStart, g.end);
    const f = readFields(graph).find((x) => x.field === 5)!;
    return graph.subarray(f.valueStart, f.end);
  };
  assert.deepEqual(opaque(patched), opaque(model));
  assert.deepEqual(readFields(patched).map((f) => f.field), [1, 2, 7, 8]);
  // Rewriting the patched model back to numbers works too (dim_param replaced by dim_value in place).
  const back = rewriteOnnxShapes(patched, (s) => (s.place === 'input' && s.name === 'input' ? [1, 3, 640, 640] : undefined));
  assert.deepEqual(readDeclaredShapes(back)[0]!.dims, [1, 3, 640, 640]);
});

test('symbolicSpatialInput refuses a missing input, a wrong rank, and something that is not a model', () => {
  assert.throws(() => symbolicSpatialInput(tinyModel(), 'nope'), /no input "nope"/);
  assert.throws(() => rewriteOnnxShapes(tinyModel(), () => [1, 2]), /cannot change the rank of "input"/);
  assert.throws(() => symbolicSpatialInput(concatBytes([varintField(1, 6)]), 'input'), /no graph/);
  assert.throws(() => symbolicSpatialInput(Uint8Array.from([0x3a, 0x7f, 0x00]), 'input'), /malformed protobuf/);
});

/** NodeProto { input*, output*, name, op_type }. */
function node(opType: string, inputs: string[], outputs: string[], name: string): Uint8Array {
  return concatBytes([...inputs.map((i) => lengthField(1, text(i))), ...outputs.map((o) => lengthField(2, text(o))), lengthField(3, text(name)), lengthField(4, text(opType))]);
}

function nodesOf(model: Uint8Array): { inputs: string[]; outputs: string[]; opType: string }[] {
  const g = readFields(model).find((f) => f.field === 7)!;
  const graph = model.subarray(g.valueStart, g.end);
  const decode = (b: Uint8Array, f: { valueStart: number; end: number }) => new TextDecoder().decode(b.subarray(f.valueStart, f.end));
  return readFields(graph).filter((f) => f.field === 1).map((f) => {
    const bytes = graph.subarray(f.valueStart, f.end);
    const fields = readFields(bytes);
    return {
      inputs: fields.filter((x) => x.field === 1).map((x) => decode(bytes, x)),
      outputs: fields.filter((x) => x.field === 2).map((x) => decode(bytes, x)),
      opType: decode(bytes, fields.find((x) => x.field === 4)!),
    };
  });
}

test('expandPrelu replaces each PRelu by Relu, Sub, Mul, Add wired as r + slope * (x - r), in place', () => {
  const graph = concatBytes([
    lengthField(1, node('Conv', ['in', 'w'], ['c'], 'conv')),
    lengthField(1, node('PRelu', ['c', 'slope'], ['p'], 'act')),
    lengthField(1, node('Flatten', ['p'], ['out'], 'flat')),
    lengthField(2, text('g')),
  ]);
  const model = concatBytes([varintField(1, 6), lengthField(7, graph)]);
  const nodes = nodesOf(expandPrelu(model));
  assert.deepEqual(nodes.map((n) => n.opType), ['Conv', 'Relu', 'Sub', 'Mul', 'Add', 'Flatten']);
  const [, relu, sub, mul, add] = nodes;
  const r = relu!.outputs[0]!, n = sub!.outputs[0]!, s = mul!.outputs[0]!;
  assert.deepEqual(relu!.inputs, ['c']);
  assert.deepEqual(sub!.inputs, ['c', r]);
  assert.deepEqual(mul!.inputs, ['slope', n]);
  assert.deepEqual(add!.inputs, [r, s]);
  assert.deepEqual(add!.outputs, ['p']);
  assert.equal(new Set([r, n, s, 'c', 'p', 'out']).size, 6);
  // Without PRelu the very same bytes come back.
  const plain = concatBytes([varintField(1, 6), lengthField(7, concatBytes([lengthField(1, node('Relu', ['a'], ['b'], 'r'))]))]);
  assert.equal(expandPrelu(plain), plain);
});
