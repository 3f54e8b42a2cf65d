// The face geometry in the review panel and the notebook renderer, the pure parts: which documents have it,
// the AU choice, the band's series, the table's values, the landmark key, the landmarks message's validation,
// the saved UI state, and the notebook's AU band, on the export fixture (two people, one failed face).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readOutput } from '../../src/notebook/annotationOutputModel';
import { DEFAULT_ACTION_UNITS } from '../../src/shared/actionUnits';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { ACTION_UNIT_FIELDS } from '../../src/shared/faceGeometry';
import { parseWebviewMessage } from '../../src/shared/reviewProtocol';
import { keyAction, keyLegend } from '../../src/webview/keyboardModel';
import { buildRowTable } from '../../src/webview/labelRowsModel';
import { actionUnitLines, chosenActionUnits, geometryColumns, geometrySamples, poseAxisLimit, poseLines, rowGeometry } from '../../src/webview/geometrySeriesModel';
import { parseUiState, UI_STATE_VERSION } from '../../src/webview/uiStateModel';
import { LABELS, makeDocument } from '../helpers/documentBuilder';
import { exportFixture, GEOMETRY_FAILED, TRACK1_AU12 } from '../helpers/exportFixture';

/** Track 1's AU12 estimates, face by face, where its geometry was measured. */
function trackOneAu12(doc: AnnotationDocument): number[] {
  const at = doc.geometry.layout.actionUnits.indexOf('AU12_estimate');
  return doc.frames.flatMap((f) => f.faces.filter((face) => face.trackId === 1).flatMap((face) => (face.geometry && 'actionUnits' in face.geometry ? [face.geometry.actionUnits[at]!] : [])));
}

const key = (k: string) => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false });

