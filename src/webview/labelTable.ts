/**
 * The label table, virtualised: a fixed row height, a spacer as tall as all rows, and a small pool of row
 * elements moved to where the viewport is. Only the visible rows (plus a few) exist in the DOM, so 36,000
 * rows scroll as smoothly as 30. Rows hold plain elements; the one real dropdown is created on demand.
 */
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import { flagKinds, flagLabel, flagTitle } from './disagreementModel';
import { el, replaceChildren } from './dom';
import { formatClock, formatPercent } from './formatting';
import { labelColorVariables } from './labelColors';
import type { RowTable } from './labelRowsModel';
import { adaptedDiffers, finalLabelOf, sourceOf } from './labelRowsModel';
import type { ThumbnailJob } from './thumbnailQueue';
import { visibleFirst } from './thumbnailQueue';

/** Pixels per row; the CSS gives rows exactly this height. */
export const ROW_HEIGHT = 34;
/** Rows rendered beyond each edge of the viewport, so a fast scroll does not show blank space. */
const OVERSCAN = 8;
/** Wait after focus leaves the dropdown before closing it, so a click on an option still lands. */
const EDITOR_BLUR_GRACE_MS = 200;
/** Thumbnails are asked for once scrolling has settled this long, so scrolling itself stays cheap. */
const THUMBNAIL_SETTLE_MS = 100;

/** Where face thumbnails come from (FaceThumbnails): a cache to read at once, and work for the rows on screen. */
export interface ThumbnailProvider {
  cached(key: string): string | undefined;
  want(jobs: readonly ThumbnailJob[]): void;
}

export interface TableCallbacks {
  /** A row was clicked (shift: extend the range). */
  select(position: number, extend: boolean): void;
  /** The dropdown chose a label for the selected rows. */
  chooseLabel(label: string): void;
  /** After scrolling, for the saved UI state. */
  scrolled(scrollTop: number): void;
}

/** The face geometry columns: head pose and the chosen AUs, named in `names` (see geometrySeriesModel.rowGeometry). */
export interface GeometryCells {
  names: string[];
  titles: string[];
  values(row: number): { pose: number[]; actionUnits: number[] } | undefined;
}

interface PooledRow {
  row: HTMLElement;
  geometry: HTMLElement;
  time: HTMLElement;
  track: HTMLElement;
  thumb: HTMLImageElement;
  predicted: HTMLElement;
  confidence: HTMLElement;
  bar: HTMLElement;
  finalCell: HTMLElement;
  choice: HTMLButtonElement;
  swatch: HTMLElement;
  source: HTMLElement;
  flags: HTMLElement;
  /** What it shows now: skip rewriting rows that did not change. */
  position: number;
  stamp: string;
}

export interface TableData {
  table: RowTable;
  human: Int16Array;
  order: Int32Array;
  threshold: number;
}

export class LabelTable {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly emptyNote: HTMLElement;
  private pool: PooledRow[] = [];
  private data: TableData | undefined;
  private selected = -1;
  private anchor = -1;
  private renderPending = false;
  private editor: { select: VscodeSingleSelect; pooled: PooledRow } | undefined;
  private colorVariables: string[] = [];
  private labelsKey = '';
  private thumbnailTimer: ReturnType<typeof setTimeout> | undefined;
  private geometry: GeometryCells | undefined;
  private readonly geometryHead = el('div', { class: 'cell c-geo', role: 'columnheader' });

