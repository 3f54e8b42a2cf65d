/**
 * The review panel: media, charts, transcript, track summary and the label table, kept on one clock. An audio
 * recording has no faces: its player takes the media's place and the speech chart the main column. It
 * renders what the host sends (a snapshot on `ready`, then corrections after each edit) and asks the host
 * for edits; a correction is shown at once and replaced by the host's answer, which is the truth.
 */
import type { AnnotationDocument, VoiceBaseline } from '../shared/annotationDocument';
import { PendingRequests } from '../shared/pendingRequests';
import type { CorrectionsState, HostMessage, LandmarksAnswer, NoticeLevel, ReviewSnapshot, StillAnswer } from '../shared/reviewProtocol';
import { formatCount, formatDuration } from '../shared/textFormat';
import type { TrackSamples } from './chartSeriesModel';
import type { TimeRange } from './chartSeriesModel';
import { nextZoom, trackSamples, viewRange } from './chartSeriesModel';
import { clampRange, zoomOf } from './chartRangeModel';
import { keyBelongsToControl } from './dom';
import type { KeyAction } from './keyboardModel';
import { keyAction } from './keyboardModel';
import type { RowFilter, RowSort, RowTable } from './labelRowsModel';
import {
  buildRowTable, faceOfRow, humanLabels, needsReview, nextFlaggedPosition, nextPosition, notReviewed, positionAtTime, rowKeyOf, rowOfKey, sameLabels, visibleRows,
} from './labelRowsModel';
import { acceptSuggestionsEdit, clearLabelsEdit, setLabelEdit } from './labelEditModel';
import type { LabelEdit, RowSelection } from './labelEditModel';
import { buildLayout, showInvalidDocument } from './reviewLayout';
import type { ReviewLayout } from './reviewLayout';
import { renderLegend, renderSummary } from './summaryStrip';
import { speakerRowPosition } from './transcriptModel';
import { readThemeColors, onThemeChange } from './themeColors';
import { trackSummaries } from './trackSummaryModel';
import type { UiState } from './uiStateModel';
import type { HostConnection } from './vscodeApi';

