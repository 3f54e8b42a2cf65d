/** The annotation document of one analysed input, assembled from what the stages measured, and its outcome. */
import path from 'node:path';
import type { AnalysisSettings, AnnotationDocument, MediaKind, ModelRef, Transcript, Voice } from '../../../shared/annotationDocument';
import type { GeometrySection, MeshSidecarLink } from '../../../shared/faceGeometry';
import { geometryLayout } from '../../../shared/faceGeometry';
import { SCHEMA_VERSION } from '../../../shared/annotationDocument';
import { mergeCorrections } from '../../document/correctionsMerge';
import type { MergeReport } from '../../document/correctionsMerge';
import { truncationWarnings } from '../../media/decodedExtent';
import type { DecodedExtent } from '../../media/decodedExtent';
import type { MediaProbe } from '../../media/mediaTypes';
import { canonicalLabelsOf, findModel, loadManifest } from '../../models/modelManifest';
import { buildFrameRecords, summariseTracks } from '../../timeline/frameRecords';
import { buildSegments, defaultSegmentOptions } from '../../timeline/segments';
import { speakerAttributor } from '../../voice/speakerAttribution';
import type { SpeakerAttributor } from '../../voice/speakerAttribution';
import { buildVoiceSection } from '../../voice/voiceSection';
import type { AnalysisOutcome, AnalysisRequest } from '../analysisRequest';
import { TOOL } from '../toolInfo';
import type { AudioStageResult } from './audioStage';
import type { FaceStageResult } from './faceStage';
import type { SpeakerStageResult } from './speakerStage';

/** The new analysis with the corrections of the document it replaces carried over. */
export function mergeInto(previous: AnnotationDocument, built: AnnotationDocument): { document: AnnotationDocument; merge: MergeReport } {
  const { document, report } = mergeCorrections(previous, built);
  return { document, merge: report };
}

export interface DocumentParts {
  request: AnalysisRequest;
  input: string;
  outputPath: string;
  probe: MediaProbe;
  sha256: string;
  faces: FaceStageResult;
  audio: AudioStageResult;
  decoded: DecodedExtent;
  started: number;
  /** The mesh sidecar's link, when faces had geometry (the file itself is put in place with the document). */
  mesh?: MeshSidecarLink;
  /** The mouths' motion over the speech, for who speaks (undefined: nothing to attribute). */
  speakers?: SpeakerStageResult;
}

/** Seconds between sampled frames (one source frame when every frame is analysed). */
function sampleInterval(request: AnalysisRequest, probe: MediaProbe): number {
  const fps = request.settings.sampleFps > 0 && (probe.fps === 0 || request.settings.sampleFps < probe.fps) ? request.settings.sampleFps : probe.fps;
  return fps > 0 ? 1 / fps : 0;
}

export function buildDocument(parts: DocumentParts): AnnotationDocument {
  const { request, probe, faces, audio } = parts;
  const settings = analyzedSettings(request.settings, probe);
  const frames = buildFrameRecords(faces.labels, faces.frames, settings.smoothingSec);
  const geometry = geometrySection(faces, parts.mesh);
  const { transcript, voice } = voiceAndTranscript(audio, probe.kind === 'video' ? (envelope) => speakersOf(parts.speakers, envelope, geometry) : undefined);
  const warnings = [...truncationWarnings(probe, parts.decoded, sampleInterval(request, probe)), ...faces.warnings, ...audio.warnings];
  if (transcript.status === 'unavailable' || transcript.status === 'failed') warnings.push(`speech ${transcript.status}: ${transcript.reason ?? ''}`.trim());
  if (voice.status === 'failed') warnings.push(voice.reason ?? 'voice measurement failed');
  const voiceModel = 'measurement' in audio.voice ? audio.voice.vadRef : undefined;
  const models: ModelRef[] = [...faces.models, ...(audio.speech.model ? [audio.speech.model] : []), ...(voiceModel ? [voiceModel] : [])];
  return {
    schemaVersion: SCHEMA_VERSION,
    media: {
      path: relativeMediaPath(parts.outputPath, parts.input),
      sha256: parts.sha256,
      kind: probe.kind,
      durationSec: probe.durationSec,
      fps: probe.fps,
      width: probe.width,
      height: probe.height,
      rotation: probe.rotation,
      startTimeSec: probe.startTimeSec,
      hasAudio: probe.hasAudio,
      ...(probe.videoCodec ? { videoCodec: probe.videoCodec } : {}),
      ...(probe.audioCodec ? { audioCodec: probe.audioCodec } : {}),
      ...(probe.kind !== 'image' ? { analysedUntilSec: definedOnly(parts.decoded) } : {}),
    },
    provenance: {
      tool: { ...TOOL },
      models,
      settings,
      createdAt: new Date().toISOString(),
      elapsedSec: Math.round((Date.now() - parts.started) / 10) / 100,
    },
    labels: faces.labels,
    frames,
    tracks: summariseTracks(faces.labels, frames),
    transcript,
    voice,
    geometry,
    segments: buildSegments(faces.labels, frames, transcript.utterances, voice.segments, probe.durationSec, { ...defaultSegmentOptions, segmentSec: settings.segmentSec }),
    corrections: [],
    unplacedCorrections: [],
    warnings,
  };
}

