/**
 * The compare panel's arithmetic, kept out of the DOM code so it is unit-tested: where a run sits on a
 * track's strip (percent of the timeline, never too thin to see), how figures and times are written. Pure.
 */
import type { KappaFigures } from '../../shared/compareProtocol';

/** Thinnest visible mark, in percent of the strip: one face of an hour-long video would be invisible. */
export const MIN_MARK_PERCENT = 0.25;

export interface StripBox {
  leftPercent: number;
  widthPercent: number;
}

/** A time span as a box on a strip of the timeline 0..durationSec, clamped to it, at least MIN_MARK_PERCENT wide. */
export function stripBox(startSec: number, endSec: number, durationSec: number): StripBox {
  if (!(durationSec > 0)) return { leftPercent: 0, widthPercent: 100 };
  const start = clamp((startSec / durationSec) * 100);
  const end = clamp((Math.max(endSec, startSec) / durationSec) * 100);
  const widthPercent = Math.max(end - start, MIN_MARK_PERCENT);
  return { leftPercent: Math.min(start, 100 - widthPercent), widthPercent };
}

/** Kappa and agreements to three decimals; an undefined kappa as "undefined" (the reason is shown beside it). */
export function formatFigure(value: number | null): string {
  return value === null ? '–' : value.toFixed(3);
}

export function kappaSummary(figures: KappaFigures): string {
  const agreements = `observed ${formatFigure(figures.observed)}, expected by chance ${formatFigure(figures.expected)}`;
  return figures.kappa === null ? `undefined (${figures.reason ?? 'nothing to compare'}); ${agreements}` : `${formatFigure(figures.kappa)} (${agreements})`;
}

/**
 * Landis and Koch's (1977) words for a kappa, a convention readers know; a rough guide, not a threshold.
 */
export function kappaWords(kappa: number | null): string {
  if (kappa === null) return '';
  if (kappa < 0) return 'less than chance';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}


function clamp(percent: number): number {
  return Math.min(100, Math.max(0, percent));
}
