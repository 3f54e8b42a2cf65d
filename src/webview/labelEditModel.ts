/**
 * What the panel's label actions do to the selected rows: the message that asks the host for the edit, and
 * the human labels to show at once until the host's corrections confirm them (or why nothing happens). Pure
 * (no DOM): unit-tested under Node.
 */
import type { FaceRef, WebviewMessage } from '../shared/reviewProtocol';
import type { RowTable } from './labelRowsModel';
import { facesBetween, NO_LABEL } from './labelRowsModel';

/** The rows as shown and the selection among them (positions in `order`; anchor -1: a single row). */
export interface RowSelection {
  table: RowTable;
  order: Int32Array;
  human: Int16Array;
  selected: number;
  anchor: number;
}

/** An edit to ask for and show, or a note on why the action changes nothing (or undefined: silently nothing). */
export type LabelEdit = { message: WebviewMessage; human: Int16Array } | { notice: string } | undefined;

/** The selected faces and their rows (a range when shift-selected), only those `keep` accepts. */
export function selectedRows(selection: RowSelection, keep: (row: number) => boolean = () => true): { faces: FaceRef[]; rows: number[] } {
  const { table, order, selected, anchor } = selection;
  if (selected < 0) return { faces: [], rows: [] };
  const other = anchor < 0 ? selected : anchor;
  const faces = facesBetween(table, order, selected, other);
  const lo = Math.min(selected, other);
  const kept = faces.map((face, i) => ({ face, row: order[lo + i]! })).filter(({ row }) => keep(row));
  return { faces: kept.map((k) => k.face), rows: kept.map((k) => k.row) };
}

/** The human labels with these rows changed: each to `labelOf(row)`, NO_LABEL clearing it. */
function withLabels(human: Int16Array, rows: readonly number[], labelOf: (row: number) => number): Int16Array {
  const next = human.slice();
  for (const row of rows) next[row] = labelOf(row);
  return next;
}

/** Every selected face gets the label (index into the table's labels): one message, one edit. */
export function setLabelEdit(selection: RowSelection, label: number): LabelEdit {
  const name = selection.table.labels[label];
  const { faces, rows } = selectedRows(selection);
  if (!name || faces.length === 0) return undefined;
  return { message: { type: 'setLabels', faces, label: name }, human: withLabels(selection.human, rows, () => label) };
}

/**
 * The selected faces' suggestions become human labels (the host takes the labels from the document, not from
 * the message). Faces with a human label are left alone.
 */
export function acceptSuggestionsEdit(selection: RowSelection): LabelEdit {
  const { table, human } = selection;
  if (!table.adapted) return { notice: 'No suggestions yet: use "Learn from my corrections" first (the button at the top, or the command palette).' };
  const open = selectedRows(selection, (row) => human[row] === NO_LABEL && table.adaptedLabel[row] !== NO_LABEL);
  if (open.faces.length === 0) {
    const count = selectedRows(selection).rows.length;
    if (count === 0) return undefined;
    return { notice: count === 1 ? 'This face already has a human label.' : 'These faces already have human labels.' };
  }
  return { message: { type: 'acceptSuggestions', faces: open.faces }, human: withLabels(human, open.rows, (row) => table.adaptedLabel[row]!) };
}

/** The selected faces' human labels are removed (the model's or the adapted label shows again). */
export function clearLabelsEdit(selection: RowSelection): LabelEdit {
  const corrected = selectedRows(selection, (row) => selection.human[row] !== NO_LABEL);
  if (corrected.faces.length === 0) return undefined;
  return { message: { type: 'clearLabels', faces: corrected.faces }, human: withLabels(selection.human, corrected.rows, () => NO_LABEL) };
}
