/**
 * The review panel: media, charts, transcript, track summary and the label table, kept on one clock. An audio
 * recording has no faces: its player takes the media's place and the speech chart the main column. It
 * renders what the host sends (a snapshot on `ready`, then corrections after each edit) and asks the host
 * for edits; a correction is shown at once and replaced by the host's answer, which is the truth.
 */
import type { Adaptation, AnnotationDocument, VoiceBaseline } from '../shared/annotationDocument';
import { PendingRequests } from '../shared/pendingRequests';
import type { CorrectionsState, FaceRef, HostMessage, NoticeLevel, ReviewSnapshot, StillAnswer } from '../shared/reviewProtocol';
import { ChartPanel } from './chartPanel';
import type { TrackSamples } from './chartSeriesModel';
import type { TimeRange } from './chartSeriesModel';
import { nextZoom, trackSamples, viewRange } from './chartSeriesModel';
import { clampRange, zoomOf } from './chartRangeModel';
import { el, replaceChildren } from './dom';
import { FaceThumbnails } from './faceThumbnails';
import { FilterBar } from './filterBar';
import { formatCount, formatDuration, formatSeconds, plural } from '../shared/textFormat';
import { formatPercent } from './formatting';
import type { KeyAction } from './keyboardModel';
import { keyAction } from './keyboardModel';
import { LabelTable } from './labelTable';
import type { RowFilter, RowPredicate, RowSort, RowTable } from './labelRowsModel';
import {
  buildRowTable, facesBetween, faceOfRow, humanLabels, needsReview, nextFlaggedPosition, nextPosition, NO_LABEL, positionAtTime, rowKeyOf, rowOfKey, visibleRows,
} from './labelRowsModel';
import { MediaPlayer } from './mediaPlayer';
import { renderLegend, renderSummary } from './summaryStrip';
import { readThemeColors, onThemeChange } from './themeColors';
import { trackSummaries } from './trackSummaryModel';
import { TranscriptPanel } from './transcriptPanel';
import type { UiState } from './uiStateModel';
import type { HostConnection } from './vscodeApi';

/** How long an informational notice stays; warnings and errors stay until dismissed. */
const INFO_NOTICE_MS = 6000;
const UI_STATE_SAVE_MS = 250;

interface Layout {
  title: HTMLElement;
  meta: HTMLElement;
  dirty: HTMLElement;
  notice: HTMLElement;
  noticeText: HTMLElement;
  /** The document's own warnings (a truncated file, no face found, speech unavailable): shown while it is open. */
  warnings: HTMLElement;
  /** What the adaptation learnt from and how it did, when the document has one. */
  adaptation: HTMLElement;
  learn: HTMLElement;
  summary: HTMLElement;
  charts: HTMLElement;
  player: MediaPlayer;
  thumbnails: FaceThumbnails;
  chartPanel: ChartPanel;
  transcript: TranscriptPanel;
  table: LabelTable;
  filters: FilterBar;
  legend: HTMLElement;
}

/** The document as the panel holds it: rows and chart samples built once per snapshot. */
interface Loaded {
  doc: AnnotationDocument;
  table: RowTable;
  samples: TrackSamples[];
  threshold: number;
  human: Int16Array;
  order: Int32Array;
  positionOfRow: Int32Array;
}

