/**
 * How open the mouths are, for telling who speaks (core/voice/mouthOpenings.ts): measured after the faces and the voice,
 * as it needs both (where the faces are, and when someone speaks), and only in a video with faces, speech and
 * face geometry on, when asked for (the `speakers` setting: off by default, as it is costly and still leaves some short
 * turns of two on-screen speakers unknown; docs/voice.md). It runs the face mesh on the session's frame workers. It cannot fail the analysis: a failure
 * leaves every speaker `unknown` with the reason.
 */
import { errorMessage, isCancelled } from '../../errors';
import type { FfmpegTools, MediaProbe } from '../../media/mediaTypes';
import { STAGE, StageProfile } from '../../profiling/stageProfile';
import { measureMouthOpenings } from '../../voice/mouthOpenings';
import type { MouthSeries, TrackSample } from '../../voice/mouthOpenings';
import type { AnalysisProgress, AnalysisRequest } from '../analysisRequest';
import type { AudioStageResult } from './audioStage';
import type { FaceStageResult } from './faceStage';
import type { PipelineResources } from './pipelineResources';

export type SpeakerStageResult = { mouths: MouthSeries } | { reason: string } | undefined;

/** Why no speaker is named when the setting is off. */
export const SPEAKERS_OFF = 'not asked for (turn it on with --speakers or the emotionLens.speakers setting)';

/** Stage names of --profile: the extra decoding pass and the mesh runs it feeds. */
export const SPEAKER_STAGE = { decode: 'who speaks: decode video (ffmpeg)', mesh: 'who speaks: mouth openings, face mesh (workers)' } as const;

export interface SpeakerStageHooks {
  signal: AbortSignal;
  onProgress: (progress: AnalysisProgress) => void;
  profile?: StageProfile;
}

/** The mouths' openings over the speech spans; undefined when there is nothing to attribute (no video, no speech, no geometry). */
export async function analyzeSpeakers(tools: () => Promise<FfmpegTools>, input: string, probe: MediaProbe, request: AnalysisRequest, faces: FaceStageResult, audio: AudioStageResult, resources: PipelineResources, hooks: SpeakerStageHooks): Promise<SpeakerStageResult> {
  if (probe.kind !== 'video' || !('measurement' in audio.voice) || faces.geometry?.status !== 'ok') return undefined;
  const spans = audio.voice.measurement.spans;
  if (spans.length === 0) return undefined;
  const samples: TrackSample[] = faces.frames
    .filter((f) => f.faces.length > 0)
    .map((f) => ({ timeSec: f.timeSec, faces: f.faces.map((face, i) => ({ trackId: f.trackIds[i]!, box: face.box, landmarks: face.landmarks })) }));
  // No face anywhere: every voice is off screen, with nothing to decode.
  if (samples.length === 0) return { mouths: { times: [], tracks: new Map(), meshMs: 0, faceFrames: 0 } };
  if (!request.settings.speakers) return { reason: SPEAKERS_OFF };
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