/** The settings as they applied: speech and voice need audio, geometry needs a picture, who speaks a video. */
export function analyzedSettings(settings: AnalysisSettings, media: { hasAudio: boolean; kind: MediaKind }): AnalysisSettings {
  return { ...settings, speech: settings.speech && media.hasAudio, voice: settings.voice && media.hasAudio, geometry: settings.geometry && media.kind !== 'audio', speakers: media.kind === 'video' ? settings.speakers : 'off' };
}

/** Whether geometry was measured (and if not, why), the layout of each face's measures, and the sidecar link. */
function geometrySection(faces: FaceStageResult, mesh: MeshSidecarLink | undefined): GeometrySection {
  const layout = geometryLayout();
  const state = faces.geometry ?? { status: 'no-video', reason: 'a speech recording has no faces' };
  if (state.status !== 'ok') return { status: state.status, reason: state.reason, layout };
  return { status: 'ok', layout, ...(mesh ? { mesh } : {}) };
}

type Envelope = Parameters<typeof speakerAttributor>[0]['envelope'];

/** Who speaks, from the faces' mouths: `unknown` throughout when faces carry no geometry. */
function speakersOf(speakers: SpeakerStageResult, envelope: Envelope, geometry: GeometrySection): SpeakerAttributor {
  if (geometry.status !== 'ok') return speakerAttributor({ envelope, geometry: { ok: false, reason: `face geometry ${geometry.status}${geometry.reason ? ` (${geometry.reason})` : ''}` } });
  if (speakers && 'reason' in speakers) return speakerAttributor({ envelope, geometry: { ok: false, reason: speakers.reason } });
  return speakerAttributor({ envelope, geometry: { ok: true }, ...(speakers ? { mouths: speakers.mouths } : {}) });
}

/**
 * The transcript with each utterance's voice (and speaker, in a video), and the voice section, from what the
 * audio stage measured.
 */
function voiceAndTranscript(audio: AudioStageResult, speakers?: (envelope: Envelope) => SpeakerAttributor): { transcript: Transcript; voice: Voice } {
  const transcript = audio.speech.transcript;
  if (!('measurement' in audio.voice)) return { transcript, voice: audio.voice.section };
  const { measurement } = audio.voice;
  const attributor = speakers?.(measurement.track);
  const { voice, utteranceVoices, utteranceSpeakers } = buildVoiceSection(measurement, transcript.words, transcript.utterances, transcript.status === 'ok', attributor);
  const utterances = transcript.utterances.map((u, i) => ({ ...u, voice: utteranceVoices[i]!, ...(utteranceSpeakers ? { speaker: utteranceSpeakers[i]! } : {}) }));
  return { transcript: { ...transcript, utterances }, voice };
}

/** An audio file has no picture: no face models are loaded, and the labels are the configured model's. */
export function noFaces(request: AnalysisRequest): FaceStageResult {
  const manifest = loadManifest();
  const first = request.settings.expressionModels[0];
  return { labels: first ? canonicalLabelsOf(findModel(manifest, first)) : [], frames: [], models: [], warnings: [] };
}

function definedOnly(extent: DecodedExtent): DecodedExtent {
  return Object.fromEntries(Object.entries(extent).filter(([, v]) => v !== undefined));
}

/** The media path as stored: relative to the document, with forward slashes so documents travel between systems. */
function relativeMediaPath(documentPath: string, mediaPath: string): string {
  return path.relative(path.dirname(documentPath), mediaPath).split(path.sep).join('/');
}

/** What the caller is told about the finished analysis (the document itself is on disk). */
export function outcomeOf(doc: AnnotationDocument, input: string, outputPath: string, merge: MergeReport | undefined, started: number): AnalysisOutcome {
  return {
    input,
    outputPath,
    frames: doc.frames.length,
    facesFound: doc.frames.reduce((n, f) => n + f.faces.length, 0),
    tracks: doc.tracks.map((t) => ({ id: t.id, dominantLabel: t.dominantLabel, meanConfidence: t.meanConfidence, frameCount: t.frameCount })),
    transcript: {
      status: doc.transcript.status,
      ...(doc.transcript.reason ? { reason: doc.transcript.reason } : {}),
      words: doc.transcript.words.length,
      utterances: doc.transcript.utterances.length,
    },
    kind: doc.media.kind,
    voice: {
      status: doc.voice.status,
      segments: doc.voice.segments.length,
      speechSec: Math.round(doc.voice.segments.reduce((sum, s) => sum + s.endSec - s.startSec, 0) * 10) / 10,
    },
    corrections: { kept: merge?.kept ?? 0, unplaced: merge?.unplaced.length ?? 0 },
    models: doc.provenance.models,
    warnings: doc.warnings,
    elapsedSec: (Date.now() - started) / 1000,
  };
}
