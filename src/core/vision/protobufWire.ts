/**
 * The few protobuf wire-format primitives needed to edit an ONNX model in memory: split a message into
 * fields, re-emit fields (copied byte for byte or replaced), and encode varints and length prefixes.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

/** One field of a message: `start..end` is the whole field (tag included), `valueStart..end` its value. */
export interface WireField {
  field: number;
  wireType: number;
  start: number;
  valueStart: number;
  end: number;
}

/** A varint as an unsigned 64-bit BigInt, and the position after it. */
export function readVarint(buf: Uint8Array, pos: number): { value: bigint; next: number } {
  let value = 0n;
  for (let shift = 0n, i = pos; i < buf.length && shift < 70n; i++, shift += 7n) {
    const byte = buf[i]!;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value: BigInt.asUintN(64, value), next: i + 1 };
  }
  throw new Error(`malformed protobuf: unterminated varint at byte ${pos}`);
}

/** Minimal varint encoding (as protobuf writers produce); negative numbers as 64-bit two's complement. */
export function encodeVarint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Uint8Array.from(bytes);
}

/** Splits one message into its top-level fields (groups, deprecated since proto2, are rejected). */
export function readFields(buf: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const tag = readVarint(buf, pos);
    const field = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    let valueStart = tag.next;
    let end: number;
    if (wireType === WIRE_VARINT) end = readVarint(buf, valueStart).next;
    else if (wireType === WIRE_FIXED64) end = valueStart + 8;
    else if (wireType === WIRE_FIXED32) end = valueStart + 4;
    else if (wireType === WIRE_LENGTH) {
      const length = readVarint(buf, valueStart);
      valueStart = length.next;
      end = valueStart + Number(length.value);
    } else throw new Error(`malformed protobuf: unsupported wire type ${wireType} at byte ${start}`);
    if (field === 0 || end > buf.length) throw new Error(`malformed protobuf: field ${field} at byte ${start} runs past the end`);
    fields.push({ field, wireType, start, valueStart, end });
    pos = end;
  }
  return fields;
}

/** The value bytes of a length-delimited field (a view, not a copy). */
export function fieldValue(buf: Uint8Array, f: WireField): Uint8Array {
  return buf.subarray(f.valueStart, f.end);
}

/** A complete length-delimited field: tag, length, payload. */
export function lengthField(field: number, payload: Uint8Array): Uint8Array {
  return concatBytes([encodeVarint((field << 3) | WIRE_LENGTH), encodeVarint(payload.length), payload]);
}

/** A complete varint field. */
export function varintField(field: number, value: number | bigint): Uint8Array {
  return concatBytes([encodeVarint((field << 3) | WIRE_VARINT), encodeVarint(value)]);
}

/** A complete fixed32 field holding a float (protobuf `float`): tag, then the IEEE 754 single, little-endian. */
export function floatField(field: number, value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  return concatBytes([encodeVarint((field << 3) | WIRE_FIXED32), bytes]);
}

/**
 * Re-emits `buf` field by field: `edit` returns undefined to copy a field byte for byte, null to drop it,
 * or the complete replacement bytes (tag included). Returns `buf` itself when nothing was edited.
 */
export function rewriteFields(buf: Uint8Array, edit: (f: WireField) => Uint8Array | null | undefined): Uint8Array {
  const parts: Uint8Array[] = [];
  let changed = false;
  for (const f of readFields(buf)) {
    const replacement = edit(f);
    if (replacement === undefined) {
      parts.push(buf.subarray(f.start, f.end));
      continue;
    }
    changed = true;
    if (replacement !== null) parts.push(replacement);
  }
  return changed ? concatBytes(parts) : buf;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
