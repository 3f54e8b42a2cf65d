/**
 * Which colour stands for which expression label: the same in charts, swatches and the legend. The colours are
 * Emotion Lens's own palette per kind of theme (labelPalette.ts), held in CSS variables on the body. Pure.
 */
import type { ThemeKind } from './labelPalette';
import { LABEL_PALETTES, PALETTE_ENTRIES, paletteEntryOf, paletteVariable } from './labelPalette';

/** The CSS variable for each label, in `labels` order; other label sets take the palette in turn. */
export function labelColorVariables(labels: readonly string[]): string[] {
  return labels.map((label, i) => paletteVariable(paletteEntryOf(label, i)));
}

/** The body class VS Code sets for each kind of theme (the notebook's stylesheet selects the palette by it). */
const THEME_BODY_CLASSES: Record<ThemeKind, string> = {
  dark: 'vscode-dark', light: 'vscode-light', highContrast: 'vscode-high-contrast', highContrastLight: 'vscode-high-contrast-light',
};

/**
 * The palette as CSS rules for elements matching `scope`, one rule per kind of theme keyed on the body's class, so
 * the colours follow a theme change with no script (a notebook output is not told of one). Dark is the fallback;
 * high-contrast light comes last, as its body may carry the high-contrast class too.
 */
export function paletteCss(scope: string): string {
  const rule = (selector: string, kind: ThemeKind): string =>
    `${selector} { ${PALETTE_ENTRIES.map((entry) => `${paletteVariable(entry)}: ${LABEL_PALETTES[kind][entry]};`).join(' ')} }`;
  const kinds: ThemeKind[] = ['dark', 'light', 'highContrast', 'highContrastLight'];
  return [rule(scope, 'dark'), ...kinds.map((kind) => rule(`body.${THEME_BODY_CLASSES[kind]} ${scope}`, kind))].join('\n');
}
