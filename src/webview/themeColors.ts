/**
 * Theme colours for canvas drawing: a canvas cannot use CSS variables, so they are resolved from the body's
 * computed style, and resolved again when VS Code changes theme (it swaps the body's class).
 */
import { labelColorVariables } from './labelColors';
import { applyLabelPalette } from './labelPalette';
import { AROUSAL_COLOR_VARIABLE, PITCH_COLOR_VARIABLE } from './voiceModel';

export interface ThemeColors {
  labels: string[];
  foreground: string;
  muted: string;
  grid: string;
  playhead: string;
  positive: string;
  negative: string;
  neutral: string;
  /** The voice series on the speech chart. */
  arousal: string;
  pitch: string;
  fontFamily: string;
}

export function readThemeColors(labels: readonly string[]): ThemeColors {
  // The palette follows the body's theme class; set it first so a theme change reads the new colours.
  applyLabelPalette(document.body);
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const foreground = read('--vscode-foreground', 'CanvasText');
  return {
    labels: labelColorVariables(labels).map((v) => read(v, foreground)),
    foreground,
    muted: read('--vscode-descriptionForeground', foreground),
    grid: read('--vscode-editorWidget-border', read('--vscode-panel-border', 'GrayText')),
    playhead: read('--vscode-editorCursor-foreground', foreground),
    positive: read('--vscode-charts-green', foreground),
    negative: read('--vscode-charts-red', foreground),
    neutral: read('--vscode-charts-lines', foreground),
    arousal: read(AROUSAL_COLOR_VARIABLE, foreground),
    pitch: read(PITCH_COLOR_VARIABLE, foreground),
    fontFamily: read('--vscode-font-family', 'sans-serif'),
  };
}

/** Calls back when VS Code switches theme (light, dark, high contrast: the body's class changes). */
export function onThemeChange(callback: () => void): () => void {
  const observer = new MutationObserver(() => callback());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  return () => observer.disconnect();
}
