/**
 * The review panel's parts and where they sit: the header, then the media, people, transcript and keys on
 * the side, the charts, filters and label table in the main column. Built once; the view fills them.
 */
import type { FaceRef, LandmarksAnswer, StillAnswer, WebviewMessage } from '../shared/reviewProtocol';
import { ChartPanel } from './chartPanel';
import type { TimeRange } from './chartSeriesModel';
import { el, replaceChildren } from './dom';
import { FaceThumbnails } from './faceThumbnails';
import { FilterBar } from './filterBar';
import { GeometryView } from './geometryView';
import { LabelTable } from './labelTable';
import type { RowFilter, RowSort } from './labelRowsModel';
import { MediaPlayer } from './mediaPlayer';
import { ReviewHeader } from './reviewHeader';
import { TranscriptPanel } from './transcriptPanel';

export interface ReviewLayout {
  header: ReviewHeader;
  summary: HTMLElement;
  charts: HTMLElement;
  player: MediaPlayer;
  thumbnails: FaceThumbnails;
  chartPanel: ChartPanel;
  transcript: TranscriptPanel;
  table: LabelTable;
  filters: FilterBar;
  legend: HTMLElement;
  geometry: GeometryView;
}

/** What the parts tell the view, and what they ask of the host. */
export interface LayoutWiring {
  post(message: WebviewMessage): void;
  requestStill(face: FaceRef, size: number): Promise<StillAnswer>;
  /** The media's time moved (playback or a seek). */
  timeChanged(timeSec: number, playing: boolean): void;
  /** Ctrl+wheel or a pan on a chart. */
  viewChanged(range: TimeRange): void;
  select(position: number, extend: boolean): void;
  /** An utterance's speaker was chosen in the transcript: select their face. */
  showSpeaker(trackId: number, timeSec: number): void;
  chooseLabel(label: string): void;
  tableScrolled(): void;
  filterChanged(filter: RowFilter, sort: RowSort): void;
  zoom(direction: 1 | -1): void;
  requestLandmarks(frameIndex: number): Promise<LandmarksAnswer>;
  notice(text: string): void;
  actionUnitsChosen(actionUnits: number[]): void;
}

export function buildLayout(root: HTMLElement, wiring: LayoutWiring): ReviewLayout {
  const header = new ReviewHeader({ export: () => wiring.post({ type: 'export' }), learnFromCorrections: () => wiring.post({ type: 'learnFromCorrections' }) });
  const mediaBox = el('section', { class: 'media', 'aria-label': 'Media' });
  const summary = el('div', { class: 'track-strip', role: 'group', 'aria-label': 'People' });
  const transcriptBox = el('section', { class: 'transcript', 'aria-label': 'Transcript' });
  const legend = el('section', { class: 'legend-box', 'aria-label': 'Keyboard' });
  const charts = el('section', { class: 'charts', 'aria-label': 'Charts' });
  const player = new MediaPlayer(mediaBox, { timeChanged: wiring.timeChanged, requestStill: wiring.requestStill });
  const thumbnails = new FaceThumbnails(wiring.requestStill);
  const seek = (t: number): void => player.seek(t);
  const chartPanel = new ChartPanel(charts, { seek, viewChanged: wiring.viewChanged });
  const transcript = new TranscriptPanel(transcriptBox, { seek, chooseVoskModel: () => wiring.post({ type: 'chooseVoskModel' }), showSpeaker: wiring.showSpeaker });
  const table = new LabelTable({ select: wiring.select, chooseLabel: wiring.chooseLabel, scrolled: wiring.tableScrolled }, thumbnails);
  thumbnails.ready = (key, url) => table.showThumbnail(key, url);
  const filters = new FilterBar({ changed: wiring.filterChanged, zoom: wiring.zoom });
  // The media and, over it, the landmark overlay (positioned on the picture).
  const mediaFrame = el('div', { class: 'media-frame' }, mediaBox);
  const geometry = new GeometryView(chartPanel, mediaFrame, table, wiring);
  let lastWidth = 0;
  new ResizeObserver(() => {
    if (Math.abs(charts.clientWidth - lastWidth) < 40) return;
    lastWidth = charts.clientWidth;
    requestAnimationFrame(() => chartPanel.resized());
  }).observe(charts);
  replaceChildren(
    root,
    ...header.elements,
    el('div', { class: 'workspace' },
      el('div', { class: 'side' }, mediaFrame, summary, el('h2', { class: 'section-title' }, 'Transcript'), transcriptBox, legend),
      el('div', { class: 'main' }, charts, filters.element, table.element),
    ),
  );
  return { header, summary, charts, player, thumbnails, chartPanel, transcript, table, filters, legend, geometry };
}

/** A document that failed validation: why, and the way to the text editor; no edits are possible. */
export function showInvalidDocument(root: HTMLElement, fileName: string, message: string, reopenAsText: () => void): void {
  const reopen = el('vscode-button', {}, 'Reopen with Text Editor');
  reopen.addEventListener('click', reopenAsText);
  replaceChildren(
    root,
    el('section', { class: 'invalid', role: 'alert' },
      el('h1', {}, `${fileName} cannot be reviewed`),
      el('p', { class: 'error-text' }, message),
      el('p', {}, 'Emotion Lens never overwrites an invalid document. Fix it in the text editor, or analyse the video again.'),
      reopen,
    ),
  );
}
