/**
 * The iBUG 68 points of every face, from the document's mesh sidecar (ibug68.ts maps the 478-point mesh to them),
 * for the exports that carry 68 landmarks (Py-Feat's and OpenFace's x_0..x_67, y_0..y_67). Only the x and y
 * columns are read.
 */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { faceKey } from '../../shared/labelPrecedence';
import { linkedSidecarPath, meshColumnsOf, openMeshSidecar } from '../document/meshSidecarReader';
import type { MeshColumns } from '../document/meshSidecarReader';
import { errorMessage } from '../errors';
import { MESH_POINTS } from '../geometry/geometryModels';
import { IBUG68_FROM_MESH } from '../geometry/ibug68';

/** By faceKey(frame index, track id): x0, y0, x1, y1, ... x67, y67 in source pixels. */
export type MeshLandmarks = ReadonlyMap<string, readonly number[]>;


/** The landmarks, or (sidecar missing, changed, unreadable) a one-line warning saying `consequence`; neither when the document links no sidecar. */
export async function loadMeshLandmarks(doc: AnnotationDocument, documentPath: string, consequence = 'the 68 landmark columns are left empty'): Promise<{ landmarks?: MeshLandmarks; warning?: string }> {
  const opened = await openMeshSidecar(doc, documentPath, ['mesh_x', 'mesh_y'], consequence);
  if (opened.status === 'none') return {};
  if (opened.status === 'unusable') return { warning: opened.warning };
  const landmarks = new Map<string, number[]>();
  try {
    for await (const batch of opened.batches) addLandmarks(landmarks, meshColumnsOf(batch, ['mesh_x', 'mesh_y']));
  } catch (error) {
    return { warning: `${linkedSidecarPath(documentPath, doc.geometry.mesh!)}: the mesh sidecar cannot be read as Parquet (${errorMessage(error).split('\n')[0]}); ${consequence}. Analyse ${doc.media.path} again to write it.` };
  }
  return { landmarks };
}

function addLandmarks(landmarks: Map<string, number[]>, columns: MeshColumns): void {
  const [xs, ys] = [columns.values.get('mesh_x')!, columns.values.get('mesh_y')!];
  for (let row = 0; row < columns.rows; row++) {
    const point: number[] = [];
    const base = row * MESH_POINTS;
    for (const ids of IBUG68_FROM_MESH) {
      let x = 0, y = 0;
      for (const id of ids) {
        x += xs[base + id]!;
        y += ys[base + id]!;
      }
      point.push(x / ids.length, y / ids.length);
    }
    landmarks.set(faceKey(columns.frame[row]!, columns.trackId[row]!), point);
  }
}