const UI_STATE_SAVE_MS = 250;

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
  private layout: ReviewLayout | undefined;
  private loaded: Loaded | undefined;
  private revision = -1;
  private ui: UiState;
  private uiRestored = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private stopThemeWatch: (() => void) | undefined;
  private chartsPending = false;
  /** Stills the host cuts with ffmpeg, for the player and the thumbnails; one the host never answers gives up. */
  private readonly stills = new PendingRequests<StillAnswer>({ timeoutMs: 60_000, what: 'a still request' });
  /** One frame's landmarks for the overlay; the first asks the host to read the mesh sidecar, which takes a while. */
  private readonly landmarks = new PendingRequests<LandmarksAnswer>({ timeoutMs: 60_000, what: 'a landmarks request' });

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
        return this.showSnapshot(message.snapshot);
      case 'corrections':
        return this.applyCorrections(message);
      case 'frame':
        this.stills.answer(message.requestId, message);
        return;
      case 'landmarks':
        this.landmarks.answer(message.requestId, message);
        return;
      case 'invalidDocument':
        return this.showInvalid(message.fileName, message.message);
      case 'notice':
        return this.showNotice(message.level, message.text);
      default:
        // The host is trusted and ships in the same build; an unknown message is a programming error.
        console.error('Emotion Lens review: unknown message', message satisfies never);
    }
  }

  private showSnapshot(snapshot: ReviewSnapshot): void {
    if (snapshot.revision < this.revision) return;
    this.revision = snapshot.revision;
    const layout = (this.layout ??= this.buildLayout());
    layout.header.show(snapshot.fileName, snapshot.document);
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
    this.layout?.header.setDirty(snapshot.dirty);
    layout.player.show(snapshot.media, doc);
    layout.thumbnails.setSource(snapshot.media, doc);
    if (!layout.player.canPlay) layout.thumbnails.useHostStills();
    const audio = doc.media.kind === 'audio';
    this.root.classList.toggle('audio-only', audio);
    // No faces: no filters, no table (the people strip says why), and the speech chart fills the column.
    layout.filters.element.hidden = audio;
    layout.table.element.hidden = audio;
    // Version 2 documents (upgraded in memory) say the voice was not analysed; one without any is treated alike.
    const voice = doc.voice as AnnotationDocument['voice'] | undefined;
    layout.transcript.show(doc.transcript, voice?.baseline ?? NO_BASELINE);
    layout.filters.show(table.trackIds, doc.labels, this.ui.filter, this.ui.sort);
    const colors = readThemeColors(doc.labels);
    const adapted = table.adapted ? { adaptedLabel: table.adaptedLabel, modelLabel: table.modelLabel } : undefined;
    layout.chartPanel.show({ labels: doc.labels, samples: loaded.samples, human: loaded.human, ...(adapted && { adapted }), utterances: doc.transcript.utterances, voice, colors, range: this.initialRange(), durationSec: this.duration(), big: audio });
    layout.geometry.show(doc, table, this.ui);
    renderLegend(layout.legend, doc.labels, !audio, layout.geometry.overlay.available);
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
    this.layout?.header.setDirty(state.dirty);
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
    this.layout.header.showAdaptation(loaded.doc.adaptation, summaries.reduce((n, r) => n + r.adaptedChanges, 0));
  }

  // ---- keyboard and actions ----

  private onKeyDown(event: KeyboardEvent): void {
    const loaded = this.loaded;
    const layout = this.layout;
    if (!loaded || !layout || event.defaultPrevented || layout.table.editorOpen) return;
    if (keyBelongsToControl(event)) return;
    const action = keyAction(event, loaded.doc.labels.length);
    if (!action) return;
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
        return this.select(action.to === 'first' ? 0 : last, action.extend);
      case 'setLabel':
        return this.apply(setLabelEdit(this.selection(), action.label));
      case 'clear':
        return this.apply(clearLabelsEdit(this.selection()));
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
        return this.zoom(action.direction);
      case 'openLabelMenu':
        layout.table.openEditor();
        return;
      case 'acceptSuggestions':
        return this.apply(acceptSuggestionsEdit(this.selection()));
      case 'toggleQueue':
        layout.filters.setSort(this.ui.sort === 'queue' ? 'time' : 'queue');
        // Into the queue: to its top, where a correction most likely changes something.
        if (this.ui.sort === 'queue') this.select(0, false);
        return;
      case 'toggleLandmarks':
        this.ui.landmarks = layout.geometry.toggleLandmarks(layout.player.currentTime);
        this.saveUiSoon();
        return;
      default:
        console.error('Emotion Lens review: unknown key action', action satisfies never);
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

  /** The rows as shown, and which are selected, for a label action. */
  private selection(): RowSelection {
    const { table, order, human } = this.loaded!;
    const { selected, anchor } = this.layout!.table.selection;
    return { table, order, human, selected, anchor };
  }

  /** Asks the host for the edit and shows it at once; the host's corrections confirm it. */
  private apply(edit: LabelEdit): void {
    if (!edit) return;
    if ('notice' in edit) {
      this.showNotice('info', edit.notice);
      return;
    }
    this.host.post(edit.message);
    this.loaded!.human = edit.human;
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
    layout.geometry.setTime(timeSec);
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
    showInvalidDocument(this.root, fileName, message, () => this.host.post({ type: 'reopenAsText' }));
  }

  private showNotice(level: NoticeLevel, text: string): void {
    this.layout?.header.showNotice(level, text);
  }

  private buildLayout(): ReviewLayout {
    return buildLayout(this.root, {
      post: (message) => this.host.post(message),
      requestStill: (face, size) => this.stills.request((requestId) => this.host.post({ type: 'requestFrame', requestId, face, size })),
      timeChanged: (t, playing) => this.onTime(t, playing),
      viewChanged: (range) => this.viewChanged(range),
      select: (position, extend) => this.select(position, extend),
      showSpeaker: (trackId, t) => this.loaded && this.select(speakerRowPosition(this.loaded.table, this.loaded.order, trackId, t), false),
      chooseLabel: (label) => {
        const index = this.loaded?.doc.labels.indexOf(label) ?? -1;
        if (index >= 0) this.apply(setLabelEdit(this.selection(), index));
      },
      tableScrolled: () => this.saveUiSoon(),
      filterChanged: (filter, sort) => this.filterChanged(filter, sort),
      zoom: (direction) => this.zoom(direction),
      requestLandmarks: (frameIndex) => this.landmarks.request((requestId) => this.host.post({ type: 'requestLandmarks', requestId, frameIndex })),
      notice: (text) => this.showNotice('info', text),
      actionUnitsChosen: (actionUnits) => {
        this.ui.actionUnits = actionUnits;
        this.saveUiSoon();
      },
    });
  }
}

const NO_BASELINE: VoiceBaseline = { scope: 'none', reason: 'the voice was not analysed' };
