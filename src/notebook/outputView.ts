/**
 * Draws an OutputView into a notebook output element: header, legend, an expression chart per person (SVG,
 * stacked probabilities over time with the final label strip under it), the words' sentiment line, the track
 * summary and the transcript. Built with DOM APIs only (text goes in as text nodes, never as HTML), coloured
 * only by the editor's CSS variables, so every theme decides the colours.
 */
import { labelColorVariables } from '../webview/labelColors';
import { formatCount, formatDuration, formatSeconds, plural } from '../shared/textFormat';
import type { OutputView, ReviewLink, SentimentStep, TrackPoint, TrackView, UtteranceView } from './annotationOutputModel';
import type { AuBandView } from './auBandModel';
import { timeTicks } from './annotationOutputModel';
import { OUTPUT_CSS } from './outputStyles';

const SVG = 'http://www.w3.org/2000/svg';
/** SVG user units across every chart (drawn with preserveAspectRatio none: the width follows the output). */
const WIDTH = 1000;
const TRACK_HEIGHT = 100;
const STRIP_HEIGHT = 10;
const SENTIMENT_HEIGHT = 60;
const AU_HEIGHT = 70;
/** The AU lines' colours and dashes, as in the review panel's band (dashes part them without colour too). */
const AU_COLORS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-yellow'];
const AU_DASHES = ['', '12 6', '', '4 4', '', '10 4 2 4'];

const SENTIMENT_COLORS: Record<SentimentStep['label'], string> = {
  positive: '--vscode-charts-green',
  negative: '--vscode-charts-red',
  neutral: '--vscode-charts-lines',
};

export interface ViewOptions {
  /** Opens the full review; undefined when the renderer cannot message the extension. Returns the status line to fill. */
  openReview?: (link: ReviewLink, status: HTMLElement) => void;
}

type Child = Node | string | undefined | false;

function el(tag: string, attributes: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

function svg(tag: string, attributes: Record<string, string> = {}): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

const cssVar = (name: string): string => `var(${name}, currentColor)`;
const percent = (v: number): string => `${Math.round(v * 100)} %`;
const fixed = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : '–');

/** The one-line error for data that is not an annotation document. */
export function renderError(root: HTMLElement, message: string): void {
  root.replaceChildren(el('style', {}, OUTPUT_CSS), el('div', { class: 'el-nb el-nb-error', role: 'alert' }, message));
}

export function renderView(root: HTMLElement, view: OutputView, options: ViewOptions): void {
  const colors = labelColorVariables(view.labels);
  const x = scale(view.domain);
  const body = el('div', { class: 'el-nb' });
  body.append(header(view, options));
  if (view.notes.length > 0) body.append(el('ul', { class: 'el-nb-notes' }, ...view.notes.map((n) => el('li', {}, n))));
  const charted = view.tracks.filter((t) => t.runs.length > 0);
  if (charted.length > 0) {
    body.append(legend(view.labels, colors, view.humanLabels));
    for (const track of charted) body.append(trackChart(track, view.labels, colors, x, view.domain));
  }
  if (view.actionUnits) body.append(auBand(view.actionUnits, x, view.domain));
  if (view.speech.sentiment.length > 0) body.append(sentimentChart(view.speech.sentiment, x, view.domain));
  if (view.tracks.length > 0) body.append(summaryTable(view));
  body.append(transcript(view));
  root.replaceChildren(el('style', {}, OUTPUT_CSS), body);
}

function scale(domain: OutputView['domain']): (t: number) => number {
  const span = Math.max(1e-6, domain.endSec - domain.startSec);
  return (t) => Math.min(WIDTH, Math.max(0, ((t - domain.startSec) / span) * WIDTH));
}