export class ReviewView {
  private layout: Layout | undefined;
  private loaded: Loaded | undefined;
  private revision = -1;
  private ui: UiState;
  private uiRestored = false;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private stopThemeWatch: (() => void) | undefined;
  private chartsPending = false;
  /** Stills the host cuts with ffmpeg, for the player and the thumbnails; one the host never answers gives up. */
  private readonly stills = new PendingRequests<StillAnswer>({ timeoutMs: 60_000, what: 'a still request' });

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostConnection,
  ) {
    this.ui = host.loadUiState();
    document.addEventListener('keydown', (event) => this.onKeyDown(event));
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.showSnapshot(message.snapshot);
        return;
      case 'corrections':
        this.applyCorrections(message);
        return;
      case 'frame':
        this.stills.answer(message.requestId, message);
        return;
      case 'invalidDocument':
        this.showInvalid(message.fileName, message.message);
        return;
      case 'notice':
        this.showNotice(message.level, message.text);
        return;
      default: {
        // The host is trusted and ships in the same build; an unknown message is a programming error.
        const unknown: never = message;
        console.error('Emotion Lens review: unknown message', unknown);
      }
    }
  }

  private showSnapshot(snapshot: ReviewSnapshot): void {
    if (snapshot.revision < this.revision) return;
    this.revision = snapshot.revision;
    const layout = (this.layout ??= this.buildLayout());
    const doc = snapshot.document;
    const table = buildRowTable(doc);
    const loaded: Loaded = {
      doc,
      table,
      samples: trackSamples(table),
      threshold: snapshot.settings.lowConfidenceThreshold,
      human: humanLabels(table, doc.corrections),
      order: new Int32Array(0),
      positionOfRow: new Int32Array(0),
    };
    const previous = this.loaded;
    this.loaded = loaded;
    layout.title.textContent = snapshot.fileName;
    layout.meta.textContent = mediaSummary(doc);
    renderWarnings(layout.warnings, doc.warnings);
    this.setDirty(snapshot.dirty);
    layout.player.show(snapshot.media, doc);
    layout.thumbnails.setSource(snapshot.media, doc);
    if (!layout.player.canPlay) layout.thumbnails.useHostStills();
    const audio = doc.media.kind === 'audio';
    this.root.classList.toggle('audio-only', audio);
    // No faces: no filters, no table (the people strip says why), and the speech chart fills the column.
    layout.filters.element.hidden = audio;
    layout.table.element.hidden = audio;
    layout.learn.hidden = audio;
    // Version 2 documents (upgraded in memory) say the voice was not analysed; one without any is treated alike.
    const voice = doc.voice as AnnotationDocument['voice'] | undefined;
    layout.transcript.show(doc.transcript, voice?.baseline ?? NO_BASELINE);
    renderLegend(layout.legend, doc.labels, !audio);
    layout.filters.show(table.trackIds, doc.labels, this.ui.filter, this.ui.sort);
    const colors = readThemeColors(doc.labels);
    const adapted = table.adapted ? { adaptedLabel: table.adaptedLabel, modelLabel: table.modelLabel } : undefined;
    layout.chartPanel.show({ labels: doc.labels, samples: loaded.samples, human: loaded.human, ...(adapted && { adapted }), utterances: doc.transcript.utterances, voice, colors, range: this.initialRange(), durationSec: this.duration(), big: audio });
    this.updateZoomText();
    this.stopThemeWatch ??= onThemeChange(() => {
      if (this.loaded) this.layout?.chartPanel.setColors(readThemeColors(this.loaded.doc.labels));
    });
    // Keep the selection across a reload; on the first snapshot, take it from the saved UI state.
    const keys = previous ? this.selectionKeys(previous) : { selected: this.ui.selectedKey, anchor: this.ui.anchorKey };
    this.recomputeOrder(keys);
    this.renderSummary();
    if (!this.uiRestored) {
      this.uiRestored = true;
      layout.table.scrollTop = this.ui.tableScrollTop;
      if (this.ui.playheadSec > 0) layout.player.seek(this.ui.playheadSec);
      else layout.chartPanel.setPlayhead(0);
    }
  }

  private applyCorrections(state: CorrectionsState): void {
    const loaded = this.loaded;
    if (!loaded || state.revision < this.revision) return;
    this.revision = state.revision;
    this.setDirty(state.dirty);
    const human = humanLabels(loaded.table, state.corrections);
    // Usually the host confirms what the panel already shows: then there is nothing to redraw.
    if (sameLabels(human, loaded.human)) return;
    loaded.human = human;
    this.showHuman();
  }

  /** Shows `loaded.human`: the table at once (re-filtered when it filters by label), charts and summary next frame. */
  private showHuman(): void {
    const loaded = this.loaded;
    const layout = this.layout;
    if (!loaded || !layout) return;
    if (this.ui.filter.label !== null) this.recomputeOrder(this.selectionKeys(loaded));
    else layout.table.setHuman(loaded.human);
    if (this.chartsPending) return;
    this.chartsPending = true;
    requestAnimationFrame(() => {
      this.chartsPending = false;
      if (!this.loaded || !this.layout) return;
      this.layout.chartPanel.setHuman(this.loaded.human);
      this.renderSummary();
    });
  }

  private selectionKeys(loaded: Loaded): { selected: string | null; anchor: string | null } {
    const { selected, anchor } = this.layout!.table.selection;
    const key = (p: number): string | null => (p >= 0 && p < loaded.order.length ? rowKeyOf(loaded.table, loaded.order[p]!) : null);
    return { selected: key(selected), anchor: key(anchor) };
  }

  /** Filters and sorts the rows again, keeping the selected rows when they are still shown. */
  private recomputeOrder(keys: { selected: string | null; anchor: string | null }): void {
    const loaded = this.loaded!;
    const layout = this.layout!;
    const { table } = loaded;
    loaded.order = visibleRows(table, loaded.human, this.ui.filter, this.ui.sort, loaded.threshold);
    loaded.positionOfRow = new Int32Array(table.count).fill(-1);
    loaded.order.forEach((row, p) => (loaded.positionOfRow[row] = p));
    layout.table.setData({ table, human: loaded.human, order: loaded.order, threshold: loaded.threshold });
    const position = (key: string | null): number => {
      const row = key === null ? undefined : rowOfKey(table, key);
      return row === undefined ? -1 : loaded.positionOfRow[row]!;
    };
    let selected = position(keys.selected);
    let anchor = position(keys.anchor);
    if (selected < 0 && loaded.order.length > 0) selected = this.ui.sort === 'time' ? Math.max(0, positionAtTime(table, loaded.order, layout.player.currentTime)) : 0;
    if (anchor < 0) anchor = selected;
    layout.table.setSelection(selected, anchor, true);
    layout.filters.count.textContent = `${formatCount(loaded.order.length)} of ${formatCount(table.count)} faces`;
  }

  private renderSummary(): void {
    const loaded = this.loaded;
    if (!loaded || !this.layout) return;
    const empty = loaded.doc.media.kind === 'audio' ? 'No faces: audio recording.' : undefined;
    const summaries = trackSummaries(loaded.table, loaded.human);
    renderSummary(this.layout.summary, summaries, loaded.doc.labels, (trackId) => this.layout?.filters.setTrack(trackId), empty, loaded.table.adapted);
    renderAdaptation(this.layout.adaptation, loaded.doc.adaptation, summaries.reduce((n, r) => n + r.adaptedChanges, 0));
  }

  private setDirty(dirty: boolean): void {
    if (this.layout) this.layout.dirty.hidden = !dirty;
  }

  // ---- keyboard and actions ----

  private onKeyDown(event: KeyboardEvent): void {
    const loaded = this.loaded;
    const layout = this.layout;
    if (!loaded || !layout || event.defaultPrevented || layout.table.editorOpen) return;
    if (isTypingTarget(event)) return;
    const action = keyAction(event, loaded.doc.labels.length);
    if (!action) return;
    const target = event.target as HTMLElement | null;
    // Native controls keep their own Space/Enter (buttons, the video's play button).
    if ((event.key === ' ' || event.key === 'Enter') && target?.closest('button, vscode-button, video, audio, vscode-checkbox')) return;
    // Only preventDefault, never stopPropagation: VS Code's own webview script still sees every key.
    event.preventDefault();
    this.perform(action);
  }

  private perform(action: KeyAction): void {
    const loaded = this.loaded!;
    const layout = this.layout!;
    const { selected } = layout.table.selection;
    const last = loaded.order.length - 1;
    switch (action.kind) {
      case 'move': {
        const delta = Math.abs(action.delta) > 1 ? Math.sign(action.delta) * layout.table.visibleRowCount : action.delta;
        this.select(Math.min(last, Math.max(0, (selected < 0 ? 0 : selected) + delta)), action.extend);
        return;
      }
      case 'edge':
        this.select(action.to === 'first' ? 0 : last, action.extend);
        return;
      case 'setLabel':
        this.setLabel(action.label);
        return;
      case 'clear':
        this.clearLabels();
        return;
      case 'playPause':
        layout.player.togglePlay();
        return;
      case 'nextLowConfidence':
        // In the review queue every row is worth a look: next is the next one nobody has labelled yet.
        if (this.ui.sort === 'queue') this.jump(notReviewed(loaded.human), action.backwards, 'face without a human label in the review queue');
        else this.jump(needsReview(loaded.table, loaded.human, loaded.threshold), action.backwards, 'low-confidence face without a human label');
        return;
      case 'nextDisagreement': {
        const position = nextFlaggedPosition(loaded.table, loaded.order, selected, action.backwards);
        if (position < 0) this.showNotice('info', 'No flagged face (face vs words or face vs voice) among the rows shown.');
        else this.select(position, false);
        return;
      }
      case 'zoom':
        this.zoom(action.direction);
        return;
      case 'openLabelMenu':
        layout.table.openEditor();
        return;
      case 'acceptSuggestions':
        this.acceptSuggestions();
        return;
      case 'toggleQueue':
        layout.filters.setSort(this.ui.sort === 'queue' ? 'time' : 'queue');
        // Into the queue: to its top, where a correction most likely changes something.
        if (this.ui.sort === 'queue') this.select(0, false);
        return;
      default: {
        const unknown: never = action;
        console.error('Emotion Lens review: unknown key action', unknown);
      }
    }
  }

  /** Selects a row (or extends the range to it), shows it and moves the video there. */
  private select(position: number, extend: boolean): void {
    const loaded = this.loaded!;
    const layout = this.layout!;
    if (position < 0 || position >= loaded.order.length) return;
    const { selected, anchor } = layout.table.selection;
    const newAnchor = extend ? (anchor >= 0 ? anchor : selected >= 0 ? selected : position) : position;
    layout.table.setSelection(position, newAnchor, true);
    const row = loaded.order[position]!;
    layout.player.seek(loaded.table.timeSec[row]!);
    layout.player.showFace(faceOfRow(loaded.table, row), loaded.table.timeSec[row]!, `Person ${loaded.table.trackId[row]}`);
    this.saveUiSoon();
  }

  private jump(matches: (row: number) => boolean, backwards: boolean, what: string): void {
    const loaded = this.loaded!;
    const { selected } = this.layout!.table.selection;
    const position = nextPosition(loaded.order, selected < 0 ? -1 : selected, matches, backwards);
    if (position < 0) this.showNotice('info', `No ${what} among the rows shown.`);
    else this.select(position, false);
  }

  private selectedFaces(): { faces: FaceRef[]; rows: number[] } {
    const loaded = this.loaded!;
    const { selected, anchor } = this.layout!.table.selection;
    if (selected < 0) return { faces: [], rows: [] };
    const faces = facesBetween(loaded.table, loaded.order, selected, anchor < 0 ? selected : anchor);
    const lo = Math.min(selected, anchor < 0 ? selected : anchor);
    return { faces, rows: faces.map((_, i) => loaded.order[lo + i]!) };
  }

  /** One message, one edit, however many rows are selected; shown at once, confirmed by the host's corrections. */
  private setLabel(label: number): void {
    const loaded = this.loaded!;
    const name = loaded.doc.labels[label];
    const { faces, rows } = this.selectedFaces();
    if (!name || faces.length === 0) return;
    this.host.post({ type: 'setLabels', faces, label: name });
    const human = loaded.human.slice();
    for (const row of rows) human[row] = label;
    loaded.human = human;
    this.showHuman();
  }

  /**
   * The selected faces' suggestions become human labels: one message (the host takes the labels from the
   * document, not from here), shown at once. Faces with a human label are left alone.
   */
  private acceptSuggestions(): void {
    const loaded = this.loaded!;
    const { table } = loaded;
    if (!table.adapted) {
      this.showNotice('info', 'No suggestions yet: use "Learn from my corrections" first (the button at the top, or the command palette).');
      return;
    }
    const { faces, rows } = this.selectedFaces();
    const open = rows.map((row, i) => ({ row, face: faces[i]! })).filter(({ row }) => loaded.human[row] === NO_LABEL && table.adaptedLabel[row] !== NO_LABEL);
    if (open.length === 0) {
      if (rows.length > 0) this.showNotice('info', rows.length === 1 ? 'This face already has a human label.' : 'These faces already have human labels.');
      return;
    }
    this.host.post({ type: 'acceptSuggestions', faces: open.map((o) => o.face) });
    const human = loaded.human.slice();
    for (const { row } of open) human[row] = table.adaptedLabel[row]!;
    loaded.human = human;
    this.showHuman();
  }

  private clearLabels(): void {
    const loaded = this.loaded!;
    const { faces, rows } = this.selectedFaces();
    const corrected = rows.map((row, i) => ({ row, face: faces[i]! })).filter(({ row }) => loaded.human[row] !== NO_LABEL);
    if (corrected.length === 0) return;
    this.host.post({ type: 'clearLabels', faces: corrected.map((c) => c.face) });
    const human = loaded.human.slice();
    for (const { row } of corrected) human[row] = NO_LABEL;
    loaded.human = human;
    this.showHuman();
  }

  private zoom(direction: 1 | -1): void {
    const loaded = this.loaded;
    if (!loaded) return;
    this.ui.zoomSec = nextZoom(this.ui.zoomSec, direction, loaded.doc.media.durationSec);
    this.layout!.chartPanel.setRange(this.rangeAt(this.layout!.player.currentTime));
    this.updateZoomText();
    this.saveUiSoon();
  }

  private rangeAt(timeSec: number): TimeRange {
    return viewRange(this.duration(), this.ui.zoomSec, timeSec);
  }

  /** The charts' range for a snapshot: where the reviewer left it (panned), else around the playhead. */
  private initialRange(): TimeRange {
    const { zoomSec, viewStartSec, playheadSec } = this.ui;
    if (zoomSec > 0 && viewStartSec !== null) return clampRange(viewStartSec, zoomSec, this.duration());
    return this.rangeAt(playheadSec);
  }

  /** Ctrl+wheel or a pan on a chart: the zoom the keys and the saved state start from. */
  private viewChanged(range: TimeRange): void {
    this.ui.zoomSec = zoomOf(range, this.duration());
    this.updateZoomText();
    this.saveUiSoon();
  }

  private duration(): number {
    const doc = this.loaded?.doc;
    if (!doc) return 1;
    const lastFrame = doc.frames.at(-1)?.timeSec ?? 0;
    return Math.max(doc.media.durationSec, lastFrame, 1e-3);
  }

  private updateZoomText(): void {
    if (!this.layout) return;
    const range = this.layout.chartPanel.currentRange;
    const whole = this.loaded?.doc.media.kind === 'audio' ? 'whole recording' : 'whole video';
    this.layout.filters.zoomText.textContent = this.ui.zoomSec > 0 ? `${formatDuration(range.endSec - range.startSec)} shown` : whole;
  }

  // ---- the clock ----

  /** The video's time moved (playback or a seek): playhead, transcript word, and the row that follows it. */
  private onTime(timeSec: number, playing: boolean): void {
    const loaded = this.loaded;
    const layout = this.layout;
    if (!loaded || !layout) return;
    const range = layout.chartPanel.currentRange;
    if (this.ui.zoomSec > 0) {
      const margin = (range.endSec - range.startSec) * 0.05;
      if (timeSec < range.startSec || timeSec > range.endSec - margin) layout.chartPanel.setRange(this.rangeAt(timeSec));
    }
    layout.chartPanel.setPlayhead(timeSec);
    layout.transcript.setTime(timeSec, playing);
    this.ui.playheadSec = timeSec;
    const { selected, anchor } = layout.table.selection;
    // The selection follows the playhead in time order, unless a range is being selected.
    if (this.ui.sort === 'time' && selected === anchor && loaded.order.length > 0) {
      const preferTrack = selected >= 0 ? loaded.table.trackId[loaded.order[selected]!] : undefined;
      const position = positionAtTime(loaded.table, loaded.order, timeSec, preferTrack);
      if (position >= 0 && position !== selected) {
        layout.table.setSelection(position, position, true);
        // Without a playable video the still is the picture: it follows the playhead too.
        const row = loaded.order[position]!;
        layout.player.showFace(faceOfRow(loaded.table, row), loaded.table.timeSec[row]!, `Person ${loaded.table.trackId[row]}`);
      }
    }
    this.saveUiSoon();
  }

  // ---- state ----

  private saveUiSoon(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      const loaded = this.loaded;
      if (loaded && this.layout) {
        const keys = this.selectionKeys(loaded);
        const viewStartSec = this.ui.zoomSec > 0 ? this.layout.chartPanel.currentRange.startSec : null;
        this.ui = { ...this.ui, tableScrollTop: this.layout.table.scrollTop, selectedKey: keys.selected, anchorKey: keys.anchor, viewStartSec };
      }
      this.host.saveUiState(this.ui);
    }, UI_STATE_SAVE_MS);
  }

  private filterChanged(filter: RowFilter, sort: RowSort): void {
    const loaded = this.loaded;
    if (!loaded) return;
    const keys = this.selectionKeys(loaded);
    this.ui = { ...this.ui, filter, sort };
    this.recomputeOrder(keys);
    this.saveUiSoon();
  }

  // ---- layout ----

  private showInvalid(fileName: string, message: string): void {
    this.layout?.chartPanel.destroy();
    this.layout = undefined;
    this.loaded = undefined;
    const reopen = el('vscode-button', {}, 'Reopen with Text Editor');
    reopen.addEventListener('click', () => this.host.post({ type: 'reopenAsText' }));
    replaceChildren(
      this.root,
      el('section', { class: 'invalid', role: 'alert' },
        el('h1', {}, `${fileName} cannot be reviewed`),
        el('p', { class: 'error-text' }, message),
        el('p', {}, 'Emotion Lens never overwrites an invalid document. Fix it in the text editor, or analyse the video again.'),
        reopen,
      ),
    );
  }

  private showNotice(level: NoticeLevel, text: string): void {
    const layout = this.layout;
    if (!layout) return;
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    layout.notice.className = `notice notice-${level}`;
    layout.noticeText.textContent = text;
    layout.notice.hidden = false;
    if (level === 'info') this.noticeTimer = setTimeout(() => (layout.notice.hidden = true), INFO_NOTICE_MS);
  }

  private buildLayout(): Layout {
    const exportButton = el('vscode-button', { title: 'Export annotations (JSON, CSV, ELAN, WebVTT, Label Studio)' }, 'Export…');
    exportButton.addEventListener('click', () => this.host.post({ type: 'export' }));
    const learn = el('vscode-button', { secondary: true, class: 'learn-button', title: 'Adapt the expression model to your corrections (this document or its folder); its suggestions rank between your labels and the model\'s' }, 'Learn from my corrections');
    learn.addEventListener('click', () => this.host.post({ type: 'learnFromCorrections' }));
    const adaptation = el('section', { class: 'adaptation-bar', 'aria-label': 'Adapted model', hidden: true });
    const dismiss = el('vscode-button', { secondary: true, 'aria-label': 'Dismiss message' }, 'Dismiss');
    const noticeText = el('span', { class: 'notice-text' });
    const notice = el('div', { class: 'notice', role: 'status', hidden: true }, noticeText, dismiss);
    dismiss.addEventListener('click', () => (notice.hidden = true));
    const title = el('h1', { class: 'title' });
    const meta = el('span', { class: 'meta' });
    const warnings = el('ul', { class: 'doc-warnings', 'aria-label': 'Analysis warnings', hidden: true });
    const dirty = el('span', { class: 'dirty', hidden: true, title: 'Unsaved corrections: save with Ctrl+S' }, '● unsaved');
    const mediaBox = el('section', { class: 'media', 'aria-label': 'Media' });
    const summary = el('div', { class: 'track-strip', role: 'group', 'aria-label': 'People' });
    const transcriptBox = el('section', { class: 'transcript', 'aria-label': 'Transcript' });
    const legend = el('section', { class: 'legend-box', 'aria-label': 'Keyboard' });
    const charts = el('section', { class: 'charts', 'aria-label': 'Charts' });
    const requestStill = (face: FaceRef, size: number): Promise<StillAnswer> => this.stills.request((requestId) => this.host.post({ type: 'requestFrame', requestId, face, size }));
    const player = new MediaPlayer(mediaBox, { timeChanged: (t, playing) => this.onTime(t, playing), requestStill });
    const thumbnails = new FaceThumbnails(requestStill);
    const seek = (t: number): void => player.seek(t);
    const chartPanel = new ChartPanel(charts, { seek, viewChanged: (range) => this.viewChanged(range) });
    const transcript = new TranscriptPanel(transcriptBox, { seek, chooseVoskModel: () => this.host.post({ type: 'chooseVoskModel' }) });
    const table = new LabelTable({
      select: (position, extend) => this.select(position, extend),
      chooseLabel: (label) => {
        const index = this.loaded?.doc.labels.indexOf(label) ?? -1;
        if (index >= 0) this.setLabel(index);
      },
      scrolled: () => this.saveUiSoon(),
    }, thumbnails);
    thumbnails.ready = (key, url) => table.showThumbnail(key, url);
    const filters = new FilterBar({ changed: (filter, sort) => this.filterChanged(filter, sort), zoom: (direction) => this.zoom(direction) });
    let lastWidth = 0;
    new ResizeObserver(() => {
      if (Math.abs(charts.clientWidth - lastWidth) < 40) return;
      lastWidth = charts.clientWidth;
      requestAnimationFrame(() => chartPanel.resized());
    }).observe(charts);
    replaceChildren(
      this.root,
      el('header', { class: 'title-row' }, title, dirty, meta, el('span', { class: 'spacer' }), learn, exportButton),
      notice,
      warnings,
      adaptation,
      el('div', { class: 'workspace' },
        el('div', { class: 'side' }, mediaBox, summary, el('h2', { class: 'section-title' }, 'Transcript'), transcriptBox, legend),
        el('div', { class: 'main' }, charts, filters.element, table.element),
      ),
    );
    return { title, meta, dirty, notice, noticeText, warnings, adaptation, learn, summary, charts, player, thumbnails, chartPanel, transcript, table, filters, legend };
  }
}

