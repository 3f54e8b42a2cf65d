/**
 * The iBUG 68 points of every face, from the document's mesh sidecar (ibug68.ts maps the 478-point mesh to them),
 * for the exports that carry 68 landmarks (Py-Feat's and OpenFace's x_0..x_67, y_0..y_67). Only the mesh columns
 * the 68 points need are read.
 */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { faceKey } from '../../shared/labelPrecedence';
import { readMeshSidecar } from '../document/meshSidecarReader';
import { IBUG68_FROM_MESH } from '../geometry/ibug68';

/** By faceKey(frame index, track id): x0, y0, x1, y1, ... x67, y67 in source pixels. */
export type MeshLandmarks = ReadonlyMap<string, readonly number[]>;

const POINTS = [...new Set(IBUG68_FROM_MESH.flat())].sort((a, b) => a - b);
const COLUMNS = POINTS.flatMap((p) => [`mesh_x_${p}`, `mesh_y_${p}`]);

/** The landmarks, or (sidecar missing, changed, unreadable) a one-line warning; neither when the document links no sidecar. */
export async function loadMeshLandmarks(doc: AnnotationDocument, documentPath: string): Promise<{ landmarks?: MeshLandmarks; warning?: string }> {
  const read = await readMeshSidecar(doc, documentPath, COLUMNS, 'the 68 landmark columns are left empty');
  if (read.status === 'none') return {};
  if (read.status === 'unusable') return { warning: read.warning };
  const { columns } = read;
  const landmarks = new Map<string, number[]>();
  for (let row = 0; row < columns.rows; row++) {
    const point: number[] = [];
    for (const ids of IBUG68_FROM_MESH) {
      let x = 0, y = 0;
      for (const id of ids) {
        x += columns.values.get(`mesh_x_${id}`)![row]!;
        y += columns.values.get(`mesh_y_${id}`)![row]!;
      }
      point.push(x / ids.length, y / ids.length);
    }
    landmarks.set(faceKey(columns.frame[row]!, columns.trackId[row]!), point);
  }
  return { landmarks };
}
