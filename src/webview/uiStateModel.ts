/**
 * The panel's UI state (never document data, which lives in the host): what VS Code keeps for the webview
 * across hiding and window reloads. Versioned: state saved by an older panel is dropped, not misread. Pure.
 */
import type { RowFilter, RowSort } from './labelRowsModel';
import { NO_FILTER } from './labelRowsModel';

/** Bump when the shape changes. */
export const UI_STATE_VERSION = 3;

export interface UiState {
  version: typeof UI_STATE_VERSION;
  /** Scroll offset of the label table, in pixels. */
  tableScrollTop: number;
  /** Selected row (`frameIndex:trackId`) and the other end of a range selection. */
  selectedKey: string | null;
  anchorKey: string | null;
  filter: RowFilter;
  sort: RowSort;
  /** Seconds the charts show; 0 = the whole media. */
  zoomSec: number;
  /** Where the zoomed charts start (after panning); null: centred on the playhead. */
  viewStartSec: number | null;
  /** Where the video was. */
  playheadSec: number;
  /** The AUs the geometry band and the table show (empty: the defaults). */
  actionUnits: number[];
  /** The landmark overlay is on. */
  landmarks: boolean;
}

export const DEFAULT_UI_STATE: UiState = {
  version: UI_STATE_VERSION,
  tableScrollTop: 0,
  selectedKey: null,
  anchorKey: null,
  filter: NO_FILTER,
  sort: 'time',
  zoomSec: 0,
  viewStartSec: null,
  playheadSec: 0,
  actionUnits: [],
  landmarks: false,
};

/** Reads saved state field by field: anything missing or malformed takes its default. */
export function parseUiState(value: unknown): UiState {
  if (!isRecord(value) || value.version !== UI_STATE_VERSION) return { ...DEFAULT_UI_STATE };
  const filter = isRecord(value.filter) ? value.filter : {};
  return {
    version: UI_STATE_VERSION,
    tableScrollTop: nonNegative(value.tableScrollTop),
    selectedKey: rowKey(value.selectedKey),
    anchorKey: rowKey(value.anchorKey),
    filter: {
      trackId: typeof filter.trackId === 'number' && Number.isSafeInteger(filter.trackId) && filter.trackId >= 0 ? filter.trackId : null,
      label: typeof filter.label === 'string' && filter.label.length > 0 && filter.label.length <= 64 ? filter.label : null,
      lowConfidenceOnly: filter.lowConfidenceOnly === true,
      disagreementOnly: filter.disagreementOnly === true,
    },
    sort: value.sort === 'confidence' || value.sort === 'queue' ? value.sort : 'time',
    zoomSec: nonNegative(value.zoomSec),
    viewStartSec: typeof value.viewStartSec === 'number' && Number.isFinite(value.viewStartSec) && value.viewStartSec >= 0 ? value.viewStartSec : null,
    playheadSec: nonNegative(value.playheadSec),
    actionUnits: Array.isArray(value.actionUnits) ? value.actionUnits.filter((au): au is number => Number.isSafeInteger(au) && (au as number) > 0 && (au as number) < 100).slice(0, 20) : [],
    landmarks: value.landmarks === true,
  };
}

function rowKey(value: unknown): string | null {
  return typeof value === 'string' && /^\d{1,9}:\d{1,9}$/.test(value) ? value : null;
}

function nonNegative(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
