import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AnnotationDocument, ModelRef, Transcript, Voice } from '../../shared/annotationDocument';
import { SCHEMA_VERSION } from '../../shared/annotationDocument';
import { documentPathFor, readExistingDocument, writeAnnotationDocument } from '../document/annotationFile';
import { mergeCorrections } from '../document/correctionsMerge';
import type { MergeReport } from '../document/correctionsMerge';
import { CancelledError, isCancelled, throwIfAborted } from '../errors';
import { truncationWarnings, videoExtent } from '../media/decodedExtent';
import type { DecodedExtent } from '../media/decodedExtent';
import { locateFfmpeg } from '../media/ffmpegTools';
import { probeImageWithSharp } from '../vision/imageDecoding';
import type { MediaProbe } from '../media/mediaTypes';
import { probeMedia } from '../media/probe';
import { cachedSha256 } from '../models/download';
import { buildFrameRecords, summariseTracks } from '../timeline/frameRecords';
import { buildSegments, defaultSegmentOptions } from '../timeline/segments';
import type { AnalysisOutcome, AnalysisProgress, AnalysisRequest } from './analysisRequest';
import { AnalysisSession } from './analysisSession';
import { analyseFaces } from './faceStage';
import type { FaceStageResult } from './faceStage';
import { analyseAudio } from './audioStage';
import type { AudioStageResult } from './audioStage';
import { buildVoiceSection } from '../voice/voiceSection';
import { canonicalLabelsOf, findModel, loadManifest } from '../models/modelManifest';
import { TOOL } from './toolInfo';

export interface AnalysisHooks {
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
}

/**
 * Analyses one video or image and writes its annotation document, in a session of its own (models loaded
 * and workers started for this input alone). Batches use one AnalysisSession for all their inputs instead.
 */
export async function analyzeMedia(request: AnalysisRequest, hooks: AnalysisHooks = {}): Promise<AnalysisOutcome> {
  const session = new AnalysisSession();
  try {
    return await session.analyze(request, hooks);
  } finally {
    await session.close();
  }
}

/**
 * Analyses one input with a session's models and workers. Faces and speech run at the same time (frames on
 * the worker pool fed by one ffmpeg, audio in a speech worker fed by another); the document is written
 * atomically only when everything succeeded, so a failed or cancelled run leaves no file behind.
 */
export async function analyzeInSession(session: AnalysisSession, request: AnalysisRequest, hooks: AnalysisHooks = {}): Promise<AnalysisOutcome> {
  const started = Date.now();
  const input = path.resolve(request.input);
  const report = hooks.onProgress ?? (() => undefined);
  const outputPath = outputPathOf(request);
  throwIfAborted(hooks.signal, input);

  // An existing document is read first: if it is invalid we stop before spending minutes on analysis.
  const previous = request.existingDocument === 'merge' ? await readExistingDocument(outputPath) : undefined;

  report({ kind: 'stage', stage: 'probe', message: 'Reading media information' });
  const tools = () => locateFfmpeg({ ffmpegPath: request.ffmpeg.ffmpegPath, ffprobePath: request.ffmpeg.ffprobePath });
  const probe = (await probeImageWithSharp(input)) ?? (await probeMedia(await tools(), input, hooks.signal));

  // Internal abort: a failure in one stage stops the others at once.
  const controller = new AbortController();
  const stopAll = () => controller.abort();
  hooks.signal?.addEventListener('abort', stopAll, { once: true });
  try {
    const hashing = cachedSha256(input);
    hashing.catch(() => undefined);
    const stageHooks = { signal: controller.signal, onProgress: report };
    const audio = analyseAudio(tools, input, probe, request, stageHooks, {
      speech: session.speechWorkers,
      voice: session.voiceWorkers,
      vad: () => session.vadModel(request),
    });
    audio.catch(() => undefined);
    const faces = await (probe.kind === 'audio'
      ? Promise.resolve(noFaces(request))
      : session.useFaceEngine(request, report, controller.signal, (engine) => analyseFaces(tools, input, probe, request, engine, stageHooks))
    ).catch((error: unknown) => {
      controller.abort();
      throw error;
    });
    const audioResult = await audio;
    const sha256 = await hashing;
    throwIfAborted(hooks.signal, input);

    report({ kind: 'stage', stage: 'timeline', message: 'Building the timeline' });
    const decoded: DecodedExtent = { video: videoExtent(faces.frames.at(-1)?.timeSec, probe), audio: audioResult.audioDecodedSec };
    const built = buildDocument({ request, input, outputPath, probe, sha256, faces, audio: audioResult, decoded, started });
    const { document, merge } = previous ? mergeInto(previous, built) : { document: built, merge: undefined };
    if (merge && merge.unplaced.length > 0) {
      const message = `${merge.unplaced.length} earlier correction(s) could not be placed on the new analysis; they are kept under unplacedCorrections`;
      document.warnings.push(message);
      report({ kind: 'warning', message });
    }

    throwIfAborted(hooks.signal, input);
    report({ kind: 'stage', stage: 'write', message: `Writing ${path.basename(outputPath)}` });
    await fs.mkdir(path.dirname(outputPath), { recursive: true });
    await writeAnnotationDocument(outputPath, document);
    return outcome(document, input, outputPath, merge, started);
  } catch (error) {
    if (hooks.signal?.aborted || isCancelled(error)) throw new CancelledError(input);
    throw error;
  } finally {
    hooks.signal?.removeEventListener('abort', stopAll);
    controller.abort();
  }
}

