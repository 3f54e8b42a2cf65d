/**
 * Which colour stands for which expression label: the same in charts, swatches and the legend. The colours are
 * Emotion Lens's own palette per kind of theme (labelPalette.ts), held in CSS variables on the body. Pure.
 */
import { paletteEntryOf, paletteVariable } from './labelPalette';

/** The CSS variable for each label, in `labels` order; other label sets take the palette in turn. */
export function labelColorVariables(labels: readonly string[]): string[] {
  return labels.map((label, i) => paletteVariable(paletteEntryOf(label, i)));
}