  constructor(
    private readonly callbacks: TableCallbacks,
    private readonly thumbnails?: ThumbnailProvider,
  ) {
    const header = el('div', { class: 'table-row table-head', role: 'row' },
      ...[['Time', 'c-time'], ['Track', 'c-track num'], ['Face', 'c-thumb'], ['Predicted', 'c-pred'], ['Confidence', 'c-conf num'], ['Final label', 'c-final'], ['Source', 'c-source'], ['Flags', 'c-flags']]
        .map(([text, cls]) => el('div', { class: `cell ${cls}`, role: 'columnheader' }, text)),
      this.geometryHead,
    );
    this.spacer = el('div', { class: 'table-spacer', role: 'presentation' });
    this.emptyNote = el('p', { class: 'empty-note', hidden: true }, 'No faces match these filters.');
    this.scroller = el('div', { class: 'table-body', role: 'rowgroup' }, this.spacer, this.emptyNote);
    const headGroup = el('div', { role: 'rowgroup', class: 'table-head-group' }, header);
    this.element = el('div', { class: 'label-table', role: 'grid', tabindex: 0, 'aria-label': 'Labels per frame and face. Arrow keys move, number keys set the label.', 'aria-multiselectable': 'true' },
      headGroup, this.scroller);
    this.scroller.addEventListener('scroll', () => {
      // With the geometry columns the rows may be wider than the table: the header scrolls sideways with them.
      headGroup.scrollLeft = this.scroller.scrollLeft;
      this.closeEditor(false);
      this.scheduleRender();
      this.callbacks.scrolled(this.scroller.scrollTop);
    }, { passive: true });
    this.spacer.addEventListener('click', (event) => this.onClick(event));
    new ResizeObserver(() => this.scheduleRender()).observe(this.scroller);
  }

  /** New rows, filter or corrections: rows re-render, positions are the caller's to keep. */
  setData(data: TableData): void {
    this.data = data;
    const labelsKey = data.table.labels.join('\n');
    if (labelsKey !== this.labelsKey) {
      this.labelsKey = labelsKey;
      this.colorVariables = labelColorVariables(data.table.labels);
    }
    this.element.setAttribute('aria-rowcount', String(data.order.length + 1));
    this.spacer.style.height = `${data.order.length * ROW_HEIGHT}px`;
    this.emptyNote.hidden = data.order.length > 0;
    this.invalidate();
  }

  /** Head pose and AU columns (undefined: none, for documents without geometry). */
  setGeometry(cells: GeometryCells | undefined): void {
    this.geometry = cells;
    this.element.classList.toggle('has-geometry', cells !== undefined);
    this.element.style.setProperty('--geo-count', String(cells?.names.length ?? 0));
    replaceChildren(this.geometryHead, ...(cells?.names ?? []).map((name, i) => el('span', { class: 'geo-value', title: cells!.titles[i] }, name)));
    this.invalidate();
    this.render();
  }

  /** Corrections changed: the same rows, new final labels. */
  setHuman(human: Int16Array): void {
    if (!this.data) return;
    this.data = { ...this.data, human };
    this.invalidate();
    this.render();
  }

  get selection(): { selected: number; anchor: number } {
    return { selected: this.selected, anchor: this.anchor };
  }

  setSelection(selected: number, anchor: number, reveal: boolean): void {
    this.selected = selected;
    this.anchor = anchor;
    if (this.editor && this.editor.pooled.position !== selected) this.closeEditor(false);
    const item = this.pool.find((p) => p.position === selected);
    this.element.setAttribute('aria-activedescendant', item ? item.row.id : '');
    if (reveal && selected >= 0) this.reveal(selected);
    this.invalidate();
    this.render();
  }

  get scrollTop(): number {
    return this.scroller.scrollTop;
  }

  set scrollTop(value: number) {
    this.scroller.scrollTop = value;
    this.render();
  }