describe('face geometry in the review panel (models)', () => {
  it('finds geometry only in documents that measured it', () => {
    assert.ok(geometryColumns(exportFixture()));
    assert.equal(geometryColumns(makeDocument()), undefined, '--no-geometry (status disabled)');
    const notAnalyzed = exportFixture();
    notAnalyzed.geometry = { ...notAnalyzed.geometry, status: 'not-analysed' };
    assert.equal(geometryColumns(notAnalyzed), undefined);
    const noSection = exportFixture() as unknown as Record<string, unknown>;
    delete noSection.geometry;
    assert.equal(geometryColumns(noSection as never), undefined, 'a document without the section at all');
  });

  it('reads the AUs through the document\'s own layout, whatever its order', () => {
    const doc = exportFixture();
    const reversed = [...ACTION_UNIT_FIELDS].reverse();
    doc.geometry.layout.actionUnits = reversed;
    for (const frame of doc.frames) for (const face of frame.faces) if (face.geometry && 'actionUnits' in face.geometry) face.geometry.actionUnits = [...face.geometry.actionUnits].reverse();
    const columns = geometryColumns(doc)!;
    const table = buildRowTable(doc);
    const row = [...Array(table.count).keys()].find((r) => table.frameIndex[r] === 3 && table.trackId[r] === 1)!;
    assert.deepEqual(rowGeometry(table, row, columns, [12, 6]), { pose: [12.5, -4, 8.3], actionUnits: [TRACK1_AU12[3], 0.64] });
    const failed = [...Array(table.count).keys()].find((r) => table.frameIndex[r] === GEOMETRY_FAILED.frameIndex && table.trackId[r] === GEOMETRY_FAILED.trackId)!;
    assert.equal(rowGeometry(table, failed, columns, [12]), undefined, 'the failed face has none');
  });

  it('keeps a saved AU choice the document has, else the defaults, at most eight', () => {
    const columns = geometryColumns(exportFixture())!;
    assert.deepEqual(chosenActionUnits(undefined, columns), [...DEFAULT_ACTION_UNITS]);
    assert.deepEqual(chosenActionUnits([43, 3, 12], columns), [43, 12], 'AU3 is not estimated');
    assert.equal(chosenActionUnits([1, 2, 4, 5, 6, 7, 9, 10, 11, 12], columns).length, 8);
  });

  it('gives each person AU and pose lines without the failed face', () => {
    const doc = exportFixture();
    const columns = geometryColumns(doc)!;
    const samples = geometrySamples(buildRowTable(doc), columns);
    assert.deepEqual(samples.map((s) => s.trackId), [1, 2]);
    const one = samples[0]!;
    const faces = doc.frames.flatMap((f) => f.faces.filter((face) => face.trackId === 1 && face.geometry && 'actionUnits' in face.geometry).map(() => f.timeSec));
    assert.deepEqual([...one.actionUnits.times], faces);
    const [au12] = actionUnitLines(one, [12], { startSec: 0, endSec: 2 }, 200);
    assert.deepEqual(au12!.filter((p) => !Number.isNaN(p.y)).map((p) => Math.round(p.y * 100) / 100), trackOneAu12(doc));
    const [yaw] = poseLines(samples[1]!, { startSec: 0, endSec: 2 }, 200);
    assert.ok(yaw!.every((p) => Number.isNaN(p.y) || Math.abs(p.y + 20.4) < 1e-4));
    assert.equal(poseAxisLimit(samples), 30, 'at least ±30°');
  });

  it('toggles the landmarks with L, and lists the key only when there is a mesh', () => {
    assert.deepEqual(keyAction(key('l'), 7), { kind: 'toggleLandmarks' });
    assert.deepEqual(keyAction(key('L'), 7), { kind: 'toggleLandmarks' });
    assert.equal(keyAction({ ...key('l'), ctrlKey: true }, 7), undefined);
    assert.ok(keyLegend(LABELS, true, true).some((l) => l.keys === 'L' && /landmarks/.test(l.what)));
    assert.ok(!keyLegend(LABELS, true, false).some((l) => l.keys === 'L'));
    assert.ok(!keyLegend(LABELS, false, true).some((l) => l.keys === 'L'), 'no faces, no landmarks');
  });

  it('accepts a landmarks request only as it is meant', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'requestLandmarks', requestId: 3, frameIndex: 40 }), { type: 'requestLandmarks', requestId: 3, frameIndex: 40 });
    for (const bad of [{ type: 'requestLandmarks', requestId: 3 }, { type: 'requestLandmarks', requestId: 3, frameIndex: -1 }, { type: 'requestLandmarks', requestId: 3, frameIndex: 1.5 }, { type: 'requestLandmarks', requestId: 3, frameIndex: 1, all: true }]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('keeps the AU choice and the overlay in the UI state, and drops what is malformed', () => {
    assert.deepEqual(parseUiState({ version: UI_STATE_VERSION, actionUnits: [12, 6], landmarks: true }).actionUnits, [12, 6]);
    assert.equal(parseUiState({ version: UI_STATE_VERSION, landmarks: true }).landmarks, true);
    assert.deepEqual(parseUiState({ version: UI_STATE_VERSION, actionUnits: [12, '6', -1, 1.5, 1e9] }).actionUnits, [12]);
    assert.deepEqual(parseUiState({ version: UI_STATE_VERSION, actionUnits: 'AU12' }).actionUnits, []);
  });
});

describe('the notebook renderer\'s AU band (model)', () => {
  it('shows the default AUs per person from the document\'s values, without the failed face', () => {
    const result = readOutput(exportFixture());
    assert.ok(result.ok);
    const band = result.view.actionUnits!;
    assert.deepEqual(band.actionUnits, ['AU12', 'AU06', 'AU04', 'AU01', 'AU02', 'AU25']);
    assert.deepEqual(band.tracks.map((t) => t.id), [1, 2]);
    const au12 = band.tracks[0]!.runs.flat().map((s) => s.values[0]);
    assert.deepEqual(au12, trackOneAu12(exportFixture()));
    const au04 = band.tracks[1]!.runs.flat().map((s) => s.values[2]!);
    assert.ok(au04.every((v, i) => i === 0 || v > au04[i - 1]!), 'track 2 frowns more and more');
  });

  it('has no band without geometry, or with a malformed section', () => {
    const disabled = readOutput(makeDocument());
    assert.ok(disabled.ok && disabled.view.actionUnits === undefined);
    const malformed = exportFixture() as unknown as Record<string, unknown>;
    malformed.geometry = { status: 'ok', layout: { actionUnits: 'AU12' } };
    const read = readOutput(malformed);
    assert.ok(read.ok && read.view.actionUnits === undefined);
  });
});
