/**
 * The voice as the panel words it: how lively an utterance sounds next to the speaker's usual, the transcript
 * badge's text and tooltip, the speech chart's note when there is no voice to draw, pitch in Hz. Pure.
 */
import type { UtteranceVoice, Voice, VoiceBaseline } from '../shared/annotationDocument';

/**
 * A voice this many SD livelier (or flatter) than the speaker's usual is called lively (flat): the engine's
 * face-voice threshold (voiceArousalThreshold in core/timeline/segments.ts), so a badge and a flag agree.
 */
export const AROUSAL_WORD_Z = 1;

/** Colours of the voice series: chart lines, legend swatches and badges use the same ones (arousal: a colour no label has). */
export const AROUSAL_COLOR_VARIABLE = '--emotion-lens-arousal';
export const PITCH_COLOR_VARIABLE = '--emotion-lens-pitch';

/** Pitch is measured in semitones above this frequency (A0), as Praat's "semitones re 27.5 Hz". */
const PITCH_REFERENCE_HZ = 27.5;

export type ArousalTone = 'lively' | 'flat' | 'usual';

export function arousalTone(z: number): ArousalTone {
  return z >= AROUSAL_WORD_Z ? 'lively' : z <= -AROUSAL_WORD_Z ? 'flat' : 'usual';
}

/** `+1.3`, `−1.1` (a true minus sign), `0.0`: a value that rounds to zero has no sign. */
export function formatSigned(value: number, digits = 1): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${value > 0 ? '+' : '−'}${text}`;
}

export function semitonesToHz(semitones: number): number {
  return PITCH_REFERENCE_HZ * 2 ** (semitones / 12);
}

/** `38.2 st re 27.5 Hz (≈ 252 Hz)`. */
export function pitchText(semitones: number): string {
  return `${semitones.toFixed(1)} st re 27.5 Hz (≈ ${Math.round(semitonesToHz(semitones))} Hz)`;
}

export interface VoiceBadge {
  /** What the badge says: `lively +1.3`, `flat −1.1`, `usual +0.2`, `voice: no baseline` or `voice: not scored`. */
  text: string;
  /** The tooltip: the arousal in words, pitch, loudness, speaking rate (one per line). */
  title: string;
  /** `none`: no arousal score (no baseline of this speaker). */
  tone: ArousalTone | 'none';
}

/** The badge of an utterance's voice; undefined when the voice was not measured (a version 2 document, voice off). */
export function voiceBadge(voice: UtteranceVoice | undefined, baseline: VoiceBaseline): VoiceBadge | undefined {
  if (!voice) return undefined;
  const lines: string[] = [];
  let text: string;
  let tone: VoiceBadge['tone'];
  if (voice.arousal === null) {
    // Without a baseline there is nothing to compare with; with one, this utterance had too little voicing.
    text = baseline.scope === 'none' ? 'voice: no baseline' : 'voice: not scored';
    tone = 'none';
    const why = baseline.scope === 'none' ? baseline.reason : 'too little voiced speech in this utterance';
    lines.push(`Voice arousal not scored: ${why}. Arousal is measured against the same speaker's usual voice.`);
  } else {
    tone = arousalTone(voice.arousal);
    text = `${tone} ${formatSigned(voice.arousal)}`;
    const how = tone === 'lively' ? 'livelier than' : tone === 'flat' ? 'flatter than' : 'close to';
    lines.push(`Voice ${how} this speaker's usual: arousal ${formatSigned(voice.arousal, 2)} SD`);
  }
  if (voice.f0MeanSemitones !== null) {
    const spread = voice.f0P20Semitones !== null && voice.f0P80Semitones !== null ? `, 20–80 %: ${voice.f0P20Semitones.toFixed(1)}–${voice.f0P80Semitones.toFixed(1)} st` : '';
    lines.push(`Pitch ${pitchText(voice.f0MeanSemitones)}${spread}`);
  } else lines.push('Pitch: none measured (no voiced frames)');
  if (voice.intensityDb !== null) lines.push(`Intensity ${voice.intensityDb.toFixed(0)} dB`);
  lines.push(`${voice.wordsPerSecond.toFixed(1)} words/s`);
  return { text, title: lines.join('\n'), tone };
}

/** The voice's series can be drawn: it was measured and speech was found. */
export function hasVoiceSeries(voice: Voice | undefined): voice is Voice {
  return voice !== undefined && voice.status === 'ok' && voice.segments.length > 0;
}

/** The voice was measured against a baseline, so arousal has z-scores to draw. */
export function hasArousal(voice: Voice): boolean {
  return voice.baseline.scope !== 'none' && voice.segments.some((s) => s.arousal !== null);
}

/**
 * What the speech chart's caption says about the voice when it cannot draw all of it (not measured, no speech,
 * no baseline for arousal); undefined when everything is drawn.
 */
export function voiceNote(voice: Voice | undefined): string | undefined {
  if (!voice) return 'voice not analysed: the document has no voice section';
  const reason = voice.reason;
  switch (voice.status) {
    case 'ok':
      if (voice.segments.length === 0) return 'voice: no speech segments were found';
      if (!hasArousal(voice)) return `voice arousal not scored: ${voice.baseline.scope === 'none' ? voice.baseline.reason : 'no segment had enough voiced speech'}`;
      return undefined;
    case 'not-analysed':
      return `voice not analysed: ${reason ?? 'the document was made before voice analysis'}`;
    case 'disabled':
      return `voice not analysed: ${reason ?? 'voice analysis was turned off'}`;
    case 'no-audio':
      return `voice not analysed: ${reason ?? 'the file has no audio'}`;
    case 'no-speech':
      return `no voice: ${reason ?? 'no speech was found'}`;
    case 'failed':
      return `voice analysis failed: ${reason ?? 'no reason was recorded'}`;
    default: {
      const unknown: never = voice.status;
      return `voice: ${String(unknown)}`;
    }
  }
}