  /** Scrolls just enough to show the row at `position`. */
  reveal(position: number): void {
    const top = position * ROW_HEIGHT;
    const view = this.scroller.clientHeight;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > this.scroller.scrollTop + view) this.scroller.scrollTop = top + ROW_HEIGHT - view;
  }

  /** Rows that fit in the viewport (for Page Up/Down). */
  get visibleRowCount(): number {
    return Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT));
  }

  /** Opens the one real dropdown on the selected row. */
  openEditor(): void {
    const data = this.data;
    const pooled = this.pool.find((p) => p.position === this.selected);
    if (!data || !pooled || this.selected < 0) return;
    this.closeEditor(false);
    const row = data.order[this.selected]!;
    const current = data.table.labels[finalLabelOf(data.table, data.human, row)] ?? '';
    const select = el('vscode-single-select', { label: `Final label, track ${data.table.trackId[row]} at ${formatClock(data.table.timeSec[row]!)}` }) as VscodeSingleSelect;
    select.append(...data.table.labels.map((label, i) => el('vscode-option', { value: label, selected: label === current }, `${i + 1} ${label}`)));
    const editor = { select, pooled };
    select.addEventListener('change', () => {
      const label = select.value;
      this.closeEditor(true);
      if (label && label !== current) this.callbacks.chooseLabel(label);
    });
    select.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !select.open) this.closeEditor(true);
    });
    select.addEventListener('focusout', () => {
      setTimeout(() => {
        if (this.editor === editor && !select.open && !select.matches(':focus-within')) this.closeEditor(false);
      }, EDITOR_BLUR_GRACE_MS);
    });
    pooled.choice.replaceWith(select);
    this.editor = editor;
    void select.updateComplete.then(() => {
      if (this.editor !== editor) return;
      select.focus();
      select.open = true;
    });
  }

  get editorOpen(): boolean {
    return this.editor !== undefined;
  }

  focus(): void {
    this.element.focus({ preventScroll: true });
  }

  private closeEditor(refocus: boolean): void {
    const editor = this.editor;
    if (!editor) return;
    this.editor = undefined;
    editor.select.replaceWith(editor.pooled.choice);
    if (refocus) this.focus();
  }

  private invalidate(): void {
    for (const p of this.pool) p.stamp = '';
  }

  private scheduleRender(): void {
    if (this.renderPending) return;
    this.renderPending = true;
    requestAnimationFrame(() => {
      this.renderPending = false;
      this.render();
    });
  }

  /** Places pool rows over the visible range; rewrites a row only when what it shows changed. */
  render(): void {
    const data = this.data;
    if (!data) return;
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(data.order.length, Math.ceil((this.scroller.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    const needed = Math.max(0, last - first);
    while (this.pool.length < needed) this.pool.push(this.createRow(this.pool.length));
    const [lo, hi] = this.selected >= 0 && this.anchor >= 0 ? [Math.min(this.selected, this.anchor), Math.max(this.selected, this.anchor)] : [this.selected, this.selected];
    for (let i = 0; i < this.pool.length; i++) {
      const pooled = this.pool[i]!;
      // Rows keep their pool slot by position modulo the pool size, so scrolling moves few of them.
      const position = i < needed ? first + ((((i - (first % needed)) % needed) + needed) % needed) : -1;
      if (position < 0 || position >= data.order.length) {
        pooled.row.hidden = true;
        pooled.position = -1;
        continue;
      }
      pooled.row.hidden = false;
      const inRange = position >= lo && position <= hi && lo >= 0;
      const stamp = `${position}|${data.order[position]}|${data.human[data.order[position]!]}|${inRange ? 1 : 0}|${position === this.selected ? 1 : 0}`;
      if (pooled.stamp === stamp) continue;
      if (this.editor?.pooled === pooled && pooled.position !== position) this.closeEditor(false);
      pooled.stamp = stamp;
      pooled.position = position;
      this.fill(pooled, data, position, inRange);
    }
    const active = this.pool.find((p) => p.position === this.selected && this.selected >= 0);
    this.element.setAttribute('aria-activedescendant', active ? active.row.id : '');
    this.scheduleThumbnails();
  }

  /** A thumbnail arrived: shown on the row that holds that face now, if any. */
  showThumbnail(key: string, url: string): void {
    const pooled = this.pool.find((p) => p.position >= 0 && p.row.dataset.key === key);
    if (pooled) setThumb(pooled.thumb, url);
  }

  private scheduleThumbnails(): void {
    if (!this.thumbnails) return;
    if (this.thumbnailTimer) clearTimeout(this.thumbnailTimer);
    this.thumbnailTimer = setTimeout(() => {
      this.thumbnailTimer = undefined;
      this.requestThumbnails();
    }, THUMBNAIL_SETTLE_MS);
  }

  /** The rows in the DOM without a thumbnail, those inside the viewport first. */
  private requestThumbnails(): void {
    const data = this.data;
    if (!data || !this.thumbnails) return;
    const top = Math.floor(this.scroller.scrollTop / ROW_HEIGHT);
    const bottom = Math.ceil((this.scroller.scrollTop + (this.scroller.clientHeight || 600)) / ROW_HEIGHT) - 1;
    const positions = visibleFirst(this.pool.filter((p) => p.position >= 0 && !p.thumb.src).map((p) => p.position), top, bottom);
    const { table } = data;
    this.thumbnails.want(positions.map((position) => {
      const row = data.order[position]!;
      return { key: `${table.frameIndex[row]}:${table.trackId[row]}`, frameIndex: table.frameIndex[row]!, trackId: table.trackId[row]!, timeSec: table.timeSec[row]!, box: table.faces[row]!.box };
    }));
  }

  private createRow(index: number): PooledRow {
    const time = el('div', { class: 'cell c-time', role: 'gridcell' });
    const track = el('div', { class: 'cell c-track num', role: 'gridcell' });
    const predicted = el('div', { class: 'cell c-pred', role: 'gridcell' });
    const thumb = el('img', { class: 'face-thumb', alt: '', width: 32, height: 32, decoding: 'async' });
    // Shown only once decoded; a failed one falls back to the placeholder.
    thumb.addEventListener('load', () => thumb.classList.add('loaded'));
    thumb.addEventListener('error', () => thumb.classList.remove('loaded'));
    const thumbCell = el('div', { class: 'cell c-thumb', role: 'gridcell' }, el('span', { class: 'face-thumb-frame' }, thumb));
    const bar = el('span', { class: 'conf-bar', 'aria-hidden': 'true' });
    const confidenceText = el('span', { class: 'conf-text' });
    const confidence = el('div', { class: 'cell c-conf num', role: 'gridcell' }, confidenceText, el('span', { class: 'conf-track', 'aria-hidden': 'true' }, bar));
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    const choice = el('button', { class: 'label-choice', type: 'button', tabindex: -1, 'aria-haspopup': 'listbox' });
    const finalCell = el('div', { class: 'cell c-final', role: 'gridcell' }, swatch, choice);
    const source = el('div', { class: 'cell c-source', role: 'gridcell' });
    const flags = el('div', { class: 'cell c-flags', role: 'gridcell' });
    const geometry = el('div', { class: 'cell c-geo', role: 'gridcell' });
    const row = el('div', { class: 'table-row', role: 'row', id: `label-row-${index}` }, time, track, thumbCell, predicted, confidence, finalCell, source, flags, geometry);
    this.spacer.append(row);
    return { row, geometry, time, track, thumb, predicted, confidence: confidenceText, bar, finalCell, choice, swatch, source, flags, position: -1, stamp: '' };
  }

  private fill(p: PooledRow, data: TableData, position: number, inRange: boolean): void {
    const { table, human } = data;
    const row = data.order[position]!;
    const when = formatClock(table.timeSec[row]!);
    const model = table.modelLabel[row]!;
    const final = finalLabelOf(table, human, row);
    const source = sourceOf(table, human, row);
    const isHuman = source === 'human';
    const isAdapted = source === 'adapted';
    const differs = isAdapted && adaptedDiffers(table, row);
    const confidence = table.confidence[row]!;
    const low = confidence < data.threshold;
    p.row.style.transform = `translateY(${position * ROW_HEIGHT}px)`;
    p.row.setAttribute('aria-rowindex', String(position + 2));
    p.row.setAttribute('aria-selected', String(inRange));
    p.row.classList.toggle('selected', inRange);
    p.row.classList.toggle('focused', position === this.selected);
    p.row.classList.toggle('human', isHuman);
    p.row.classList.toggle('adapted', isAdapted);
    p.row.classList.toggle('adapted-differs', differs);
    const key = `${table.frameIndex[row]}:${table.trackId[row]}`;
    if (p.row.dataset.key !== key) setThumb(p.thumb, this.thumbnails?.cached(key));
    p.row.dataset.key = key;
    p.time.textContent = when;
    p.track.textContent = String(table.trackId[row]);
    p.predicted.textContent = table.labels[model] ?? '?';
    p.confidence.textContent = formatPercent(confidence);
    p.bar.style.width = `${Math.round(confidence * 100)}%`;
    p.bar.classList.toggle('low', low);
    const finalLabel = table.labels[final] ?? '?';
    p.choice.textContent = finalLabel;
    const adaptedText = `suggested by the adapted model, ${formatPercent(table.adaptedConfidence[row]!)}`;
    p.choice.setAttribute('aria-label', `Final label ${finalLabel}${isHuman ? ' (set by a person)' : isAdapted ? ` (${adaptedText}; A accepts it)` : ''}, track ${table.trackId[row]} at ${when}: change`);
    p.swatch.style.backgroundColor = `var(${this.colorVariables[final] ?? '--vscode-foreground'})`;
    p.source.textContent = isHuman ? '✎ human' : isAdapted ? `◇ adapted ${formatPercent(table.adaptedConfidence[row]!)}` : 'model';
    p.source.title = isAdapted ? `The adapted model's suggestion and its probability (${adaptedText}); A accepts it as your label` : '';
    p.source.classList.toggle('is-human', isHuman);
    p.source.classList.toggle('is-adapted', isAdapted);
    replaceChildren(p.flags,
      differs && el('span', { class: 'flag flag-adapted', title: `The adapted model says ${finalLabel} where the model said ${table.labels[model] ?? '?'}` }, '≠ model'),
      low && el('span', { class: 'flag flag-low', title: `Confidence below ${formatPercent(data.threshold)}` }, 'low'),
      ...flagKinds(table.disagreement[row]!).map((kind) => el('span', { class: `flag flag-disagree flag-${kind}`, title: flagTitle(kind) }, flagLabel(kind))),
    );
    this.fillGeometry(p.geometry, row);
  }

  /** Yaw, pitch, roll in whole degrees and the AUs to two decimals; a dash where this face has no geometry. */
  private fillGeometry(cell: HTMLElement, row: number): void {
    const cells = this.geometry;
    if (!cells) return replaceChildren(cell);
    const values = cells.values(row);
    const text = values ? [...values.pose.map((v) => formatSigned(Math.round(v))), ...values.actionUnits.map((v) => v.toFixed(2))] : cells.names.map(() => '–');
    replaceChildren(cell, ...text.map((t, i) => el('span', { class: 'geo-value', title: `${cells.titles[i]}: ${t}` }, t)));
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const rowElement = target.closest<HTMLElement>('.table-row');
    const pooled = this.pool.find((p) => p.row === rowElement);
    if (!pooled || pooled.position < 0) return;
    this.callbacks.select(pooled.position, event.shiftKey);
    if (target.closest('.label-choice')) this.openEditor();
    else this.focus();
  }
}

/** A true minus sign for negative numbers (the table's figures line up). */
function formatSigned(v: number): string {
  return v < 0 ? `−${Math.abs(v)}` : String(v);
}

/** A thumbnail, or the placeholder (the frame behind an invisible image) until one has arrived and decoded. */
function setThumb(image: HTMLImageElement, url: string | undefined): void {
  if (url !== undefined && image.getAttribute('src') === url) return;
  image.classList.remove('loaded');
  if (url) image.src = url;
  else image.removeAttribute('src');
  image.classList.toggle('empty', !url);
}
