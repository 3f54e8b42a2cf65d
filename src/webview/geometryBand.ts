/**
 * The face geometry band under the expression charts: per person, the chosen action-unit estimates (0-1) and
 * the head pose (yaw, pitch, roll in degrees) over time, on the same time axis, range and playhead as the
 * charts above (it follows the ChartPanel, and the mouse seeks, zooms and pans it the same way). A small picker
 * chooses the AUs; the choice is kept in the panel's UI state. Hidden for documents without geometry.
 */
import { Chart } from 'chart.js';
import type { ChartDataset, TooltipItem } from 'chart.js';
import { ESTIMATED_ACTION_UNITS } from '../shared/faceGeometry';
import { formatDuration } from '../shared/textFormat';
import type { ChartPanel, TimelineFollower } from './chartPanel';
import { placePlayhead } from './chartPanel';
import type { TimeRange } from './chartSeriesModel';
import { el, replaceChildren } from './dom';
import { formatClock } from './formatting';
import type { GeometrySamples } from './geometrySeriesModel';
import { ACTION_UNIT_NAMES, auName } from '../shared/actionUnits';
import { actionUnitLines, MAX_CHOSEN_ACTION_UNITS, POSE_ANGLES, poseAxisLimit, poseLines } from './geometrySeriesModel';
import { fixWidth, Y_AXIS_WIDTH } from './speechChartOptions';
import type { ThemeColors } from './themeColors';

/** The AU lines' colours in order (theme variables, resolved for the canvas), and their dashes so they part without colour too. */
const AU_COLOR_VARIABLES = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-yellow', '--vscode-foreground', '--vscode-charts-lines'];
const AU_DASHES = [[], [6, 3], [], [2, 2], [], [8, 3, 2, 3], [2, 2], [6, 3]];
const POSE_COLOR_VARIABLES = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green'];
const POSE_DASHES = [[], [6, 3], [2, 2]];

type LineChart = Chart<'line', { x: number; y: number }[]>;

interface BandView {
  samples: GeometrySamples;
  au: LineChart;
  pose: LineChart;
  playheads: HTMLElement[];
  block: HTMLElement;
}

export interface GeometryBandCallbacks {
  /** The reviewer picked other AUs (the table shows the same ones). */
  chosenChanged(actionUnits: number[]): void;
}

export class GeometryBand implements TimelineFollower {
  readonly element = el('section', { class: 'geometry-band', 'aria-label': 'Face geometry', hidden: true });
  private views: BandView[] = [];
  private samples: GeometrySamples[] = [];
  private chosen: number[] = [];
  private available: number[] = [];
  private range: TimeRange = { startSec: 0, endSec: 1 };
  private playheadSec = 0;
  private rightPadding = 0;
  private poseLimit = 30;

  constructor(
    private readonly panel: ChartPanel,
    private readonly callbacks: GeometryBandCallbacks,
  ) {
    panel.follow(this);
  }

  /** One band per person with geometry; `available`: the AUs the document has. */
  show(options: { samples: GeometrySamples[]; chosen: number[]; available: number[] }): void {
    this.destroy();
    this.samples = options.samples;
    this.chosen = options.chosen;
    this.available = options.available;
    this.rightPadding = this.panel.trackPadding;
    this.range = this.panel.currentRange;
    this.poseLimit = poseAxisLimit(options.samples);
    this.element.hidden = options.samples.length === 0;
    if (this.element.hidden) {
      replaceChildren(this.element);
      return;
    }
    this.render();
  }

  hide(): void {
    this.show({ samples: [], chosen: [], available: [] });
  }

  get actionUnits(): readonly number[] {
    return this.chosen;
  }

  setRange(range: TimeRange): void {
    this.range = range;
    for (const view of this.views) this.refresh(view);
  }

  setPlayhead(timeSec: number): void {
    this.playheadSec = timeSec;
    for (const view of this.views) for (const chart of [view.au, view.pose]) placePlayhead({ chart, playhead: playheadOf(chart) }, timeSec);
  }

  setColors(_colors: ThemeColors): void {
    for (const view of this.views) {
      colorCharts(view);
      view.au.update('none');
      view.pose.update('none');
    }
  }

  resized(): void {
    for (const view of this.views) this.refresh(view);
  }

  private destroy(): void {
    for (const view of this.views) {
      view.au.destroy();
      view.pose.destroy();
    }
    this.views = [];
  }