function sameLabels(a: Int16Array, b: Int16Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Keys typed into a control belong to it (the filters' dropdowns, any text field). */
function isTypingTarget(event: KeyboardEvent): boolean {
  return event.composedPath().some((node) => node instanceof HTMLElement && (node.matches('input, textarea, select, vscode-single-select, vscode-textfield, [contenteditable="true"]')));
}

/** Faces nobody has labelled yet: what "next" looks for in the review queue. */
function notReviewed(human: Int16Array): RowPredicate {
  return (row) => human[row] === NO_LABEL;
}

/** One line on the adaptation: what it learnt from, how it did in cross-validation, what is left to review. */
function renderAdaptation(bar: HTMLElement, adaptation: Adaptation | undefined, pendingChanges: number): void {
  bar.hidden = adaptation === undefined;
  if (!adaptation) {
    replaceChildren(bar);
    return;
  }
  const { trainedOn, crossValidation } = adaptation;
  replaceChildren(bar,
    el('span', { class: 'adapted-mark', 'aria-hidden': 'true' }, '◇'),
    el('strong', {}, 'Adapted model'),
    ` learnt from ${plural(trainedOn.corrections, 'correction')} in ${plural(trainedOn.documents, 'document')}: cross-validated accuracy model ${formatPercent(crossValidation.baseAccuracy)} → adapted ${formatPercent(crossValidation.adaptedAccuracy)}. `,
    el('span', { class: 'muted' }, `${plural(pendingChanges, 'face')} not yet reviewed ${pendingChanges === 1 ? 'gets' : 'get'} another label than the model's. `),
    el('span', { class: 'muted' }, 'A accepts the selected suggestions; Q opens the review queue.'),
  );
}

function renderWarnings(list: HTMLElement, warnings: readonly string[]): void {
  replaceChildren(list, ...warnings.map((warning) => el('li', {}, el('span', { class: 'warning-mark', 'aria-hidden': 'true' }, '⚠'), ' ', warning)));
  list.hidden = warnings.length === 0;
}

const NO_BASELINE: VoiceBaseline = { scope: 'none', reason: 'the voice was not analysed' };

function mediaSummary(doc: AnnotationDocument): string {
  const { media, provenance } = doc;
  const parts = [media.path];
  if (media.kind === 'audio') {
    parts.push(formatDuration(media.durationSec), 'audio recording');
    const analysedTo = media.analysedUntilSec?.audio;
    if (analysedTo !== undefined && media.durationSec - analysedTo > 1) parts.push(`analysed to ${formatSeconds(analysedTo)} only`);
    const segments = (doc.voice as AnnotationDocument['voice'] | undefined)?.segments.length ?? 0;
    if (segments > 0) parts.push(plural(segments, 'voice segment'));
    return parts.join(' · ');
  }
  if (media.kind === 'video') parts.push(formatDuration(media.durationSec));
  const analysedTo = media.analysedUntilSec?.video;
  if (analysedTo !== undefined && media.durationSec - analysedTo > 1) parts.push(`analysed to ${formatSeconds(analysedTo)} only`);
  parts.push(`${media.width}×${media.height}`);
  const fps = provenance.settings.sampleFps;
  if (media.kind === 'video') parts.push(fps > 0 ? `sampled at ${fps} fps` : 'every frame analysed');
  parts.push(`${formatCount(doc.frames.length)} frames`);
  return parts.join(' · ');
}
