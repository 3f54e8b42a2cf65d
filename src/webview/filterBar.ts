/** Filters and sort for the label table, and the chart zoom: a few @vscode-elements controls. */
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import { el } from './dom';
import type { RowFilter, RowSort } from './labelRowsModel';

export interface FilterCallbacks {
  changed(filter: RowFilter, sort: RowSort): void;
  zoom(direction: 1 | -1): void;
}

export class FilterBar {
  readonly element: HTMLElement;
  readonly count: HTMLElement;
  readonly zoomText: HTMLElement;
  private readonly track: VscodeSingleSelect;
  private readonly label: VscodeSingleSelect;
  private readonly sort: VscodeSingleSelect;
  private readonly low: VscodeCheckbox;
  private readonly disagree: VscodeCheckbox;

  constructor(private readonly callbacks: FilterCallbacks) {
    this.track = el('vscode-single-select', { label: 'Track', class: 'filter-track' }) as VscodeSingleSelect;
    this.label = el('vscode-single-select', { label: 'Final label', class: 'filter-label' }) as VscodeSingleSelect;
    this.sort = el('vscode-single-select', { label: 'Order', class: 'filter-sort' }) as VscodeSingleSelect;
    this.sort.append(
      el('vscode-option', { value: 'time' }, 'By time'),
      el('vscode-option', { value: 'confidence' }, 'Least confident first'),
      el('vscode-option', { value: 'queue', description: 'Not yet reviewed: model and adaptation disagree first, then least sure first (Q)' }, 'Review queue'),
    );
    this.low = el('vscode-checkbox', { label: 'Low confidence' }) as VscodeCheckbox;
    this.disagree = el('vscode-checkbox', { label: 'Flagged', title: 'Only faces in segments flagged face vs words or face vs voice' }) as VscodeCheckbox;
    this.count = el('span', { class: 'row-count', role: 'status' });
    const zoomIn = el('vscode-button', { secondary: true, 'aria-label': 'Zoom charts in (+)', title: 'Zoom charts in (+)' }, '+');
    const zoomOut = el('vscode-button', { secondary: true, 'aria-label': 'Zoom charts out (−)', title: 'Zoom charts out (−)' }, '−');
    this.zoomText = el('span', { class: 'zoom-text muted' });
    zoomIn.addEventListener('click', () => this.callbacks.zoom(-1));
    zoomOut.addEventListener('click', () => this.callbacks.zoom(1));
    for (const control of [this.track, this.label, this.sort, this.low, this.disagree]) control.addEventListener('change', () => this.emit());
    this.element = el('div', { class: 'filter-bar', role: 'toolbar', 'aria-label': 'Table filters' },
      el('span', { class: 'filter-label-text' }, 'Track'), this.track,
      el('span', { class: 'filter-label-text' }, 'Label'), this.label,
      this.low, this.disagree,
      el('span', { class: 'filter-label-text' }, 'Order'), this.sort,
      this.count,
      el('span', { class: 'spacer' }),
      el('span', { class: 'filter-label-text' }, 'Charts'), zoomOut, zoomIn, this.zoomText,
    );
  }

  /** Fills the choices for this document and shows the given state (no change event). */
  show(trackIds: readonly number[], labels: readonly string[], filter: RowFilter, sort: RowSort): void {
    this.track.replaceChildren(el('vscode-option', { value: 'all', selected: filter.trackId === null }, 'All'),
      ...trackIds.map((id) => el('vscode-option', { value: String(id), selected: filter.trackId === id }, `Person ${id}`)));
    this.label.replaceChildren(el('vscode-option', { value: 'all', selected: filter.label === null }, 'All'),
      ...labels.map((label) => el('vscode-option', { value: label, selected: filter.label === label }, label)));
    this.sort.value = sort;
    this.low.checked = filter.lowConfidenceOnly;
    this.disagree.checked = filter.disagreementOnly;
  }

  setTrack(trackId: number | null): void {
    this.track.value = trackId === null ? 'all' : String(trackId);
    this.emit();
  }

  private emit(): void {
    const track = this.track.value;
    const label = this.label.value;
    this.callbacks.changed(
      { trackId: track && track !== 'all' ? Number(track) : null, label: label && label !== 'all' ? label : null, lowConfidenceOnly: this.low.checked, disagreementOnly: this.disagree.checked },
      this.sort.value === 'confidence' || this.sort.value === 'queue' ? this.sort.value : 'time',
    );
  }

  /** Shows and announces another order (the Q key), as if chosen in the dropdown. */
  setSort(sort: RowSort): void {
    this.sort.value = sort;
    this.emit();
  }
}