  private render(): void {
    this.destroy();
    const header = el('div', { class: 'geometry-header' },
      el('h2', { class: 'section-title' }, 'Face geometry'),
      el('span', { class: 'muted' }, 'action units: estimates from blendshapes, 0–1 (not FACS coding); head pose in degrees'),
      this.picker(),
    );
    const blocks = this.samples.map((samples) => this.block(samples));
    replaceChildren(this.element, header, ...blocks.map((b) => b.block));
    this.views = blocks.map((parts) => this.addCharts(parts));
    this.setPlayhead(this.playheadSec);
  }

  /** The AU picker: a checkbox per AU the document has, at most MAX_CHOSEN_ACTION_UNITS at once. */
  private picker(): HTMLElement {
    const boxes = this.available.map((au) => {
      const box = el('vscode-checkbox', { class: 'au-choice', 'data-au': au, label: `${auName(au)} ${ACTION_UNIT_NAMES[au] ?? ''}`, checked: this.chosen.includes(au) }) as HTMLElement & { checked: boolean };
      box.addEventListener('change', () => this.toggle(au, box));
      return box;
    });
    const summary = el('summary', { title: `Choose up to ${MAX_CHOSEN_ACTION_UNITS} action units` }, `AUs: ${this.chosen.map(auName).join(', ')}`);
    return el('details', { class: 'au-picker' }, summary, el('div', { class: 'au-choices', role: 'group', 'aria-label': 'Action units shown' }, ...boxes));
  }

  private toggle(au: number, box: HTMLElement & { checked: boolean }): void {
    const next = box.checked ? [...this.chosen, au] : this.chosen.filter((a) => a !== au);
    // At least one and at most MAX: a refused choice puts the box back.
    if (next.length === 0 || next.length > MAX_CHOSEN_ACTION_UNITS) {
      box.checked = !box.checked;
      return;
    }
    this.chosen = ESTIMATED_ACTION_UNITS.filter((a) => next.includes(a));
    const open = this.element.querySelector('details.au-picker')?.hasAttribute('open') ?? false;
    this.render();
    if (open) this.element.querySelector('details.au-picker')?.setAttribute('open', '');
    this.callbacks.chosenChanged([...this.chosen]);
  }

  private block(samples: GeometrySamples): { block: HTMLElement; au: HTMLCanvasElement; pose: HTMLCanvasElement; samples: GeometrySamples } {
    const legend = (names: string[], variables: string[], dashes: number[][]): HTMLElement => el('ul', { class: 'chart-legend' }, ...names.map((name, i) => {
      const swatch = el('span', { class: 'legend-swatch', 'aria-hidden': 'true' });
      swatch.style.borderTop = `2px ${dashes[i]!.length > 0 ? (dashes[i]![0]! > 2 ? 'dashed' : 'dotted') : 'solid'} var(${variables[i]})`;
      return el('li', { class: 'legend-item' }, swatch, name);
    }));
    const canvas = (what: string): { canvas: HTMLCanvasElement; box: HTMLElement } => {
      const c = el('canvas', { role: 'img', 'aria-label': `Person ${samples.trackId}: ${what}. Click or drag to seek; Ctrl+wheel zooms.` });
      return { canvas: c, box: el('div', { class: `chart-canvas geometry-canvas geometry-${what === 'head pose' ? 'pose' : 'au'}` }, c, el('div', { class: 'playhead', 'aria-hidden': 'true' })) };
    };
    const au = canvas('action units');
    const pose = canvas('head pose');
    const block = el('figure', { class: 'chart chart-geometry', 'data-track-id': samples.trackId, 'data-action-units': this.chosen.map(auName).join(' ') },
      el('figcaption', { class: 'track-caption' }, el('span', { class: 'chart-title' }, `Person ${samples.trackId}: action units`), legend(this.chosen.map(auName), AU_COLOR_VARIABLES, AU_DASHES)),
      au.box,
      el('figcaption', { class: 'track-caption' }, el('span', { class: 'chart-title' }, 'head pose'), legend(['yaw', 'pitch', 'roll'], POSE_COLOR_VARIABLES, POSE_DASHES)),
      pose.box,
    );
    return { block, au: au.canvas, pose: pose.canvas, samples };
  }

