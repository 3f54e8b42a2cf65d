/**
 * The review panel's foundation: header (media, tracks, transcript status), the media player, and a plain
 * label table whose final-label dropdown asks the host for a correction. It renders snapshots; it never
 * changes document data itself (the table updates when the host's next snapshot arrives).
 */
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { HostMessage, MediaSource, NoticeLevel, ReviewSnapshot } from '../shared/reviewProtocol';
import type { AnnotationDocument } from '../shared/annotationDocument';
import type { HostConnection } from './vscodeApi';
import type { LabelRow } from './reviewViewModel';
import { formatClock, formatDuration, formatPercent, labelRows, MAX_RENDERED_ROWS, trackRows, transcriptStatusText } from './reviewViewModel';
import { el, replaceChildren } from './dom';

/** How long an informational notice stays; warnings and errors stay until dismissed. */
const INFO_NOTICE_MS = 6000;

interface Layout {
  title: HTMLElement;
  meta: HTMLElement;
  notice: HTMLElement;
  noticeText: HTMLElement;
  tracks: HTMLTableSectionElement;
  transcript: HTMLElement;
  media: HTMLElement;
  rowNote: HTMLElement;
  scroller: HTMLElement;
  rows: HTMLTableSectionElement;
}

interface RowElements {
  row: HTMLTableRowElement;
  /** Shows the final label; activating it swaps in the one dropdown (see openLabelEditor). */
  choice: HTMLButtonElement;
  source: HTMLElement;
  /** Present on rows with a human label only. */
  clear: HTMLElement | undefined;
  data: LabelRow;
}

/** The dropdown currently open on a row, if any. */
interface LabelEditor {
  select: VscodeSingleSelect;
  elements: RowElements;
}

/** Wait after focus leaves the dropdown before closing it, so a click on an option still lands. */
const EDITOR_BLUR_GRACE_MS = 200;

