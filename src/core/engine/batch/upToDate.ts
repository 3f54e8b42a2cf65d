// Resumable batches: an input whose document was made from the same media (sha256), by the same Emotion Lens
// version, with the same settings and models as this request would use, need not be analysed again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { AnalysisSettings, AnnotationDocument, ModelRef } from '../../../shared/annotationDocument';
import { readExistingDocument } from '../../document/annotationFile';
import { cachedSha256 } from '../../models/download';
import { folderDigest } from '../../models/folderDigest';
import { findModel, loadManifest } from '../../models/modelManifest';
import { chooseSpeechModel } from '../../models/speechModelSelection';
import { outputPathOf, VAD_MODEL_ID } from '../analysisRequest';
import type { AnalysisRequest } from '../analysisRequest';
import { FACE_BLENDSHAPES_MODEL_ID, FACE_MESH_MODEL_ID } from '../../geometry/geometryModels';
import type { MeshSidecarLink } from '../../../shared/faceGeometry';
import { analyzedSettings } from '../pipeline/documentAssembly';
import { TOOL } from '../toolInfo';

export type Freshness = { upToDate: true; document: string } | { upToDate: false; reason: string };

/** Whether the request's document already holds what analysing it again would produce (corrections aside). */
export async function documentFreshness(request: AnalysisRequest): Promise<Freshness> {
  const documentPath = outputPathOf(request);
  let doc: AnnotationDocument | undefined;
  try {
    doc = await readExistingDocument(documentPath);
  } catch {
    return { upToDate: false, reason: 'its document cannot be read' };
  }
  if (!doc) return { upToDate: false, reason: 'no document yet' };
  if (doc.provenance.tool.version !== TOOL.version) return { upToDate: false, reason: `made by Emotion Lens ${doc.provenance.tool.version}` };
  if (!sameSettings(doc, request.settings)) return { upToDate: false, reason: 'made with other settings' };
  const sha256 = await cachedSha256(request.input).catch(() => undefined);
  if (sha256 !== doc.media.sha256) return { upToDate: false, reason: 'the media changed' };
  if (!sameModels(doc.provenance.models, await expectedModels(request, doc))) return { upToDate: false, reason: 'made with other models' };
  if (doc.geometry.mesh && !(await sidecarPresent(documentPath, doc.geometry.mesh))) return { upToDate: false, reason: 'its mesh sidecar is missing or changed' };
  return { upToDate: true, document: documentPath };
}

/** The sidecar the document links is there, with its size (its sha256 is checked when it is read). */
async function sidecarPresent(documentPath: string, link: MeshSidecarLink): Promise<boolean> {
  const stats = await fs.stat(path.join(path.dirname(documentPath), link.path)).catch(() => undefined);
  return stats?.size === link.bytes;
}

/** A document records speech and voice as on only when the media had audio, geometry only when it had a picture. */
function sameSettings(doc: AnnotationDocument, settings: AnalysisSettings): boolean {
  return isDeepStrictEqual(doc.provenance.settings, analyzedSettings(settings, doc.media));
}

/**
 * The models the request would record: detector and expression models by their manifest sha256 (none for a
 * speech recording), the VAD model when the document used one, the speech model by its folder digest. A
 * document whose voice was segmented by the energy rule (no VAD model then) is not redone for that alone.
 */
async function expectedModels(request: AnalysisRequest, doc: AnnotationDocument): Promise<ModelRef[]> {
  const hasAudio = doc.media.hasAudio;
  const manifest = loadManifest();
  const ref = (role: ModelRef['role'], id: string): ModelRef => {
    const entry = findModel(manifest, id);
    return { role, id, sha256: entry.files[0]?.sha256 ?? '', ...(entry.calibration ? { temperature: entry.calibration.temperature } : {}) };
  };
  const faceModels = doc.media.kind === 'audio' ? [] : [ref('faceDetector', request.models.detectorId), ...request.settings.expressionModels.map((id) => ref('expression', id))];
  // As with the VAD: a document whose geometry models could not be had is not redone for that alone.
  if (request.settings.geometry && doc.geometry.status === 'ok') faceModels.push(ref('faceMesh', FACE_MESH_MODEL_ID), ref('blendshapes', FACE_BLENDSHAPES_MODEL_ID));
  const usedVad = request.settings.voice && hasAudio && doc.provenance.models.some((m) => m.role === 'vad');
  const models = [...faceModels, ...(usedVad ? [ref('vad', VAD_MODEL_ID)] : [])];
  if (!request.settings.speech || !hasAudio) return models;
  const choice = chooseSpeechModel({ ...request.speech, modelsDir: request.models.modelsDir, cacheDir: request.models.cacheDir });
  if (!choice.config) return models;
  return [...models, { role: 'speech', id: choice.config.modelId, sha256: await folderDigest(choice.config.modelDir) }];
}

function sameModels(recorded: readonly ModelRef[], expected: readonly ModelRef[]): boolean {
  const key = (m: ModelRef): string => `${m.role}\0${m.id}\0${m.sha256}\0${m.temperature ?? 1}`;
  return isDeepStrictEqual(recorded.map(key).sort(), expected.map(key).sort());
}
