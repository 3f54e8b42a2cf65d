/**
 * Reads MediaPipe's `geometry_pipeline_metadata_landmarks.binarypb` (a GeometryPipelineMetadata protobuf,
 * mediapipe/tasks/cc/vision/face_geometry/proto/geometry_pipeline_metadata.proto and mesh_3d.proto) into the
 * canonical face the head pose is fitted to: field numbers
 *   GeometryPipelineMetadata: canonical_mesh = 1 (Mesh3d), procrustes_landmark_basis = 2, input_source = 3
 *   Mesh3d: vertex_type = 1, primitive_type = 2, vertex_buffer = 3 (float), index_buffer = 4 (uint32)
 *   WeightedLandmarkRef: landmark_id = 1 (uint32), weight = 2 (float)
 * Repeated scalars may be packed or not (proto2 writes them unpacked); both are read.
 */
import type { CanonicalFace } from '../../src/core/geometry/geometryModels';
import { fieldValue, readFields, readVarint, WIRE_FIXED32, WIRE_LENGTH, WIRE_VARINT } from '../../src/core/vision/protobufWire';
import type { WireField } from '../../src/core/vision/protobufWire';

/** VERTEX_PT: x, y, z, u, v per vertex. */
const VERTEX_PT_STRIDE = 5;

export function parseGeometryMetadata(bytes: Uint8Array, source: string): CanonicalFace {
  let mesh: Uint8Array | undefined;
  const basis: { id: number; weight: number }[] = [];
  let inputSource = 0;
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wireType === WIRE_LENGTH) mesh = fieldValue(bytes, f);
    else if (f.field === 2 && f.wireType === WIRE_LENGTH) basis.push(weightedLandmark(fieldValue(bytes, f)));
    else if (f.field === 3 && f.wireType === WIRE_VARINT) inputSource = Number(readVarint(bytes, f.valueStart).value);
  }
  if (!mesh) throw new Error('geometry metadata has no canonical_mesh');
  // InputSource FACE_LANDMARK_PIPELINE is 1 (DEFAULT 0 means the same in MediaPipe): the pose fit takes mesh landmarks.
  if (inputSource > 1) throw new Error(`geometry metadata input_source ${inputSource} is not the face landmark pipeline`);
  const vertexBuffer: number[] = [];
  const indexBuffer: number[] = [];
  for (const f of readFields(mesh)) {
    if (f.field === 3) vertexBuffer.push(...floats(mesh, f));
    else if (f.field === 4) indexBuffer.push(...varints(mesh, f));
  }
  if (vertexBuffer.length % VERTEX_PT_STRIDE !== 0) throw new Error(`canonical mesh has ${vertexBuffer.length} vertex values, not a multiple of 5`);
  const count = vertexBuffer.length / VERTEX_PT_STRIDE;
  const vertices: number[] = [];
  for (let v = 0; v < count; v++) vertices.push(...vertexBuffer.slice(v * VERTEX_PT_STRIDE, v * VERTEX_PT_STRIDE + 3));
  const weights = new Array<number>(count).fill(0);
  for (const { id, weight } of basis) {
    if (id >= count) throw new Error(`procrustes landmark ${id} is outside the ${count}-vertex mesh`);
    weights[id] = weight;
  }
  return { source, vertexCount: count, vertices, procrustesWeights: weights, triangles: indexBuffer };
}

function weightedLandmark(bytes: Uint8Array): { id: number; weight: number } {
  let id = 0, weight = 0;
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wireType === WIRE_VARINT) id = Number(readVarint(bytes, f.valueStart).value);
    if (f.field === 2 && f.wireType === WIRE_FIXED32) weight = floats(bytes, f)[0]!;
  }
  return { id, weight };
}

function floats(buf: Uint8Array, f: WireField): number[] {
  const view = new DataView(buf.buffer, buf.byteOffset + f.valueStart, f.end - f.valueStart);
  if (f.wireType === WIRE_FIXED32) return [view.getFloat32(0, true)];
  if (f.wireType !== WIRE_LENGTH) throw new Error(`float field ${f.field} has wire type ${f.wireType}`);
  return Array.from({ length: view.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

function varints(buf: Uint8Array, f: WireField): number[] {
  if (f.wireType === WIRE_VARINT) return [Number(readVarint(buf, f.valueStart).value)];
  const out: number[] = [];
  for (let pos = f.valueStart; pos < f.end;) {
    const v = readVarint(buf, pos);
    out.push(Number(v.value));
    pos = v.next;
  }
  return out;
}
