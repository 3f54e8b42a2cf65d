// "Compare reviews…" in a real VS Code (code-server) and a real browser: two reviews of one video, selected
// together in the Explorer, compared from the context menu; the panel shows the kappa, a strip per annotator
// with the disagreements marked and the list of differing faces; it survives a window reload, and a click on a
// label opens that review.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { correction, makeDocument, makeFrames } from '../helpers/documentBuilder';
import { eventually, STATE_TIMEOUT_MS } from '../helpers/eventually';
import { skipUnless } from '../helpers/testEnvironment';
import { waitForCount, Workbench } from '../helpers/vscodeWorkbench';

/** Alice and Bob label frames 0-9 of track 1; they differ on frames 3 and 7 (Cohen: [[4, 1], [1, 4]] over happy/sad, kappa 0.6). */
const ALICE = ['happy', 'happy', 'happy', 'happy', 'happy', 'sad', 'sad', 'sad', 'sad', 'sad'];
const BOB = ['happy', 'happy', 'happy', 'sad', 'happy', 'sad', 'sad', 'happy', 'sad', 'sad'];

function review(labels: string[], annotator: string): AnnotationDocument {
  const doc = makeDocument(makeFrames(20, 0.2, [1]));
  doc.corrections = labels.map((label, i) => ({ ...correction(doc.frames[i]!, 1, label), annotator }));
  return doc;
}

describe('compare reviews in a real VS Code', skipUnless(), () => {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open({
      name: 'compare-reviews',
      populate: (workspace) => {
        writeFileSync(path.join(workspace, 'alice.emotion.json'), JSON.stringify(review(ALICE, 'alice')));
        writeFileSync(path.join(workspace, 'bob.emotion.json'), JSON.stringify(review(BOB, 'bob')));
      },
    });
  });
  after(async () => wb?.close());

  it('two documents selected in the Explorer: kappa, strips with the two disagreements, the list; a label opens its review', async () => {
    const selectBoth = async (): Promise<void> => {
      await wb.explorerRow('alice.emotion.json').click();
      // The click selects alice's row and opens her document in a preview tab: Shift+click once both have happened.
      await wb.page.locator('.explorer-folders-view .monaco-list-row.selected[aria-label="alice.emotion.json"]').waitFor({ timeout: STATE_TIMEOUT_MS });
      await wb.tab('alice.emotion.json').waitFor({ timeout: STATE_TIMEOUT_MS });
      // Her preview finishes loading first (the review editor's table, or the text editor before the extension has
      // registered it): an editor still loading as another webview opens can leave that one blank (ENVIRONMENT.md).
      await eventually(async () => {
        const review = await wb.reviewPanel().locator('.label-table').isVisible().catch(() => false);
        assert.ok(review || (await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().isVisible()), "alice's document is shown");
      });
      // Shift+click: both rows selected (the menu item is for a multi-selection only).
      await wb.explorerRow('bob.emotion.json').click({ modifiers: ['Shift'] });
      await wb.page.locator('.explorer-folders-view .monaco-list-row.selected').nth(1).waitFor({ timeout: STATE_TIMEOUT_MS });
    };
    await wb.step('explorer', async () => {
      await wb.explorerRow('alice.emotion.json').waitFor();
      await selectBoth();
    });
    const item = await wb.step('context-menu', () => wb.contextMenuItem('bob.emotion.json', 'Compare reviews…', { reselect: selectBoth }));
    const panel = wb.reviewPanel();
    await wb.step('compare-panel', async () => {
      await item.click();
      // The panel renders the whole comparison at once.
      await panel.locator('p.overall').waitFor({ timeout: 30_000 });
      await wb.panelPainted();
    });
    assert.equal(await panel.locator('p.overall').getAttribute('data-kappa'), '0.600');
    assert.match(await panel.locator('p.overall').innerText(), /Cohen's kappa: 0\.600 \(observed 0\.800, expected by chance 0\.500\)/);
    assert.deepEqual(await panel.locator('.annotators li button').allInnerTexts(), ['alice', 'bob']);
    // Track 1: the model strip, alice's, bob's, and the two disagreements marked.
    const track = panel.locator('section.track[data-track="1"]');
    assert.equal(await track.locator('.strip.annotator').count(), 2);
    await waitForCount(track.locator('.difference-mark'), 2);
    assert.ok((await track.locator('.strip.annotator').first().locator('.run').count()) >= 2, "alice's strip has her happy and sad runs");
    const rows = panel.locator('.difference-list tr.difference');
    await waitForCount(rows, 2);
    assert.deepEqual((await rows.first().innerText()).split(/\s+/).filter(Boolean), ['0:00.6', '1', 'happy', 'sad', 'neutral']);
    assert.match(await panel.locator('table.confusion').innerText(), /happy\s+0\s+0\s+0\s+4\s+0\s+1\s+0\s+5/);

    // A window reload brings the panel back (its serializer reads the two reviews again).
    await wb.step('reload-window', async () => {
      await wb.runCommand('Developer: Reload Window');
      await wb.page.waitForTimeout(1_000);
      await panel.locator('p.overall').waitFor({ timeout: 60_000 });
    });
    assert.equal(await panel.locator('p.overall').getAttribute('data-kappa'), '0.600');
    await waitForCount(rows, 2);

    await wb.step('open-review', async () => {
      await rows.first().locator('button.open-document').nth(1).click();
      await wb.tab('bob.emotion.json').waitFor({ timeout: 20_000 });
      // The review editor (not the text editor) shows bob's document: its label table.
      await wb.reviewPanel().locator('.label-table').waitFor({ timeout: 30_000 });
      await wb.reviewPanel().locator('.table-spacer .table-row:not([hidden])').first().waitFor({ timeout: 30_000 });
      await wb.panelPainted();
    });
  });
});
