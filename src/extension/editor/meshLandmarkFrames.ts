/**
 * The landmark overlay's data, on the host's side: the 68 points of every face of one frame, taken from the
 * document's mesh sidecar (the document holds no mesh). The sidecar is read once per document (its x and y
 * columns only, reduced to 68 points a face and kept as float32: an hour of two faces is about 20 MB), then
 * each frame the webview asks for is a lookup. No `vscode` here, so tests run it under Node.
 */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import type { FaceLandmarks, LandmarksAnswer } from '../../shared/reviewProtocol';
import { LANDMARK_VALUES } from '../../shared/reviewProtocol';
import { loadMeshLandmarks } from '../../core/export/meshLandmarks';

/** Points are sent to a tenth of a pixel: finer means nothing on a screen. */
const round = (v: number): number => Math.round(v * 10) / 10;

type Loaded = { byFrame: Map<number, { trackId: number; points: Float32Array }[]> } | { error: string };

export class MeshLandmarkFrames {
  /** Keyed by the sidecar's sha256 (a new analysis writes a new one), per document path. */
  private loaded: { key: string; value: Promise<Loaded> } | undefined;

  constructor(private readonly documentPath: string) {}

  /** The faces' landmarks in frame `frameIndex` of `doc` (the document as the editor holds it now). */
  async frame(doc: AnnotationDocument, frameIndex: number): Promise<LandmarksAnswer> {
    const link = doc.geometry?.mesh;
    if (!link) return { frameIndex, faces: [], error: 'this document has no face mesh (analysed without face geometry)' };
    const key = `${link.sha256}:${link.rows}`;
    if (this.loaded?.key !== key) this.loaded = { key, value: load(doc, this.documentPath) };
    const loaded = await this.loaded.value;
    if ('error' in loaded) return { frameIndex, faces: [], error: loaded.error };
    const faces: FaceLandmarks[] = (loaded.byFrame.get(frameIndex) ?? []).map((f) => ({ trackId: f.trackId, points: Array.from(f.points, round) }));
    return { frameIndex, faces };
  }
}

async function load(doc: AnnotationDocument, documentPath: string): Promise<Loaded> {
  const { landmarks, warning } = await loadMeshLandmarks(doc, documentPath, 'the landmark overlay has nothing to draw');
  if (!landmarks) return { error: warning ?? 'this document has no face mesh' };
  const byFrame = new Map<number, { trackId: number; points: Float32Array }[]>();
  for (const [key, points] of landmarks) {
    if (points.length !== LANDMARK_VALUES) continue;
    const [frame, trackId] = key.split(':').map(Number) as [number, number];
    const list = byFrame.get(frame) ?? [];
    list.push({ trackId, points: Float32Array.from(points) });
    byFrame.set(frame, list);
  }
  return { byFrame };
}
