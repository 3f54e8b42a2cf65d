// Learning from corrections in a real VS Code (code-server) and a real browser: a video analysed by the CLI
// and reviewed by a researcher whose reading differs from the model's (the laughing stretch is "surprised"
// to them), opened in the review editor; "Learn from my corrections" on this document fits in the adaptation
// worker and applies as one edit; A accepts a suggestion; undo takes back the acceptance, then the adaptation;
// redo and save write both, with the annotator setting on the new correction.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { serialiseAnnotationDocument } from '../../src/core/document/annotationFile';
import { cliPath } from '../helpers/cliRunner';
import { STATE_TIMEOUT_MS } from '../helpers/eventually';
import { mediaFile, modelsDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { waitForCount, Workbench } from '../helpers/vscodeWorkbench';

const VIDEO = 'pexels.mp4';
const DOCUMENT = `${VIDEO}.emotion.json`;
const ANNOTATOR = 'e2e researcher';

/** The video analysed by the CLI, with the researcher's corrections of the first 6 s of each stretch. */
function reviewedDocument(workspace: string): AnnotationDocument {
  copyFileSync(mediaFile('video', 'WolfgangLanger_Pexels_face_silent.mp4'), path.join(workspace, VIDEO));
  const run = spawnSync(process.execPath, [cliPath, 'analyze', path.join(workspace, VIDEO), '--models', modelsDir!, '--no-speech', '--no-voice'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  const doc = JSON.parse(readFileSync(path.join(workspace, DOCUMENT), 'utf8')) as AnnotationDocument;
  doc.corrections = doc.frames.flatMap((frame) =>
    frame.faces.flatMap((face) => {
      const label = frame.timeSec < 6 ? 'sad' : frame.timeSec >= 9 && frame.timeSec < 15 ? 'surprised' : undefined;
      return label ? [{ frameIndex: frame.index, timeSec: frame.timeSec, trackId: face.trackId, label, modelLabel: face.label, createdAt: new Date().toISOString(), annotator: 'first reviewer' }] : [];
    }),
  );
  writeFileSync(path.join(workspace, DOCUMENT), serialiseAnnotationDocument(doc));
  return doc;
}

describe('learning from corrections in a real VS Code', skipUnless(noModelsReason, noMediaReason), () => {
  let wb: Workbench;
  let reviewed: AnnotationDocument;

  before(async () => {
    wb = await Workbench.open({
      name: 'learn-from-corrections',
      populate: (workspace) => void (reviewed = reviewedDocument(workspace)),
      settings: { 'emotionLens.modelsFolder': modelsDir, 'emotionLens.annotator': ANNOTATOR },
    });
  });
  after(async () => wb?.close());

  it('learns, suggests, accepts with A, undoes both edits, redoes and saves', async () => {
    const panel = wb.reviewPanel();
    const rows = panel.locator('.table-spacer .table-row:not([hidden])');
    const adapted = panel.locator('.table-spacer .table-row:not([hidden]) .c-source.is-adapted');
    const human = panel.locator('.table-spacer .table-row:not([hidden]) .c-source.is-human');
    const corrected = reviewed.corrections.length;
    await wb.step('opened', async () => {
      await wb.openFromExplorer(DOCUMENT, rows, 'review editor');
      await panel.locator('.c-source.is-human').first().waitFor();
    });
    assert.equal(await adapted.count(), 0, 'no suggestions before learning');

    await wb.step('learnt', async () => {
      await wb.runCommand('Emotion Lens: Learn from my corrections');
      const pick = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'This document' });
      await pick.first().waitFor({ timeout: STATE_TIMEOUT_MS });
      await pick.first().click();
      await wb.notification(new RegExp(`Learnt from ${corrected} corrections \\(1 document\\)`)).waitFor({ timeout: 60_000 });
      // The first rows are the corrected ones; the end of the clip (after 15 s) nobody corrected.
      await rows.first().click();
      await wb.page.keyboard.press('End');
      await adapted.first().waitFor({ timeout: STATE_TIMEOUT_MS });
      await wb.tab(DOCUMENT).and(wb.page.locator('.dirty')).waitFor({ timeout: STATE_TIMEOUT_MS });
    });
    const suggested = await panel.locator('.table-spacer .table-row.adapted-differs').count();
    assert.ok(suggested > 0, 'some uncorrected faces get another label than the model\'s');

    const humanBefore = await human.count();
    await wb.step('accepted', async () => {
      // End selected the last face, one the adaptation relabels (once the panel has the adaptation's rows).
      await waitForCount(panel.locator('.table-spacer .table-row.selected.adapted-differs'), 1);
      await wb.page.keyboard.press('a');
      await waitForCount(human, humanBefore + 1);
    });
    await wb.step('undone', async () => {
      await wb.page.keyboard.press('Control+z');
      await waitForCount(human, humanBefore);
      await wb.page.keyboard.press('Control+z');
      await waitForCount(panel.locator('.table-spacer .table-row.adapted'), 0);
    });
    await wb.step('redone-saved', async () => {
      await wb.page.keyboard.press('Control+Shift+z');
      await panel.locator('.table-spacer .table-row.adapted').first().waitFor({ timeout: STATE_TIMEOUT_MS });
      await wb.page.keyboard.press('Control+Shift+z');
      await waitForCount(human, humanBefore + 1);
      await wb.page.keyboard.press('Control+s');
      await wb.tab(DOCUMENT).and(wb.page.locator('.dirty')).waitFor({ state: 'detached', timeout: STATE_TIMEOUT_MS });
    });

    const saved = JSON.parse(readFileSync(path.join(wb.workspace, DOCUMENT), 'utf8')) as AnnotationDocument;
    assert.ok(saved.adaptation, 'the adaptation was saved');
    assert.equal(saved.adaptation.trainedOn.corrections, corrected);
    assert.equal(saved.corrections.length, corrected + 1);
    const accepted = saved.corrections.filter((c) => c.annotator === ANNOTATOR);
    assert.equal(accepted.length, 1, 'the accepted suggestion is a correction by the annotator the settings name');
    const suggestion = saved.adaptation.suggestions.find((s) => s.frameIndex === accepted[0]!.frameIndex && s.trackId === accepted[0]!.trackId);
    assert.equal(accepted[0]!.label, suggestion?.label, 'with the suggested label');
    assert.notEqual(accepted[0]!.label, accepted[0]!.modelLabel);
    for (const c of reviewed.corrections) assert.ok(saved.corrections.some((s) => s.frameIndex === c.frameIndex && s.label === c.label && s.annotator === 'first reviewer'), 'earlier corrections are unchanged');
    await wb.screenshot('learnt-and-accepted');
  });
});
