// The label palette keeps the seven labels and the voice's arousal and pitch lines apart in every kind of theme, for normal vision
// and simulated protanopia, deuteranopia and tritanopia (Machado 2009, full severity, via culori), by
// CIEDE2000 distance, and keeps each colour readable on the theme's background.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Color } from 'culori';
import { differenceCiede2000, filterDeficiencyDeuter, filterDeficiencyProt, filterDeficiencyTrit, parse, wcagContrast } from 'culori';
import { labelColorVariables, paletteCss } from '../../src/webview/labelColors';
import type { ThemeKind } from '../../src/webview/labelPalette';
import { applyLabelPalette, LABEL_PALETTES, PALETTE_ENTRIES, paletteVariable, THEME_BACKGROUNDS, themeKindOf } from '../../src/webview/labelPalette';

/** Below about 10 two small marks or lines are easily confused; 12 leaves a margin. */
const MIN_PAIR_DISTANCE = 12;
const MIN_BACKGROUND_DISTANCE = 20;
/** WCAG 1.4.11: graphical objects need 3:1 against what is next to them. */
const MIN_CONTRAST = 3;

const distance = differenceCiede2000();
const VISIONS: Record<string, (c: Color) => Color> = {
  normal: (c) => c,
  protanopia: filterDeficiencyProt(1),
  deuteranopia: filterDeficiencyDeuter(1),
  tritanopia: filterDeficiencyTrit(1),
};

function colour(hex: string): Color {
  const parsed = parse(hex);
  assert.ok(parsed, `${hex} parses`);
  return parsed;
}

describe('label palette', () => {
  for (const kind of Object.keys(LABEL_PALETTES) as ThemeKind[]) {
    const palette = LABEL_PALETTES[kind];
    const background = THEME_BACKGROUNDS[kind];
    for (const [vision, simulate] of Object.entries(VISIONS)) {
      it(`keeps every pair apart on the ${kind} theme for ${vision}`, () => {
        const seen = PALETTE_ENTRIES.map((entry) => simulate(colour(palette[entry])));
        const ground = simulate(colour(background));
        const close: string[] = [];
        for (let i = 0; i < seen.length; i++) {
          const fromGround = distance(seen[i]!, ground);
          if (fromGround < MIN_BACKGROUND_DISTANCE) close.push(`${PALETTE_ENTRIES[i]} vs background: ${fromGround.toFixed(1)}`);
          for (let j = i + 1; j < seen.length; j++) {
            const d = distance(seen[i]!, seen[j]!);
            if (d < MIN_PAIR_DISTANCE) close.push(`${PALETTE_ENTRIES[i]} vs ${PALETTE_ENTRIES[j]}: ${d.toFixed(1)}`);
          }
        }
        assert.deepEqual(close, []);
      });
    }
    it(`draws every colour at ${MIN_CONTRAST}:1 or more against the ${kind} background`, () => {
      const low = PALETTE_ENTRIES.filter((entry) => wcagContrast(palette[entry], background) < MIN_CONTRAST);
      assert.deepEqual(low, []);
    });
  }

  it('gives the voice lines no label colour, and other spellings of the labels their colour', () => {
    const labels = ['Angry', 'disgusted', 'fear', 'happiness', 'neutral', 'sadness', 'surprise', 'contempt', 'arousal', 'pitch', 'other'];
    const variables = labelColorVariables(labels);
    assert.equal(new Set(variables.slice(0, 7)).size, 7);
    assert.ok(!variables.includes(paletteVariable('arousal')));
    assert.ok(!variables.includes(paletteVariable('pitch')));
    assert.deepEqual(variables.slice(0, 2), [paletteVariable('angry'), paletteVariable('disgust')]);
  });

  it('follows the body class VS Code sets and writes the variables for that theme', () => {
    const classes = (names: string[]) => ({ contains: (name: string) => names.includes(name) });
    assert.equal(themeKindOf(classes(['vscode-light'])), 'light');
    assert.equal(themeKindOf(classes(['vscode-dark'])), 'dark');
    assert.equal(themeKindOf(classes(['vscode-high-contrast'])), 'highContrast');
    assert.equal(themeKindOf(classes(['vscode-high-contrast', 'vscode-high-contrast-light'])), 'highContrastLight');
    const set = new Map<string, string>();
    const kind = applyLabelPalette({ classList: classes(['vscode-high-contrast']), style: { setProperty: (name, value) => set.set(name, value) } });
    assert.equal(kind, 'highContrast');
    assert.equal(set.get(paletteVariable('happy')), LABEL_PALETTES.highContrast.happy);
    assert.equal(set.size, PALETTE_ENTRIES.length);
  });

  it('gives notebook outputs the palette as CSS keyed on the body class, so a theme change needs no script', () => {
    const css = paletteCss('.el-nb');
    const ruleFor = (selector: string): string => css.split('\n').find((line) => line.startsWith(`${selector} {`)) ?? '';
    const rules: [string, ThemeKind][] = [['.el-nb', 'dark'], ['body.vscode-dark .el-nb', 'dark'], ['body.vscode-light .el-nb', 'light'], ['body.vscode-high-contrast .el-nb', 'highContrast'], ['body.vscode-high-contrast-light .el-nb', 'highContrastLight']];
    for (const [selector, kind] of rules) {
      for (const entry of PALETTE_ENTRIES) assert.ok(ruleFor(selector).includes(`${paletteVariable(entry)}: ${LABEL_PALETTES[kind][entry]};`), `${selector}: ${entry}`);
    }
    // High-contrast light last: its body may also carry the high-contrast class, and the later rule wins.
    assert.ok(css.indexOf('body.vscode-high-contrast-light') > css.indexOf('body.vscode-high-contrast .el-nb'));
  });
});
