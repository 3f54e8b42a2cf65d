/**
 * The label colours, one palette per kind of theme. VS Code's `--vscode-charts-*` colours drew happy and
 * surprised in near-identical yellow and orange, and the pitch line sad's blue; these were searched (CIEDE2000
 * max-min) so the seven labels and the voice's two lines (arousal, pitch) stay apart on each theme's background
 * for normal vision and for protanopia, deuteranopia and tritanopia (Machado 2009 simulation), each at least 3:1
 * against the background (WCAG 1.4.11; the pitch line, searched last, 4.5:1, and 7:1 in high contrast, so a thin
 * dashed line stays easy to see); test/unit/labelPalette.test.ts checks that. Pure.
 */

export type ThemeKind = 'dark' | 'light' | 'highContrast' | 'highContrastLight';

/** The seven canonical labels and the voice's arousal and pitch lines, which must not share a label's colour. */
export type PaletteEntry = 'angry' | 'disgust' | 'fearful' | 'happy' | 'neutral' | 'sad' | 'surprised' | 'arousal' | 'pitch';

export const PALETTE_ENTRIES: readonly PaletteEntry[] = ['angry', 'disgust', 'fearful', 'happy', 'neutral', 'sad', 'surprised', 'arousal', 'pitch'];

/** The entries that are labels (the voice's lines come after them). */
const LABEL_ENTRY_COUNT = 7;

const LIGHT: Record<PaletteEntry, string> = {
  angry: '#af422b', disgust: '#00a96b', fearful: '#be5cc1', happy: '#a08c00', neutral: '#3a3a3a', sad: '#0e3aa8', surprised: '#007570', arousal: '#6d0041', pitch: '#09040a',
};

export const LABEL_PALETTES: Record<ThemeKind, Record<PaletteEntry, string>> = {
  dark: { angry: '#f95f69', disgust: '#4f7b00', fearful: '#8247e2', happy: '#bea33d', neutral: '#a6a6a6', sad: '#37a6e7', surprised: '#77ebff', arousal: '#a75e7f', pitch: '#fffcd3' },
  light: LIGHT,
  highContrast: { angry: '#ff3f64', disgust: '#66fa89', fearful: '#e472f6', happy: '#8c8d16', neutral: '#a9a89d', sad: '#c3d8ff', surprised: '#009598', arousal: '#a80085', pitch: '#fffbee' },
  highContrastLight: LIGHT,
};

/** The editor background each palette was chosen against (VS Code's Default Dark/Light Modern, High Contrast). */
export const THEME_BACKGROUNDS: Record<ThemeKind, string> = { dark: '#1f1f1f', light: '#ffffff', highContrast: '#000000', highContrastLight: '#ffffff' };

/** Other spellings of the seven labels (models and datasets name them differently). */
const ALIASES: Record<string, PaletteEntry> = {
  anger: 'angry', disgusted: 'disgust', fear: 'fearful', happiness: 'happy', sadness: 'sad', surprise: 'surprised',
};

/** The palette entry for a label; labels outside the seven take the labels' colours in turn. */
export function paletteEntryOf(label: string, index: number): PaletteEntry {
  const name = label.toLowerCase();
  const labelEntries = PALETTE_ENTRIES.slice(0, LABEL_ENTRY_COUNT) as readonly string[];
  if (labelEntries.includes(name)) return name as PaletteEntry;
  return ALIASES[name] ?? PALETTE_ENTRIES[index % LABEL_ENTRY_COUNT]!;
}

/** The CSS variable that holds an entry's colour (set on the body by applyLabelPalette). */
export function paletteVariable(entry: PaletteEntry): string {
  return `--emotion-lens-${entry}`;
}

/** Which palette a webview body's classes ask for (VS Code sets vscode-light, vscode-dark, vscode-high-contrast[-light]). */
export function themeKindOf(classes: { contains(name: string): boolean }): ThemeKind {
  if (classes.contains('vscode-high-contrast-light')) return 'highContrastLight';
  if (classes.contains('vscode-high-contrast')) return 'highContrast';
  return classes.contains('vscode-light') ? 'light' : 'dark';
}

/** Sets the palette's variables on an element's style for its theme; call again when the theme changes. */
export function applyLabelPalette(element: { classList: { contains(name: string): boolean }; style: { setProperty(name: string, value: string): void } }): ThemeKind {
  const kind = themeKindOf(element.classList);
  for (const entry of PALETTE_ENTRIES) element.style.setProperty(paletteVariable(entry), LABEL_PALETTES[kind][entry]);
  return kind;
}