/** Where the request's document goes: `outName` under outDir, else `<input>.emotion.json` beside it or in outDir. */
export function outputPathOf(request: AnalysisRequest): string {
  const input = path.resolve(request.input);
  return request.outName
    ? path.join(path.resolve(request.outDir ?? path.dirname(input)), request.outName)
    : documentPathFor(input, request.outDir && path.resolve(request.outDir));
}

function mergeInto(previous: AnnotationDocument, built: AnnotationDocument): { document: AnnotationDocument; merge: MergeReport } {
  const { document, report } = mergeCorrections(previous, built);
  return { document, merge: report };
}

interface DocumentParts {
  request: AnalysisRequest;
  input: string;
  outputPath: string;
  probe: MediaProbe;
  sha256: string;
  faces: FaceStageResult;
  audio: AudioStageResult;
  decoded: DecodedExtent;
  started: number;
}

/** Seconds between sampled frames (one source frame when every frame is analysed). */
function sampleInterval(request: AnalysisRequest, probe: MediaProbe): number {
  const fps = request.settings.sampleFps > 0 && (probe.fps === 0 || request.settings.sampleFps < probe.fps) ? request.settings.sampleFps : probe.fps;
  return fps > 0 ? 1 / fps : 0;
}

function buildDocument(parts: DocumentParts): AnnotationDocument {
  const { request, probe, faces, audio } = parts;
  const settings = { ...request.settings, speech: request.settings.speech && probe.hasAudio, voice: request.settings.voice && probe.hasAudio };
  const frames = buildFrameRecords(faces.labels, faces.frames, settings.smoothingSec);
  const { transcript, voice } = voiceAndTranscript(audio);
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
    segments: buildSegments(faces.labels, frames, transcript.utterances, voice.segments, probe.durationSec, { ...defaultSegmentOptions, segmentSec: settings.segmentSec }),
    corrections: [],
    unplacedCorrections: [],
    warnings,
  };
}

/** The transcript with each utterance's voice, and the voice section, from what the audio stage measured. */
function voiceAndTranscript(audio: AudioStageResult): { transcript: Transcript; voice: Voice } {
  const transcript = audio.speech.transcript;
  if (!('measurement' in audio.voice)) return { transcript, voice: audio.voice.section };
  const { voice, utteranceVoices } = buildVoiceSection(audio.voice.measurement, transcript.words, transcript.utterances, transcript.status === 'ok');
  return { transcript: { ...transcript, utterances: transcript.utterances.map((u, i) => ({ ...u, voice: utteranceVoices[i]! })) }, voice };
}

/** An audio file has no picture: no face models are loaded, and the labels are the configured model's. */
function noFaces(request: AnalysisRequest): FaceStageResult {
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

function outcome(doc: AnnotationDocument, input: string, outputPath: string, merge: MergeReport | undefined, started: number): AnalysisOutcome {
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
    warnings: doc.warnings,
    elapsedSec: (Date.now() - started) / 1000,
  };
}
