// Messages between measureVoice() (caller thread) and the voice worker thread (the PCM streaming messages
// of core/workers/pcmWorkerSession.ts, with the voice's own result).
import type { FixNames } from '../fixNames';
import type { FromPcmWorker, ToPcmWorker } from '../workers/pcmWorkerSession';
import type { SpeechSpan } from './speechActivity';
import type { VoiceTrack } from './voiceTracker';

export interface VoiceWorkerData {
  /** The Silero VAD model file (sha256 already checked); absent: speech is found by the energy rule. */
  vadModelPath?: string;
  fixNames?: FixNames;
}

export interface VoiceMeasurement {
  /** Frame by frame: pitch, intensity, loudness, harmonicity, and the glottal periods. */
  track: VoiceTrack;
  /** Where someone speaks. */
  spans: SpeechSpan[];
  segmentation: 'silero-vad' | 'energy';
  /** Seconds of audio measured. */
  audioSec: number;
}

/**
 * `begin` says the rate of the samples that follow (the recording's own, at most 48 kHz: audioReader.ts), and may
 * say how many the input will have (from its probed duration): the tracker then lays its frames where Praat
 * lays them on the whole file, so the measures agree with Praat's to rounding.
 */
export interface VoiceBegin {
  sampleRate: number;
  expectedSamples?: number;
  /** Keep the critical-band levels of every frame (voice prints, for who speaks); they are not sent otherwise. */
  bandLevels?: boolean;
}

export type ToVoiceWorker = ToPcmWorker<VoiceBegin>;
export type FromVoiceWorker = FromPcmWorker<VoiceMeasurement>;