function header(view: OutputView, options: ViewOptions): HTMLElement {
  const h = view.header;
  const facts: string[] = [];
  if (h.kind) facts.push(h.kind);
  if (h.durationSec !== undefined) facts.push(formatDuration(h.durationSec));
  facts.push(plural(h.people, 'person', 'people'));
  facts.push(plural(h.frames, 'frame'));
  if (h.expressionModels.length > 0) facts.push(`expression: ${h.expressionModels.join(' + ')}`);
  if (h.speechModel) facts.push(`speech: ${h.speechModel}`);
  const meta = el('div', { class: 'el-nb-meta' }, facts.join(' · '));
  const window = view.slice
    ? el('div', { class: 'el-nb-meta el-nb-window' }, `Showing ${formatSeconds(view.domain.startSec)} – ${formatSeconds(view.domain.endSec)}${h.durationSec !== undefined ? ` of ${formatDuration(h.durationSec)}` : ''}`)
    : undefined;
  const actions = el('div', { class: 'el-nb-actions' });
  if (view.link) {
    const link = view.link;
    const status = el('span', { class: 'el-nb-status', role: 'status' });
    if (options.openReview) {
      const open = el('button', { class: 'el-nb-open', type: 'button', title: `Open ${link.target} in the Emotion Lens review editor` }, 'Open full review');
      open.addEventListener('click', () => options.openReview!(link, status));
      actions.append(open, status);
    } else {
      actions.append(el('span', { class: 'el-nb-status' }, `Open ${link.target} in VS Code with Emotion Lens for the full review.`));
    }
  }
  return el('header', { class: 'el-nb-header' }, el('div', { class: 'el-nb-heading' }, el('h3', { class: 'el-nb-title' }, h.title), meta, window), actions);
}

function legend(labels: readonly string[], colors: readonly string[], humanLabels: number): HTMLElement {
  const items = labels.map((label, i) => {
    const swatch = el('span', { class: 'el-nb-swatch' });
    swatch.style.background = cssVar(colors[i]!);
    return el('span', { class: 'el-nb-legend-item' }, swatch, label);
  });
  const human = humanLabels > 0
    ? el('span', { class: 'el-nb-legend-item', title: 'The strip under each chart is the final label; a mark above it shows where a human labelled.' }, el('span', { class: 'el-nb-swatch el-nb-human-swatch' }), 'human label')
    : undefined;
  return el('div', { class: 'el-nb-legend', 'aria-label': 'Expression labels' }, ...items, human);
}

function trackChart(track: TrackView, labels: readonly string[], colors: readonly string[], x: (t: number) => number, domain: OutputView['domain']): HTMLElement {
  const chart = svg('svg', { class: 'el-nb-track', viewBox: `0 0 ${WIDTH} ${TRACK_HEIGHT}`, preserveAspectRatio: 'none', 'data-track-id': String(track.id), role: 'img' });
  chart.setAttribute('aria-label', `Person ${track.id}: expression probabilities over time, stacked`);
  const y = (v: number): number => TRACK_HEIGHT * (1 - Math.min(1, Math.max(0, v)));
  // One path per label, a closed sub-path per run: a handful of elements however long the media.
  for (let k = 0; k < labels.length; k++) {
    let d = '';
    for (const run of track.runs) {
      const bottoms = run.map((p) => p.probs.slice(0, k).reduce((s, v) => s + v, 0));
      const top: string[] = [];
      const bottom: string[] = [];
      run.forEach((p, i) => {
        const b = bottoms[i]!;
        const t = b + p.probs[k]!;
        top.push(`${x(p.startSec).toFixed(1)},${y(t).toFixed(1)}`, `${x(p.endSec).toFixed(1)},${y(t).toFixed(1)}`);
        bottom.push(`${x(p.startSec).toFixed(1)},${y(b).toFixed(1)}`, `${x(p.endSec).toFixed(1)},${y(b).toFixed(1)}`);
      });
      d += `M${top.join('L')}L${bottom.reverse().join('L')}Z`;
    }
    const series = svg('path', { class: 'el-nb-series', d, 'data-label': labels[k]! });
    series.style.fill = cssVar(colors[k]!);
    chart.append(series);
  }
  const strip = labelStrip(track, labels, colors, x);
  const readout = el('span', { class: 'el-nb-readout', 'aria-live': 'off' });
  const title = el('div', { class: 'el-nb-chart-title' }, el('strong', {}, `Person ${track.id}`), readout);
  const plot = el('div', { class: 'el-nb-plot' });
  plot.append(chart, strip);
  followPointer(plot, track, labels, domain, readout);
  return el('section', { class: 'el-nb-chart', 'data-track-id': String(track.id) }, title, plot, axis(domain));
}