export class ReviewView {
  private layout: Layout | undefined;
  private revision = -1;
  private labels: readonly string[] = [];
  private rowElements = new Map<string, RowElements>();
  private mediaUri: string | undefined;
  private video: HTMLVideoElement | undefined;
  private scrollRestored = false;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private scrollSavePending = false;
  private editor: LabelEditor | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostConnection,
  ) {}

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.showSnapshot(message.snapshot);
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
    layout.title.textContent = snapshot.fileName;
    layout.meta.textContent = mediaSummary(doc);
    this.renderTracks(layout, doc);
    layout.transcript.textContent = transcriptStatusText(doc.transcript);
    this.renderMedia(layout, snapshot.media, doc);
    this.renderRows(layout, doc, snapshot.settings.lowConfidenceThreshold);
    if (!this.scrollRestored) {
      this.scrollRestored = true;
      layout.scroller.scrollTop = this.host.loadUiState().tableScrollTop;
    }
  }

  private showInvalid(fileName: string, message: string): void {
    this.layout = undefined;
    this.rowElements.clear();
    this.mediaUri = undefined;
    this.video = undefined;
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
    const dismiss = el('vscode-button', { secondary: true, 'aria-label': 'Dismiss message' }, 'Dismiss');
    const noticeText = el('span', { class: 'notice-text' });
    const notice = el('div', { class: 'notice', role: 'status', hidden: true }, noticeText, dismiss);
    dismiss.addEventListener('click', () => (notice.hidden = true));
    const title = el('h1', { class: 'title' });
    const meta = el('span', { class: 'meta' });
    const tracks = el('tbody');
    const transcript = el('p', { class: 'transcript-status' });
    const media = el('section', { class: 'media', 'aria-label': 'Media' });
    const rowNote = el('p', { class: 'row-note' });
    const rows = el('tbody');
    const scroller = el('div', { class: 'table-scroll', tabindex: 0, 'aria-label': 'Labels per frame and face' },
      el('table', { class: 'label-table' },
        el('thead', {}, el('tr', {}, ...['Time', 'Track', 'Model label', 'Confidence', 'Final label', 'Source'].map((h) => el('th', { scope: 'col', class: h === 'Track' || h === 'Confidence' ? 'num' : undefined }, h)))),
        rows,
      ),
    );
    scroller.addEventListener('scroll', () => this.saveScrollSoon(scroller), { passive: true });
    replaceChildren(
      this.root,
      el('header', { class: 'summary' },
        el('div', { class: 'title-row' }, title, meta, el('span', { class: 'spacer' }), exportButton),
        notice,
        el('table', { class: 'track-table' },
          el('caption', {}, 'Tracks'),
          el('thead', {}, el('tr', {}, ...['Track', 'Dominant label', 'Frames', 'Reviewed'].map((h) => el('th', { scope: 'col', class: h === 'Frames' || h === 'Reviewed' ? 'num' : undefined }, h)))),
          tracks,
        ),
        transcript,
      ),
      media,
      el('section', { class: 'labels', 'aria-label': 'Label table' }, rowNote, scroller),
    );
    return { title, meta, notice, noticeText, tracks, transcript, media, rowNote, scroller, rows };
  }

  private renderTracks(layout: Layout, doc: AnnotationDocument): void {
    const rows = trackRows(doc);
    if (rows.length === 0) {
      replaceChildren(layout.tracks, el('tr', {}, el('td', { colspan: 4 }, 'No faces were found.')));
      return;
    }
    replaceChildren(
      layout.tracks,
      ...rows.map((t) =>
        el('tr', {}, el('td', {}, String(t.id)), el('td', {}, t.dominantLabel), el('td', { class: 'num' }, t.frames.toLocaleString('en-US')), el('td', { class: 'num' }, `${t.reviewed.toLocaleString('en-US')} of ${t.frames.toLocaleString('en-US')}`)),
      ),
    );
  }

  /** The player is created once per media URI, so a snapshot after an edit does not reset playback. */
  private renderMedia(layout: Layout, media: MediaSource, doc: AnnotationDocument): void {
    const uri = media.status === 'available' ? media.uri : undefined;
    if (uri !== undefined && uri === this.mediaUri) return;
    this.mediaUri = uri;
    this.video = undefined;
    if (media.status === 'unavailable') {
      replaceChildren(layout.media, el('p', { class: 'media-problem' }, `No preview: ${media.reason}.`));
      return;
    }
    if (media.kind === 'image') {
      replaceChildren(layout.media, el('img', { src: media.uri, alt: `Analysed image ${doc.media.path}` }));
      return;
    }
    const video = el('video', { controls: true, preload: 'metadata', 'aria-label': `Video ${doc.media.path}` });
    video.append(el('source', { src: media.uri, type: media.mimeType }));
    const problem = el('p', { class: 'media-problem', hidden: true });
    const cannotPlay = (): void => {
      problem.textContent = cannotPlayText(doc);
      problem.hidden = false;
      video.hidden = true;
    };
    video.addEventListener('error', cannotPlay);
    // A <source> that fails reports on itself, not on the <video>.
    video.querySelector('source')?.addEventListener('error', cannotPlay);
    this.video = video;
    replaceChildren(layout.media, video, problem);
  }

  private renderRows(layout: Layout, doc: AnnotationDocument, threshold: number): void {
    const { rows, total } = labelRows(doc, threshold, MAX_RENDERED_ROWS);
    layout.rowNote.textContent =
      total > rows.length
        ? `Showing the first ${rows.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} faces.`
        : `${total.toLocaleString('en-US')} ${total === 1 ? 'face' : 'faces'}.`;
    const sameLabels = sameList(this.labels, doc.labels);
    const sameRows = sameLabels && rows.length === this.rowElements.size && rows.every((r) => this.rowElements.has(r.key));
    if (sameRows) {
      for (const row of rows) this.updateRow(this.rowElements.get(row.key)!, row);
      return;
    }
    this.closeLabelEditor(false);
    this.labels = [...doc.labels];
    this.rowElements = new Map(rows.map((row) => [row.key, this.createRow(row)]));
    replaceChildren(layout.rows, ...[...this.rowElements.values()].map((r) => r.row));
    if (rows.length === 0) replaceChildren(layout.rows, el('tr', {}, el('td', { colspan: 6 }, 'No faces to label.')));
  }

  /**
   * Rows hold plain elements only: a vscode-single-select lays itself out on every render, which cost about
   * 8 ms per instance here (500 rows: seconds). One dropdown is created when a row's label is activated.
   */
  private createRow(data: LabelRow): RowElements {
    const when = formatClock(data.timeSec);
    const seek = el('button', { class: 'seek', type: 'button', title: 'Play from here', 'aria-label': `Seek to ${when}` }, when);
    seek.addEventListener('click', () => this.seek(data.timeSec));
    const choice = el('button', { class: 'label-choice', type: 'button', 'aria-haspopup': 'listbox' });
    const source = el('span', { class: 'source' });
    const row = el('tr', { 'data-key': data.key },
      el('td', {}, seek),
      el('td', { class: 'num' }, String(data.trackId)),
      el('td', {}, data.modelLabel, data.lowConfidence && el('span', { class: 'low', title: 'Below the low-confidence threshold' }, ' low')),
      el('td', { class: 'num' }, formatPercent(data.confidence)),
      el('td', { class: 'final' }, choice),
      el('td', { class: 'source-cell' }, source),
    );
    const elements: RowElements = { row, choice, source, clear: undefined, data };
    choice.addEventListener('click', () => this.openLabelEditor(elements));
    this.updateRow(elements, data);
    return elements;
  }

  private updateRow(elements: RowElements, data: LabelRow): void {
    elements.data = data;
    const when = formatClock(data.timeSec);
    elements.choice.textContent = data.finalLabel;
    elements.choice.setAttribute('aria-label', `Final label ${data.finalLabel}, track ${data.trackId} at ${when}: change`);
    elements.source.textContent = data.human ? 'human' : 'model';
    elements.source.className = data.human ? 'source human' : 'source';
    elements.row.classList.toggle('corrected', data.human);
    if (data.human && !elements.clear) {
      const clear = el('vscode-button', { secondary: true, 'aria-label': `Clear the correction of track ${data.trackId} at ${when}` }, 'Clear');
      clear.addEventListener('click', () => this.host.post({ type: 'clearLabels', faces: [faceOf(elements.data)] }));
      elements.source.after(clear);
      elements.clear = clear;
    } else if (!data.human && elements.clear) {
      elements.clear.remove();
      elements.clear = undefined;
    }
  }

  /** Swaps the row's label button for a dropdown; a choice asks the host for the correction. */
  private openLabelEditor(elements: RowElements): void {
    this.closeLabelEditor(false);
    const { data } = elements;
    const select = el('vscode-single-select', { label: `Final label, track ${data.trackId} at ${formatClock(data.timeSec)}` }) as VscodeSingleSelect;
    select.append(...this.labels.map((label) => el('vscode-option', { value: label, selected: label === data.finalLabel }, label)));
    const editor: LabelEditor = { select, elements };
    select.addEventListener('change', () => {
      const label = select.value;
      if (label && label !== elements.data.finalLabel) this.host.post({ type: 'setLabels', faces: [faceOf(elements.data)], label });
      this.closeLabelEditor(true);
    });
    // The dropdown closes itself on the first Escape; a second one (or Escape while closed) leaves the editor.
    select.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !select.open) this.closeLabelEditor(true);
    });
    select.addEventListener('focusout', () => {
      setTimeout(() => {
        if (this.editor === editor && !select.open && !select.matches(':focus-within')) this.closeLabelEditor(false);
      }, EDITOR_BLUR_GRACE_MS);
    });
    elements.choice.replaceWith(select);
    this.editor = editor;
    void select.updateComplete.then(() => {
      if (this.editor !== editor) return;
      select.focus();
      select.open = true;
    });
  }

  private closeLabelEditor(refocus: boolean): void {
    const editor = this.editor;
    if (!editor) return;
    this.editor = undefined;
    editor.select.replaceWith(editor.elements.choice);
    if (refocus) editor.elements.choice.focus();
  }

  private seek(timeSec: number): void {
    if (!this.video) return;
    this.video.currentTime = timeSec;
    this.video.focus();
  }

  /** Scroll events come at frame rate; saving once per frame is plenty. */
  private saveScrollSoon(scroller: HTMLElement): void {
    if (this.scrollSavePending) return;
    this.scrollSavePending = true;
    requestAnimationFrame(() => {
      this.scrollSavePending = false;
      this.host.saveUiState({ tableScrollTop: scroller.scrollTop });
    });
  }
}

function mediaSummary(doc: AnnotationDocument): string {
  const { media, provenance } = doc;
  const parts = [media.path];
  if (media.kind === 'video') parts.push(formatDuration(media.durationSec));
  parts.push(`${media.width}×${media.height}`);
  const fps = provenance.settings.sampleFps;
  if (media.kind === 'video') parts.push(fps > 0 ? `sampled at ${fps} fps` : 'every frame analysed');
  parts.push(`${doc.frames.length.toLocaleString('en-US')} frames`);
  return parts.join(' · ');
}

function cannotPlayText(doc: AnnotationDocument): string {
  const codecs = [doc.media.videoCodec && `${doc.media.videoCodec} video`, doc.media.audioCodec && `${doc.media.audioCodec} audio`].filter(Boolean).join(', ');
  const which = codecs ? ` (${codecs})` : '';
  return `This video cannot be played here${which}: VS Code's built-in player lacks some codecs. The labels and times below still work.`;
}

function faceOf(row: LabelRow): { frameIndex: number; trackId: number } {
  return { frameIndex: row.frameIndex, trackId: row.trackId };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
