/**
 * The speech chart's layout: which series it draws (the words' sentiment; the voice's arousal and pitch in a
 * band above it), its caption and legend, its y axes and its tooltip text; and the fixed axis widths every
 * chart keeps, so their time axes line up under each other.
 */
import { AROUSAL_AXIS } from './chartSeriesModel';
import { el } from './dom';
import { arousalTone, formatSigned, pitchText } from './voiceModel';

/** The speech chart's series, in dataset order. */
export type SpeechSeries = 'sentiment' | 'arousal' | 'pitch';

/** The pitch axis's title: what its numbers are (semitones above A0, as Praat reports them). */
export const PITCH_AXIS_TITLE = 'pitch (st re 27.5 Hz)';

const SERIES_LEGEND: Record<SpeechSeries, string> = {
  sentiment: "words' sentiment (−1 to 1)",
  arousal: "voice arousal (z vs the speaker's usual)",
  pitch: `${PITCH_AXIS_TITLE}, right axis`,
};

/** How the speech chart is laid out: which series, and whether the voice band (arousal left, pitch right) is there. */
export interface SpeechLayout {
  series: SpeechSeries[];
  sentiment: boolean;
  voiceBand: boolean;
  pitchRange: { min: number; max: number } | undefined;
  /** The main view of an audio recording: tall, with room for the full axis titles. */
  big: boolean;
}

export const SERIES_AXIS: Record<SpeechSeries, string> = { sentiment: 'y', arousal: 'arousal', pitch: 'pitch' };

/** The speech chart's caption: its title, a legend when it draws more than the sentiment, and what is missing. */
export function speechCaption(speech: SpeechLayout, note: string | undefined): HTMLElement {
  const title = speech.voiceBand ? (speech.sentiment ? 'Speech: the words and the voice' : 'Voice') : 'Speech sentiment (VADER compound, −1 to 1)';
  const legend = speech.voiceBand
    ? el('ul', { class: 'chart-legend', 'aria-label': 'Legend' }, ...speech.series.map((name) => el('li', { class: `legend-item legend-${name}` }, el('span', { class: `legend-swatch swatch-${name}`, 'aria-hidden': 'true' }), SERIES_LEGEND[name])))
    : undefined;
  return el('figcaption', { class: 'speech-caption' },
    el('span', { class: 'chart-title' }, title),
    legend,
    note ? el('span', { class: 'chart-note' }, note) : undefined,
  );
}

/**
 * The speech chart's y axes. With words and voice, two bands share the time axis (chart.js stacked scales):
 * the voice on top, arousal on the left and pitch on the right, the sentiment below (beside an empty slot on
 * the right, so pitch stays in the voice band).
 */
export function speechScales(speech: SpeechLayout): Record<string, object> {
  const stacked = speech.sentiment && speech.voiceBand;
  const scales: Record<string, object> = {};
  if (speech.sentiment) {
    scales.y = {
      type: 'linear', position: 'left', afterFit: fixWidth(Y_AXIS_WIDTH), ticks: { stepSize: 1, autoSkip: false, callback: (value: number | string) => String(value) },
      // Stacked under the voice: headroom above 1, so the bands' labels keep apart.
      ...(stacked ? { min: -1.15, max: 1.3, stack: 'left', stackWeight: SENTIMENT_WEIGHT, afterBuildTicks: (scale: { ticks: { value: number }[] }) => (scale.ticks = [-1, 0, 1].map((value) => ({ value }))) } : { min: -1, max: 1 }),
    };
  }
  if (!speech.voiceBand) return scales;
  const pitch = speech.pitchRange ?? { min: 30, max: 42 };
  scales.arousal = {
    type: 'linear', position: 'left', min: AROUSAL_AXIS.min, max: AROUSAL_AXIS.max, afterFit: fixWidth(Y_AXIS_WIDTH),
    // −2, 0, +2 only: the band is short, and z-scores read best around the speaker's usual.
    afterBuildTicks: (scale: { ticks: { value: number }[] }) => (scale.ticks = [-2, 0, 2].map((value) => ({ value }))),
    ticks: { autoSkip: false, callback: (value: number | string) => (Number(value) === 0 ? '0 z' : formatSigned(Number(value), 0)) },
    ...(stacked ? { stack: 'left', stackWeight: VOICE_WEIGHT } : {}),
  };
  scales.pitch = {
    type: 'linear', position: 'right', min: pitch.min, max: pitch.max, afterFit: fixWidth(RIGHT_AXIS_WIDTH),
    title: { display: true, text: speech.big ? PITCH_AXIS_TITLE : 'pitch (st)', padding: 2 },
    grid: { drawOnChartArea: false },
    // Whole multiples of a round step only (chart.js would add the axis's own ends, crowding the labels).
    afterBuildTicks: (scale: { ticks: { value: number }[] }) => (scale.ticks = pitchTicks(pitch.min, pitch.max).map((value) => ({ value }))),
    ...(stacked ? { stack: 'right', stackWeight: VOICE_WEIGHT } : {}),
  };
  if (stacked) {
    scales.pitchSpacer = { type: 'linear', position: 'right', stack: 'right', stackWeight: SENTIMENT_WEIGHT, afterFit: fixWidth(RIGHT_AXIS_WIDTH), ticks: { display: false }, grid: { display: false }, border: { display: false } };
  }
  return scales;
}

/** Pitch ticks: multiples of 2, 3, 5 or 6 semitones, whichever gives two to four of them in the range. */
function pitchTicks(min: number, max: number): number[] {
  for (const step of [2, 3, 5, 6, 12]) {
    const ticks: number[] = [];
    for (let v = Math.ceil(min / step) * step; v <= max; v += step) ticks.push(v);
    if (ticks.length <= 4) return ticks;
  }
  return [min, max];
}

/** Shares of the speech chart's height: the words' band, the voice's band. */
const SENTIMENT_WEIGHT = 2;
const VOICE_WEIGHT = 3;

export function speechTooltip(name: SpeechSeries | undefined, y: number): string {
  switch (name) {
    case 'arousal':
      return `voice ${arousalTone(y)}: arousal ${formatSigned(y)} z`;
    case 'pitch':
      return `pitch ${pitchText(y)}`;
    default:
      return `words: sentiment ${y.toFixed(2)}`;
  }
}

export const Y_AXIS_WIDTH = 44;
/** The pitch axis: its numbers and its title. */
export const RIGHT_AXIS_WIDTH = 52;

export function fixWidth(width: number): (scale: { width: number }) => void {
  return (scale) => {
    scale.width = width;
  };
}
