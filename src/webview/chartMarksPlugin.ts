/** The person charts' marks: human labels as diamonds in the band above 100 %, adapted suggestions hollow. */
import type { Plugin } from 'chart.js';
import type { HumanMark } from './chartSeriesModel';
import type { ThemeColors } from './themeColors';

/** Height of the marks band above 1.0 on the probability axis. */
export const MARK_Y = 1.08;

/** Draws the chart's marks (read when it draws) in their label's colour. */
export function marksPlugin(marks: () => { human: readonly HumanMark[]; suggested: readonly HumanMark[] }, colors: () => ThemeColors | undefined): Plugin<'line'> {
  return {
    id: 'humanMarks',
    afterDatasetsDraw(chart) {
      const palette = colors();
      const x = chart.scales.x;
      const y = chart.scales.y;
      const { human, suggested } = marks();
      if (!palette || !x || !y || human.length + suggested.length === 0) return;
      const ctx = chart.ctx;
      const cy = y.getPixelForValue(MARK_Y);
      ctx.save();
      // Suggestions: hollow diamonds in their label's colour, larger than a person's mark so the empty inside
      // shows even for neutral's grey (a small grey outline read as a filled grey mark).
      ctx.lineWidth = 1.5;
      for (const mark of suggested) {
        ctx.strokeStyle = palette.labels[mark.label] ?? palette.foreground;
        diamondPath(ctx, x.getPixelForValue(mark.x), cy, 5, 6.5);
        ctx.stroke();
      }
      // A person's mark: filled and ringed in the text colour, a solid stamp beside the suggestions' outlines.
      ctx.lineWidth = 1;
      ctx.strokeStyle = palette.foreground;
      for (const mark of human) {
        ctx.fillStyle = palette.labels[mark.label] ?? palette.foreground;
        diamondPath(ctx, x.getPixelForValue(mark.x), cy, 3.5, 4.5);
        ctx.fill();
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}

/** A diamond centred on (cx, cy), `halfWidth` and `halfHeight` from the centre to its corners, as a closed path. */
function diamondPath(ctx: CanvasRenderingContext2D, cx: number, cy: number, halfWidth: number, halfHeight: number): void {
  ctx.beginPath();
  ctx.moveTo(cx, cy - halfHeight);
  ctx.lineTo(cx + halfWidth, cy);
  ctx.lineTo(cx, cy + halfHeight);
  ctx.lineTo(cx - halfWidth, cy);
  ctx.closePath();
}
