/**
 * The renderer's stylesheet, put in a <style> beside each output (a renderer bundle has no CSS file of its
 * own). Colours are the editor's theme variables, which VS Code gives notebook outputs, and the labels' own palette
 * per kind of theme (the review panel's).
 */
import { paletteCss } from '../webview/labelColors';

export const OUTPUT_CSS = `
${paletteCss('.el-nb')}
.el-nb {
  color: var(--vscode-editor-foreground, CanvasText);
  font-family: var(--vscode-font-family, sans-serif);
  font-size: var(--vscode-font-size, 13px);
  line-height: 1.4;
  max-width: 1200px;
  padding: 4px 2px 8px;
}
.el-nb-error { color: var(--vscode-errorForeground, CanvasText); padding: 4px 2px; }
.el-nb-header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-start; gap: 6px 16px; margin-bottom: 6px; }
.el-nb-heading { flex: 1 1 320px; min-width: 0; }
.el-nb-title { margin: 0 0 2px; font-size: 1.15em; font-weight: 600; word-break: break-all; }
.el-nb-meta { color: var(--vscode-descriptionForeground, GrayText); font-size: 0.92em; }
.el-nb-window { color: var(--vscode-editor-foreground, CanvasText); }
.el-nb-actions { display: flex; flex-direction: column; align-items: flex-end; gap: 4px; flex: 0 1 auto; max-width: 100%; }
.el-nb-open {
  font: inherit; cursor: pointer; border-radius: 2px; padding: 3px 10px;
  color: var(--vscode-button-foreground, ButtonText);
  background: var(--vscode-button-background, ButtonFace);
  border: 1px solid var(--vscode-button-border, transparent);
}
.el-nb-open:hover { background: var(--vscode-button-hoverBackground, var(--vscode-button-background, ButtonFace)); }
.el-nb-open:focus-visible { outline: 1px solid var(--vscode-focusBorder, Highlight); outline-offset: 2px; }
.el-nb-status { color: var(--vscode-descriptionForeground, GrayText); font-size: 0.92em; max-width: 300px; text-align: right; overflow-wrap: anywhere; }
.el-nb-status.el-nb-failed { color: var(--vscode-errorForeground, CanvasText); }
.el-nb-notes { margin: 4px 0 8px; padding-left: 18px; color: var(--vscode-descriptionForeground, GrayText); font-size: 0.92em; }
.el-nb-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 4px; font-size: 0.92em; }
.el-nb-legend-item { display: inline-flex; align-items: center; gap: 5px; }
.el-nb-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
.el-nb-swatch.el-nb-human-swatch { height: 3px; background: var(--vscode-editor-foreground, CanvasText); }
.el-nb-chart { margin: 8px 0 4px; }
.el-nb-chart-title { display: flex; gap: 12px; align-items: baseline; margin-bottom: 2px; }
.el-nb-readout { color: var(--vscode-descriptionForeground, GrayText); font-size: 0.92em; font-variant-numeric: tabular-nums; }
.el-nb-plot {
  border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, GrayText));
  background: var(--vscode-editor-background, Canvas);
  line-height: 0;
}
.el-nb-plot svg { display: block; width: 100%; }
.el-nb-track { height: 96px; }
.el-nb-series { stroke: var(--vscode-editor-background, Canvas); stroke-width: 0.5px; vector-effect: non-scaling-stroke; }
.el-nb-strip { height: 12px; }
.el-nb-human { fill: var(--vscode-editor-foreground, CanvasText); }
.el-nb-sentiment-line { height: 60px; }
.el-nb-zero { stroke: var(--vscode-editorWidget-border, var(--vscode-panel-border, GrayText)); stroke-width: 1px; stroke-dasharray: 3 3; vector-effect: non-scaling-stroke; fill: none; }
.el-nb-sentiment-link { stroke: var(--vscode-descriptionForeground, GrayText); stroke-width: 1px; opacity: 0.6; vector-effect: non-scaling-stroke; fill: none; }
.el-nb-sentiment { stroke-width: 3px; vector-effect: non-scaling-stroke; fill: none; stroke-linecap: butt; }
.el-nb-au { height: 70px; }
.el-nb-au-line { stroke-width: 1.5px; vector-effect: non-scaling-stroke; fill: none; stroke-linejoin: round; }
.el-nb-line-swatch { display: inline-block; width: 16px; height: 0; }
.el-nb-au-band .el-nb-legend { margin: 0 0 4px; }
.el-nb-axis { position: relative; height: 16px; color: var(--vscode-descriptionForeground, GrayText); font-size: 0.85em; font-variant-numeric: tabular-nums; }
.el-nb-axis span { position: absolute; top: 1px; transform: translateX(-50%); white-space: nowrap; }
.el-nb-axis span.el-nb-first { transform: none; }
.el-nb-axis span.el-nb-last { transform: translateX(-100%); }
.el-nb-section { margin-top: 12px; }
.el-nb-section h4 { margin: 0 0 4px; font-size: 1em; font-weight: 600; }
.el-nb-table-scroll { overflow-x: auto; }
.el-nb-summary { border-collapse: collapse; font-variant-numeric: tabular-nums; white-space: nowrap; }
.el-nb-summary th, .el-nb-summary td {
  text-align: left; padding: 2px 12px 2px 0; font-weight: normal;
  border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, GrayText));
}
.el-nb-summary thead th { color: var(--vscode-descriptionForeground, GrayText); }
.el-nb-summary tbody th { font-weight: 600; }
.el-nb-summary .el-nb-num { text-align: right; }
.el-nb-human-note { margin: 4px 0 0; }
.el-nb-transcript {
  list-style: none; margin: 0; padding: 0; max-height: 260px; overflow-y: auto;
  border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, GrayText));
}
.el-nb-transcript li { display: flex; gap: 10px; padding: 2px 6px; align-items: baseline; }
.el-nb-transcript li:nth-child(even) { background: var(--vscode-list-hoverBackground, transparent); }
.el-nb-time { color: var(--vscode-descriptionForeground, GrayText); white-space: nowrap; font-variant-numeric: tabular-nums; min-width: 9.5em; }
.el-nb-sentiment-badge { font-variant-numeric: tabular-nums; min-width: 3.2em; text-align: right; white-space: nowrap; }
.el-nb-positive { color: var(--vscode-charts-green, CanvasText); }
.el-nb-negative { color: var(--vscode-charts-red, CanvasText); }
.el-nb-neutral { color: var(--vscode-descriptionForeground, GrayText); }
.el-nb-text { overflow-wrap: anywhere; }
`;