  private addCharts(parts: { block: HTMLElement; au: HTMLCanvasElement; pose: HTMLCanvasElement; samples: GeometrySamples }): BandView {
    const x = { type: 'linear' as const, min: this.range.startSec, max: this.range.endSec, ticks: { maxTicksLimit: 8, callback: (value: number | string) => formatDuration(Number(value)) } };
    const make = (canvas: HTMLCanvasElement, names: string[], y: object, unit: (v: number) => string): LineChart => {
      const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = names.map((label) => ({ label, data: [], borderWidth: 1.5, pointRadius: 0, pointHitRadius: 4, spanGaps: false, parsing: false, fill: false }));
      const chart: LineChart = new Chart<'line', { x: number; y: number }[]>(canvas, {
        type: 'line',
        data: { datasets },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false, normalized: true, events: ['mousemove', 'mouseout'],
          layout: { padding: { right: this.rightPadding } },
          interaction: { mode: 'index', intersect: false, axis: 'x' },
          scales: { x, y: { ...y, afterFit: fixWidth(Y_AXIS_WIDTH) } },
          plugins: {
            tooltip: {
              animation: false,
              filter: (item) => item.parsed.y !== null && !Number.isNaN(item.parsed.y),
              callbacks: {
                title: (items: TooltipItem<'line'>[]) => (items[0] ? formatClock(items[0].parsed.x ?? 0) : ''),
                label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${unit(item.parsed.y ?? 0)}`,
              },
            },
          },
        },
      });
      this.panel.attachZoomPan(chart, canvas);
      return chart;
    };
    const au = make(parts.au, this.chosen.map(auName), { min: 0, max: 1, ticks: { stepSize: 0.5 } }, (v) => v.toFixed(2));
    const pose = make(parts.pose, [...POSE_ANGLES], { min: -this.poseLimit, max: this.poseLimit, ticks: { stepSize: this.poseLimit, callback: (v: number | string) => `${Number(v)}°` } }, (v) => `${v.toFixed(1)}°`);
    const view: BandView = { samples: parts.samples, au, pose, playheads: [playheadOf(au), playheadOf(pose)], block: parts.block };
    colorCharts(view);
    this.refresh(view);
    return view;
  }

  private refresh(view: BandView): void {
    const buckets = Math.max(50, Math.round((view.au.chartArea?.width ?? 600) / 2));
    const auLines = actionUnitLines(view.samples, this.chosen, this.range, buckets);
    const pose = poseLines(view.samples, this.range, buckets);
    auLines.forEach((line, i) => (view.au.data.datasets[i]!.data = line));
    pose.forEach((line, i) => (view.pose.data.datasets[i]!.data = line));
    for (const chart of [view.au, view.pose]) {
      const x = chart.options.scales!.x!;
      x.min = this.range.startSec;
      x.max = this.range.endSec;
      chart.update('none');
    }
    // What is drawn, for tests and tools that read the page (a canvas tells nothing).
    view.block.dataset.points = JSON.stringify({ actionUnits: auLines.map((l) => l.length), pose: pose.map((l) => l.length) });
    this.setPlayhead(this.playheadSec);
  }
}

function playheadOf(chart: LineChart): HTMLElement {
  return chart.canvas.parentElement!.querySelector('.playhead') as HTMLElement;
}

/** Colours from the theme's variables (a canvas cannot read CSS variables), read again on a theme change. */
function colorCharts(view: BandView): void {
  const style = getComputedStyle(document.body);
  const read = (name: string): string => style.getPropertyValue(name).trim() || style.getPropertyValue('--vscode-foreground').trim() || 'CanvasText';
  const font = { family: read('--vscode-font-family'), size: 11 };
  const muted = read('--vscode-descriptionForeground');
  const grid = style.getPropertyValue('--vscode-editorWidget-border').trim() || read('--vscode-panel-border');
  const paint = (chart: LineChart, variables: string[], dashes: number[][]): void => {
    chart.data.datasets.forEach((dataset, i) => {
      dataset.borderColor = read(variables[i % variables.length]!);
      dataset.backgroundColor = dataset.borderColor;
      dataset.borderDash = dashes[i % dashes.length]!;
    });
    for (const axis of Object.values(chart.options.scales!)) {
      if (!axis) continue;
      axis.ticks = { ...axis.ticks, color: muted, font };
      axis.grid = { ...axis.grid, color: grid };
      axis.border = { ...axis.border, color: grid };
    }
    const tooltip = chart.options.plugins!.tooltip!;
    tooltip.titleFont = font;
    tooltip.bodyFont = font;
  };
  paint(view.au, AU_COLOR_VARIABLES, AU_DASHES);
  paint(view.pose, POSE_COLOR_VARIABLES, POSE_DASHES);
  const playhead = style.getPropertyValue('--vscode-editorCursor-foreground').trim() || read('--vscode-foreground');
  for (const p of view.playheads) p.style.backgroundColor = playhead;
}