/** The final label of each step (a human label where there is one) as a strip, with human steps marked. */
function labelStrip(track: TrackView, labels: readonly string[], colors: readonly string[], x: (t: number) => number): SVGElement {
  const strip = svg('svg', { class: 'el-nb-strip', viewBox: `0 0 ${WIDTH} ${STRIP_HEIGHT}`, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
  const byLabel = new Map<string, string>();
  let human = '';
  for (const run of track.runs) {
    let i = 0;
    while (i < run.length) {
      let j = i;
      while (j + 1 < run.length && run[j + 1]!.label === run[i]!.label) j++;
      const x0 = x(run[i]!.startSec);
      const x1 = Math.max(x0 + 0.5, x(run[j]!.endSec));
      byLabel.set(run[i]!.label, (byLabel.get(run[i]!.label) ?? '') + `M${x0.toFixed(1)},3H${x1.toFixed(1)}V${STRIP_HEIGHT}H${x0.toFixed(1)}Z`);
      i = j + 1;
    }
    for (const p of run) if (p.human > 0) human += `M${x(p.startSec).toFixed(1)},0H${Math.max(x(p.startSec) + 1, x(p.endSec)).toFixed(1)}V3H${x(p.startSec).toFixed(1)}Z`;
  }
  for (const [label, d] of byLabel) {
    const path = svg('path', { d, class: 'el-nb-strip-label', 'data-label': label });
    const k = labels.indexOf(label);
    path.style.fill = cssVar(k >= 0 ? colors[k]! : '--vscode-foreground');
    strip.append(path);
  }
  if (human) strip.append(svg('path', { d: human, class: 'el-nb-human' }));
  return strip;
}

/** Shows the probabilities under the pointer in the chart's title line. */
function followPointer(plot: HTMLElement, track: TrackView, labels: readonly string[], domain: OutputView['domain'], readout: HTMLElement): void {
  const points: TrackPoint[] = track.runs.flat();
  plot.addEventListener('pointermove', (event) => {
    const box = plot.getBoundingClientRect();
    if (box.width <= 0) return;
    const t = domain.startSec + ((event.clientX - box.left) / box.width) * (domain.endSec - domain.startSec);
    const p = pointAt(points, t);
    if (!p) {
      readout.textContent = `${formatSeconds(t)}: not in the picture`;
      return;
    }
    const top = p.probs.map((v, k) => ({ v, label: labels[k]! })).sort((a, b) => b.v - a.v).slice(0, 3);
    readout.textContent = `${formatSeconds(p.startSec)}: ${top.map((e) => `${e.label} ${percent(e.v)}`).join(', ')} · label ${p.label}${p.human > 0 ? ' (human)' : ''}`;
  });
  plot.addEventListener('pointerleave', () => {
    readout.textContent = '';
  });
}

function pointAt(points: readonly TrackPoint[], t: number): TrackPoint | undefined {
  let lo = 0;
  let hi = points.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = points[mid]!;
    if (t < p.startSec) hi = mid - 1;
    else if (t >= p.endSec) lo = mid + 1;
    else return p;
  }
  return undefined;
}

function axis(domain: OutputView['domain']): HTMLElement {
  const row = el('div', { class: 'el-nb-axis', 'aria-hidden': 'true' });
  const span = Math.max(1e-6, domain.endSec - domain.startSec);
  const long = domain.endSec >= 60;
  for (const t of timeTicks(domain)) {
    const tick = el('span', {}, long ? formatDuration(t) : `${Number(t.toFixed(1))} s`);
    const at = (t - domain.startSec) / span;
    tick.style.left = `${(at * 100).toFixed(2)}%`;
    if (at < 0.02) tick.classList.add('el-nb-first');
    else if (at > 0.98) tick.classList.add('el-nb-last');
    row.append(tick);
  }
  return row;
}

function sentimentChart(steps: readonly SentimentStep[], x: (t: number) => number, domain: OutputView['domain']): HTMLElement {
  const chart = svg('svg', { class: 'el-nb-sentiment-line', viewBox: `0 0 ${WIDTH} ${SENTIMENT_HEIGHT}`, preserveAspectRatio: 'none', role: 'img' });
  chart.setAttribute('aria-label', "Sentiment of the words over time, from −1 (negative) to 1 (positive)");
  const mid = SENTIMENT_HEIGHT / 2;
  const y = (c: number): number => mid - Math.max(-1, Math.min(1, c)) * (mid - 3);
  chart.append(svg('path', { class: 'el-nb-zero', d: `M0,${mid}H${WIDTH}` }));
  chart.append(svg('path', { class: 'el-nb-sentiment-link', d: `M${steps.map((s) => `${((x(s.startSec) + x(s.endSec)) / 2).toFixed(1)},${y(s.compound).toFixed(1)}`).join('L')}` }));
  for (const label of ['positive', 'negative', 'neutral'] as const) {
    const d = steps.filter((s) => s.label === label).map((s) => `M${x(s.startSec).toFixed(1)},${y(s.compound).toFixed(1)}H${Math.max(x(s.startSec) + 2, x(s.endSec)).toFixed(1)}`).join('');
    if (!d) continue;
    const path = svg('path', { class: 'el-nb-sentiment', d, 'data-sentiment': label });
    path.style.stroke = cssVar(SENTIMENT_COLORS[label]);
    chart.append(path);
  }
  const title = el('div', { class: 'el-nb-chart-title' }, el('strong', {}, 'Speech sentiment'), el('span', { class: 'el-nb-readout' }, 'per utterance, from −1 (bottom) to +1 (top); dotted line: neutral'));
  return el('section', { class: 'el-nb-chart el-nb-speech' }, title, el('div', { class: 'el-nb-plot' }, chart), axis(domain));
}

/** Per person, the default AUs' estimates (0-1) as lines: the review panel's band, without its controls. */
function auBand(band: AuBandView, x: (t: number) => number, domain: OutputView['domain']): HTMLElement {
  const legendItems = band.actionUnits.map((name, k) => {
    const swatch = el('span', { class: 'el-nb-line-swatch' });
    swatch.style.borderTop = `2px ${AU_DASHES[k] ? 'dashed' : 'solid'} ${cssVar(AU_COLORS[k % AU_COLORS.length]!)}`;
    return el('span', { class: 'el-nb-legend-item' }, swatch, name);
  });
  const section = el('section', { class: 'el-nb-chart el-nb-au-band', 'data-action-units': band.actionUnits.join(' ') },
    el('div', { class: 'el-nb-chart-title' }, el('strong', {}, 'Action units'), el('span', { class: 'el-nb-readout' }, 'estimates from blendshapes, 0 (bottom) to 1 (top); not FACS coding')),
    el('div', { class: 'el-nb-legend', 'aria-label': 'Action units' }, ...legendItems));
  const y = (v: number): number => AU_HEIGHT - 2 - Math.min(1, Math.max(0, v)) * (AU_HEIGHT - 4);
  for (const track of band.tracks) {
    const chart = svg('svg', { class: 'el-nb-au', viewBox: `0 0 ${WIDTH} ${AU_HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'data-track-id': String(track.id) });
    chart.setAttribute('aria-label', `Person ${track.id}: ${band.actionUnits.join(', ')} estimates over time`);
    band.actionUnits.forEach((name, k) => {
      const d = track.runs.map((run) => `M${run.map((p) => `${x((p.startSec + p.endSec) / 2).toFixed(1)},${y(p.values[k]!).toFixed(1)}`).join('L')}`).join('');
      const line = svg('path', { class: 'el-nb-au-line', d, 'data-au': name });
      line.style.stroke = cssVar(AU_COLORS[k % AU_COLORS.length]!);
      if (AU_DASHES[k]) line.style.strokeDasharray = AU_DASHES[k]!;
      chart.append(line);
    });
    section.append(el('div', { class: 'el-nb-chart-title' }, el('span', {}, `Person ${track.id}`)), el('div', { class: 'el-nb-plot' }, chart));
  }
  section.append(axis(domain));
  return section;
}

function summaryTable(view: OutputView): HTMLElement {
  const head = el('tr', {}, ...['Person', 'Dominant label', 'Share', 'Mean confidence', 'Frames', 'Seen', 'Human labels'].map((h) => el('th', { scope: 'col' }, h)));
  const rows = view.tracks.map((t) => {
    const s = t.summary;
    return el('tr', { 'data-track-id': String(t.id) },
      el('th', { scope: 'row' }, `Person ${t.id}`),
      el('td', {}, s.dominantLabel),
      el('td', { class: 'el-nb-num' }, Number.isFinite(s.dominantShare) ? percent(s.dominantShare) : '–'),
      el('td', { class: 'el-nb-num' }, fixed(s.meanConfidence, 2)),
      el('td', { class: 'el-nb-num' }, formatCount(s.frames)),
      el('td', {}, `${formatSeconds(s.firstSec)} – ${formatSeconds(s.lastSec)}`),
      el('td', { class: 'el-nb-num' }, s.stored ? '–' : formatCount(s.humanLabels)));
  });
  const note = view.humanLabels > 0
    ? `${plural(view.humanLabels, 'human label')} (corrections) used in place of the model's.`
    : 'No human labels: every label is the model\'s.';
  const table = el('table', { class: 'el-nb-summary' }, el('thead', {}, head), el('tbody', {}, ...rows));
  return el('section', { class: 'el-nb-section' }, el('h4', {}, 'Track summary'), el('div', { class: 'el-nb-table-scroll' }, table), el('p', { class: 'el-nb-meta el-nb-human-note' }, note));
}

function transcript(view: OutputView): HTMLElement {
  const speech = view.speech;
  const section = el('section', { class: 'el-nb-section el-nb-transcript-section' }, el('h4', {}, 'Transcript'));
  if (speech.status === 'missing') {
    section.append(el('p', { class: 'el-nb-meta' }, 'Not in this output.'));
    return section;
  }
  if (speech.utterances.length === 0) {
    const why = speech.status === 'ok' ? 'No speech was recognised.' : `Transcript ${speech.status}${speech.reason ? `: ${speech.reason}` : '.'}`;
    section.append(el('p', { class: 'el-nb-meta' }, why));
    return section;
  }
  section.append(el('ol', { class: 'el-nb-transcript' }, ...speech.utterances.map(utterance)));
  if (speech.notListed > 0) section.append(el('p', { class: 'el-nb-meta' }, `… and ${formatCount(speech.notListed)} more utterances (open the full review to see them).`));
  return section;
}

function utterance(u: UtteranceView): HTMLElement {
  const score = u.compound === undefined ? '' : `${u.compound > 0 ? '+' : u.compound < 0 ? '−' : ''}${Math.abs(u.compound).toFixed(2)}`;
  const badge = el('span', { class: `el-nb-sentiment-badge${u.label ? ` el-nb-${u.label}` : ''}`, title: u.label ? `sentiment ${u.label}` : 'no sentiment' }, score || '–');
  return el('li', {}, el('span', { class: 'el-nb-time' }, `${formatSeconds(u.startSec)} – ${formatSeconds(u.endSec)}`), badge, el('span', { class: 'el-nb-text' }, u.text));
}
