// The panel's label actions on the selected rows: the message asking the host for the edit and the human
// labels shown at once, or why nothing happens.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Adaptation } from '../../src/shared/annotationDocument';
import { acceptSuggestionsEdit, clearLabelsEdit, selectedRows, setLabelEdit } from '../../src/webview/labelEditModel';
import type { RowSelection } from '../../src/webview/labelEditModel';
import { buildRowTable, humanLabels, NO_FILTER, NO_LABEL, visibleRows } from '../../src/webview/labelRowsModel';
import { correction, LABELS, makeDocument, makeFrames } from '../helpers/documentBuilder';

/** One person over 6 samples, a human label on sample 1; rows shown in time order; rows 1..3 selected (anchor 3). */
function selection(options: { adapted?: boolean; selected?: number; anchor?: number } = {}): RowSelection {
  const doc = makeDocument(makeFrames(6, 0.2, [1], () => 'neutral'));
  doc.corrections = [correction(doc.frames[1]!, 1, 'happy')];
  if (options.adapted) {
    const identity = LABELS.map((_, k) => LABELS.map((_, j) => (k === j ? 1 : 0)));
    const adaptation: Adaptation = {
      method: 'recalibration', form: 'bias', createdAt: '2026-11-24T09:00:00.000Z', trainedOn: { corrections: 12, documents: 1 },
      crossValidation: { folds: 5, baseAccuracy: 0.5, adaptedAccuracy: 0.75 }, regularisation: 10, weights: identity, bias: LABELS.map(() => 0),
      suggestions: doc.frames.filter((f) => f.index >= 2).map((f) => ({ frameIndex: f.index, trackId: 1, label: 'sad', confidence: 0.7 })),
    };
    doc.adaptation = adaptation;
  }
  const table = buildRowTable(doc);
  const human = humanLabels(table, doc.corrections);
  return { table, order: visibleRows(table, human, NO_FILTER, 'time', 0.5), human, selected: options.selected ?? 1, anchor: options.anchor ?? 3 };
}

const label = (name: string): number => LABELS.indexOf(name);

describe('the selected rows', () => {
  test('a range between selection and anchor, either way round; none without a selection', () => {
    assert.deepEqual(selectedRows(selection()).rows, [1, 2, 3]);
    assert.deepEqual(selectedRows(selection({ selected: 3, anchor: 1 })).rows, [1, 2, 3]);
    assert.deepEqual(selectedRows(selection({ anchor: -1 })).rows, [1]);
    assert.deepEqual(selectedRows(selection({ selected: -1 })).faces, []);
  });
});

describe('label actions', () => {
  test('setting a label asks for it once for every selected face and shows it at once', () => {
    const edit = setLabelEdit(selection(), label('angry'));
    assert.ok(edit && 'message' in edit);
    assert.deepEqual(edit.message, { type: 'setLabels', label: 'angry', faces: [1, 2, 3].map((frameIndex) => ({ frameIndex, trackId: 1 })) });
    assert.deepEqual([...edit.human], [NO_LABEL, label('angry'), label('angry'), label('angry'), NO_LABEL, NO_LABEL]);
    assert.equal(setLabelEdit(selection(), 99), undefined, 'no such label');
  });

  test('clearing touches only faces with a human label', () => {
    const edit = clearLabelsEdit(selection());
    assert.ok(edit && 'message' in edit);
    assert.deepEqual(edit.message, { type: 'clearLabels', faces: [{ frameIndex: 1, trackId: 1 }] });
    assert.ok(edit.human.every((h) => h === NO_LABEL));
    assert.equal(clearLabelsEdit(selection({ selected: 4, anchor: 5 })), undefined, 'nothing to clear');
  });

  test('accepting suggestions takes the adapted label of faces nobody labelled, and says why when there is none', () => {
    assert.match((acceptSuggestionsEdit(selection()) as { notice: string }).notice, /No suggestions yet/);
    const edit = acceptSuggestionsEdit(selection({ adapted: true }));
    assert.ok(edit && 'message' in edit);
    assert.deepEqual(edit.message, { type: 'acceptSuggestions', faces: [2, 3].map((frameIndex) => ({ frameIndex, trackId: 1 })) });
    assert.deepEqual([...edit.human], [NO_LABEL, label('happy'), label('sad'), label('sad'), NO_LABEL, NO_LABEL]);
    assert.deepEqual(acceptSuggestionsEdit(selection({ adapted: true, selected: 1, anchor: 1 })), { notice: 'This face already has a human label.' });
  });
});
