/**
 * Which theme colour stands for which expression label: the same in charts, swatches and the legend. Only
 * `--vscode-charts-*` variables, so every theme (light, dark, high contrast) decides the actual colours. Pure.
 */

/** The seven labels of the shipped models, mapped to the colours people tend to read them as. */
const KNOWN: Record<string, string> = {
  angry: '--vscode-charts-red',
  disgust: '--vscode-charts-green',
  fearful: '--vscode-charts-purple',
  happy: '--vscode-charts-yellow',
  neutral: '--vscode-charts-lines',
  sad: '--vscode-charts-blue',
  surprised: '--vscode-charts-orange',
};

const CYCLE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-yellow', '--vscode-charts-lines'];

/** The theme variable for each label, in `labels` order; other label sets take the palette in turn. */
export function labelColorVariables(labels: readonly string[]): string[] {
  return labels.map((label, i) => KNOWN[label.toLowerCase()] ?? CYCLE[i % CYCLE.length]!);
}
