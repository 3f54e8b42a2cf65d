/**
 * How open the mouths are, for telling who speaks (core/voice/mouthOpenings.ts): measured after the faces and the voice,
 * as it needs both (where the faces are, and when someone speaks), and only in a video with faces, speech and
 * face geometry on, as the `speakers` setting says: `auto` (the default) when two or more faces are seen during the
 * speech, where who said what matters, as the pass costs about 15 CPU s per minute of speech per face; `on` also on
 * a single face (it tells a voice-over); `off` never (docs/voice.md). It runs the face mesh on the session's frame
 * workers. It cannot fail the analysis: a failure leaves every speaker `unknown` with the reason.
 */
import { errorMessage, isCancelled } from '../../errors';
import type { FfmpegTools, MediaProbe } from '../../media/mediaTypes';
import { STAGE, StageProfile } from '../../profiling/stageProfile';
import { measureMouthOpenings } from '../../voice/mouthOpenings';
import type { MouthSeries, TrackSample } from '../../voice/mouthOpenings';
import { withinSpans } from '../../voice/timeSpans';
import type { TimeSpan } from '../../voice/timeSpans';
import type { SpeakersMode } from '../../../shared/annotationDocument';
import type { AnalysisProgress, AnalysisRequest } from '../analysisRequest';
import type { AudioStageResult } from './audioStage';
import type { FaceStageResult } from './faceStage';
import type { PipelineResources } from './pipelineResources';

export type SpeakerStageResult = { mouths: MouthSeries } | { reason: string } | undefined;

/** Why no speaker is named when the setting is off. */
export const SPEAKERS_OFF = 'turned off (--no-speakers, or the emotionLens.speakers setting)';
/** Why no speaker is named in a video where no one speaks. */
export const NO_SPEECH = 'no speech was found';
/** Why no speaker is named when `auto` saw fewer than two faces during the speech. */
export const SPEAKERS_AUTO_SKIPPED = 'who speaks runs by itself with two or more; --speakers (emotionLens.speakers: on) checks a voice-over';

/** A track counts as on screen during the speech from this many sampled frames: one frame alone may be a false detection. */
export const MIN_FRAMES_DURING_SPEECH = 2;

/** Not run, as there is nothing to measure: a video with no face at all, whose every voice is off screen. */
export const NO_FACE_ANYWHERE = { run: false, offScreen: true, reason: 'no face in the video: every voice is off screen' } as const;

type SpeakersDecision = { run: true } | { run: false; reason: string } | typeof NO_FACE_ANYWHERE;

/**
 * Whether to measure the mouths (the costly pass), or why not: `auto` runs it when at least two face tracks are
 * each seen in MIN_FRAMES_DURING_SPEECH sampled frames inside the speech spans. `off` attributes nothing (its reason
 * comes before any other), not even a video with no face at all, which is otherwise off screen with nothing to measure (NO_FACE_ANYWHERE).
 */
export function speakersDecision(mode: SpeakersMode, samples: readonly TrackSample[], spans: readonly TimeSpan[]): SpeakersDecision {
  if (mode === 'off') return { run: false, reason: SPEAKERS_OFF };
  if (spans.length === 0) return { run: false, reason: NO_SPEECH };
  if (samples.length === 0) return NO_FACE_ANYWHERE;
  if (mode === 'on') return { run: true };
  const faces = facesDuringSpeech(samples, spans);
  if (faces >= 2) return { run: true };
  return { run: false, reason: `${faces === 0 ? 'no face' : 'one face'} on screen during the speech: ${SPEAKERS_AUTO_SKIPPED}` };
}

/** How many tracks are seen in at least MIN_FRAMES_DURING_SPEECH sampled frames inside the spans. */
function facesDuringSpeech(samples: readonly TrackSample[], spans: readonly TimeSpan[]): number {
  const frames = new Map<number, number>();
  for (const sample of samples) {
    if (!withinSpans(sample.timeSec, spans)) continue;
    for (const face of sample.faces) frames.set(face.trackId, (frames.get(face.trackId) ?? 0) + 1);
  }
  return [...frames.values()].filter((n) => n >= MIN_FRAMES_DURING_SPEECH).length;
}

/** Stage names of --profile: the extra decoding pass and the mesh runs it feeds. */
export const SPEAKER_STAGE = { decode: 'who speaks: decode video (ffmpeg)', mesh: 'who speaks: mouth openings, face mesh (workers)' } as const;

export interface SpeakerStageHooks {
  signal: AbortSignal;
  onProgress: (progress: AnalysisProgress) => void;
  profile?: StageProfile;
}

/** The mouths' openings over the speech spans, or why they were not measured; undefined without a video, its voice or face geometry. */
export async function analyzeSpeakers(tools: () => Promise<FfmpegTools>, input: string, probe: MediaProbe, request: AnalysisRequest, faces: FaceStageResult, audio: AudioStageResult, resources: PipelineResources, hooks: SpeakerStageHooks): Promise<SpeakerStageResult> {
  // Without geometry the document's assembly says why from the geometry section.
  if (probe.kind !== 'video' || !('measurement' in audio.voice) || faces.geometry?.status !== 'ok') return undefined;
  const spans = audio.voice.measurement.spans;
  const samples: TrackSample[] = faces.frames
    .filter((f) => f.faces.length > 0)
    .map((f) => ({ timeSec: f.timeSec, faces: f.faces.map((face, i) => ({ trackId: f.trackIds[i]!, box: face.box, landmarks: face.landmarks })) }));
  const decision = speakersDecision(request.settings.speakers, samples, spans);
  // No face anywhere: every voice is off screen, with nothing to decode.
  if ('offScreen' in decision) return { mouths: { times: [], tracks: new Map(), meshMs: 0, faceFrames: 0 } };
  if (!decision.run) return { reason: decision.reason };
  hooks.onProgress({ kind: 'stage', stage: 'analyse', message: 'Measuring mouths for who speaks' });
  // Its own profile, so this pass's decoding is told apart from the face stage's.
  const own = new StageProfile();
  try {
    const mouths = await resources.useFaceEngine(request, hooks.onProgress, hooks.signal, async (engine) =>
      measureMouthOpenings(await tools(), input, probe, samples, spans, engine.pool, {
        maxSide: request.settings.maxAnalysisSide,
        signal: hooks.signal,
        maxInFlight: Math.max(2, request.threads * 2),
        profile: own,
      }),
    );
    hooks.profile?.add(SPEAKER_STAGE.mesh, mouths.meshMs / 1000);
    hooks.profile?.add(SPEAKER_STAGE.decode, own.seconds(STAGE.videoDecode) + own.seconds(STAGE.frameRead));
    return { mouths };
  } catch (error) {
    if (hooks.signal.aborted || isCancelled(error)) throw error;
    return { reason: `mouth openings could not be measured: ${errorMessage(error)}` };
  }
}
