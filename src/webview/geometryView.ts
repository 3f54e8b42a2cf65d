/**
 * The panel's face geometry, in one place: the band of AUs and head pose under the charts, the landmark overlay
 * on the video and the pose and AU columns of the table. A document without geometry (older versions,
 * `--no-geometry`, an audio recording) shows none of them.
 */
import { ACTION_UNIT_NAMES, auName } from '../shared/actionUnits';
import type { AnnotationDocument } from '../shared/annotationDocument';
import { ESTIMATED_ACTION_UNITS } from '../shared/faceGeometry';
import type { LandmarksAnswer } from '../shared/reviewProtocol';
import type { ChartPanel } from './chartPanel';
import { GeometryBand } from './geometryBand';
import type { GeometryColumns } from './geometrySeriesModel';
import { chosenActionUnits, geometryColumns, geometrySamples, rowGeometry } from './geometrySeriesModel';
import type { LabelTable } from './labelTable';
import type { RowTable } from './labelRowsModel';
import { LandmarkOverlay } from './landmarkOverlay';

export interface GeometryWiring {
  requestLandmarks(frameIndex: number): Promise<LandmarksAnswer>;
  notice(text: string): void;
  /** The reviewer picked other AUs: kept in the UI state. */
  actionUnitsChosen(actionUnits: number[]): void;
}

const POSE_TITLES = ['Head yaw in degrees (> 0: nose to the image\'s right)', 'Head pitch in degrees (> 0: head down)', 'Head roll in degrees (> 0: counter-clockwise)'];

export class GeometryView {
  readonly band: GeometryBand;
  readonly overlay: LandmarkOverlay;
  private columns: GeometryColumns | undefined;
  private rows: RowTable | undefined;

  constructor(chartPanel: ChartPanel, mediaFrame: HTMLElement, private readonly table: LabelTable, private readonly wiring: GeometryWiring) {
    this.band = new GeometryBand(chartPanel, {
      chosenChanged: (actionUnits) => {
        this.showColumns(actionUnits);
        wiring.actionUnitsChosen(actionUnits);
      },
    });
    this.overlay = new LandmarkOverlay(mediaFrame, { request: wiring.requestLandmarks, notice: wiring.notice });
  }

  /** After the charts are shown: the band, the table's columns and the overlay for this document. */
  show(doc: AnnotationDocument, rows: RowTable, saved: { actionUnits: readonly number[]; landmarks: boolean }): void {
    this.rows = rows;
    this.columns = doc.media.kind === 'audio' ? undefined : geometryColumns(doc);
    this.overlay.setDocument(doc, saved.landmarks);
    const columns = this.columns;
    if (!columns) {
      this.band.hide();
      this.table.setGeometry(undefined);
      return;
    }
    const chosen = chosenActionUnits(saved.actionUnits, columns);
    const available = ESTIMATED_ACTION_UNITS.filter((_, i) => columns.au[i]! >= 0);
    this.band.show({ samples: geometrySamples(rows, columns), chosen, available });
    this.showColumns(chosen);
  }

  setTime(timeSec: number): void {
    this.overlay.setTime(timeSec);
  }

  /** L: the overlay on or off; the new state (kept in the UI state). */
  toggleLandmarks(timeSec: number): boolean {
    return this.overlay.toggle(timeSec);
  }

  private showColumns(chosen: readonly number[]): void {
    const columns = this.columns;
    const rows = this.rows;
    if (!columns || !rows) return;
    this.table.setGeometry({
      names: ['Yaw', 'Pitch', 'Roll', ...chosen.map(auName)],
      titles: [...POSE_TITLES, ...chosen.map((au) => `${auName(au)} ${ACTION_UNIT_NAMES[au] ?? ''}, estimated from blendshapes (0–1)`)],
      values: (row) => rowGeometry(rows, row, columns, chosen),
    });
  }
}
