/**
 * The mouths' motion for telling who speaks (core/voice/mouthMotion.ts): measured after the faces and the voice,
 * as it needs both (where the mouths are, and when someone speaks), and only in a video with faces, speech and
 * face geometry on. It cannot fail the analysis: a failure leaves every speaker `unknown` with the reason.
 */
import { errorMessage, isCancelled } from '../../errors';
import type { FfmpegTools, MediaProbe } from '../../media/mediaTypes';
import { splitLongSpans, MAX_SEGMENT_SEC } from '../../voice/voiceSection';
import { measureMouthMotion } from '../../voice/mouthMotion';
import type { MouthMotion, MouthSample } from '../../voice/mouthMotion';
import type { AnalysisRequest } from '../analysisRequest';
import type { AudioStageResult } from './audioStage';
import type { FaceStageResult } from './faceStage';

export type SpeakerStageResult = { motion: MouthMotion } | { reason: string } | undefined;

/** The mouths' motion over the speech spans; undefined when there is nothing to attribute (no video, no speech, no faces). */
export async function analyseSpeakers(tools: () => Promise<FfmpegTools>, input: string, probe: MediaProbe, request: AnalysisRequest, faces: FaceStageResult, audio: AudioStageResult, signal: AbortSignal): Promise<SpeakerStageResult> {
  if (probe.kind !== 'video' || !('measurement' in audio.voice)) return undefined;
  const spans = [...splitLongSpans(audio.voice.measurement.spans, MAX_SEGMENT_SEC), ...audio.speech.transcript.utterances];
  const samples: MouthSample[] = faces.frames
    .filter((f) => f.faces.length > 0)
    .map((f) => ({ timeSec: f.timeSec, faces: f.faces.map((face, i) => ({ trackId: f.trackIds[i]!, landmarks: face.landmarks, box: face.box })) }));
  if (spans.length === 0 || faces.geometry?.status !== 'ok') return undefined;
  // No face anywhere: every voice is off screen, with nothing to decode.
  if (samples.length === 0) return { motion: { times: [], tracks: new Map() } };
  try {
    return { motion: await measureMouthMotion(await tools(), input, probe, samples, spans, { maxSide: request.settings.maxAnalysisSide, signal }) };
  } catch (error) {
    if (signal.aborted || isCancelled(error)) throw error;
    return { reason: `mouth motion could not be measured: ${errorMessage(error)}` };
  }
}
