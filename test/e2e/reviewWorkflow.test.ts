// Scenarios 1-4 of the end-to-end suite, in a real VS Code (code-server) and a real browser, on the shared
// Pexels video: analyse from the Explorer's context menu, correct by keyboard (one correction a range), undo,
// redo, save, export from the panel, and reload the window. Each step asserts on the DOM and on files on disk.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AnnotationDocument, Correction } from '../../src/shared/annotationDocument';
import { STATE_TIMEOUT_MS, waitUntil } from '../helpers/eventually';
import { findAll, parseCsv, parseXml } from '../helpers/exportParsers';
import { mediaFile, modelsDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { waitForCount, waitForFile, Workbench } from '../helpers/vscodeWorkbench';

const VIDEO = 'pexels.mp4';

interface FaceRow {
  frameIndex: number;
  timeSec: number;
  trackId: number;
  label: string;
}

function faceRows(doc: AnnotationDocument): FaceRow[] {
  return doc.frames.flatMap((f) => f.faces.map((face) => ({ frameIndex: f.index, timeSec: f.timeSec, trackId: face.trackId, label: face.label })));
}

const readDocument = (file: string): AnnotationDocument => JSON.parse(readFileSync(file, 'utf8')) as AnnotationDocument;
const key = (c: { frameIndex: number; trackId: number }): string => `${c.frameIndex}/${c.trackId}`;

describe('review workflow in a real VS Code', skipUnless(noModelsReason, noMediaReason), () => {
  let wb: Workbench;
  let documentPath: string;
  let analysed: AnnotationDocument;
  /** The corrections the keyboard steps make, by table position: rows 0, 2 and the range 3-5. */
  let expected: Map<string, string>;

  before(async () => {
    wb = await Workbench.open({
      name: 'review-workflow',
      populate: (workspace) => copyFileSync(mediaFile('video', 'WolfgangLanger_Pexels_face_silent.mp4'), path.join(workspace, VIDEO)),
      settings: { 'emotionLens.modelsFolder': modelsDir },
    });
    documentPath = path.join(wb.workspace, `${VIDEO}.emotion.json`);
  });
  after(async () => wb?.close());

  it('1. analyses the video from the context menu: progress, then the review panel with charts, table and transcript', async () => {
    await wb.step('explorer', async () => wb.explorerRow(VIDEO).waitFor());
    const item = await wb.step('context-menu', () => wb.contextMenuItem(VIDEO, 'Analyze emotion'));
    await wb.step('progress', async () => {
      await item.click();
      await wb.notification(/analysing pexels\.mp4/).waitFor({ timeout: 30_000 });
    });
    await waitForFile(documentPath, 180_000);
    analysed = readDocument(documentPath);
    const rows = faceRows(analysed);
    assert.ok(rows.length >= 50, `expected a face in most of the ~98 sampled frames, found ${rows.length}`);
    assert.equal(analysed.tracks.length, 1, 'one person in the Pexels clip');
    assert.deepEqual(analysed.corrections, []);

    const panel = wb.reviewPanel();
    await wb.step('review-panel', async () => {
      await panel.locator('.table-spacer .table-row:not([hidden])').first().waitFor({ timeout: 60_000 });
      await panel.locator('.charts canvas').first().waitFor();
      await wb.panelPainted();
    });
    // The table holds a row per face (plus its header row), the charts one canvas per person at least.
    assert.equal(await panel.locator('.label-table').getAttribute('aria-rowcount'), String(rows.length + 1));
    assert.ok((await panel.locator('.charts canvas').count()) >= 1, 'no chart canvas');
    // No speech in this clip: the transcript section says why instead of listing utterances.
    const transcript = panel.locator('section.transcript');
    const said = (await transcript.innerText()).trim();
    assert.ok(said.length > 0, 'the transcript section is empty');
    if (analysed.transcript.status !== 'ok') assert.ok(await transcript.locator('.transcript-status').isVisible(), `no reason shown for transcript ${analysed.transcript.status}`);
    console.log(`e2e: analysed ${VIDEO}: ${rows.length} face rows, transcript ${analysed.transcript.status}: "${said.split('\n')[0]}"`);
  });

  it('2. three keyboard corrections (one a range), undo, redo and save: the file holds exactly those, as human corrections', async () => {
    assert.ok(analysed, 'scenario 1 did not analyse the video');
    const panel = wb.reviewPanel();
    const visibleRows = panel.locator('.table-spacer .table-row:not([hidden])');
    const human = panel.locator('.table-spacer .table-row:not([hidden]) .c-source.is-human');
    const rows = faceRows(analysed);
    const labels = analysed.labels;
    expected = new Map<string, string>([
      [key(rows[0]!), labels[0]!],
      [key(rows[2]!), labels[1]!],
      ...[3, 4, 5].map((i): [string, string] => [key(rows[i]!), labels[2]!]),
    ]);

    await wb.step('corrected', async () => {
      await visibleRows.first().click();
      await wb.page.keyboard.press('1');
      await wb.page.keyboard.press('ArrowDown');
      await wb.page.keyboard.press('ArrowDown');
      await wb.page.keyboard.press('2');
      await wb.page.keyboard.press('ArrowDown');
      await wb.page.keyboard.press('Shift+ArrowDown');
      await wb.page.keyboard.press('Shift+ArrowDown');
      await wb.page.keyboard.press('3');
      await waitForCount(human, 5);
      await wb.tab(`${VIDEO}.emotion.json`).and(wb.page.locator('.dirty')).waitFor({ timeout: STATE_TIMEOUT_MS });
    });
    await wb.step('undone', async () => {
      await wb.page.keyboard.press('Control+z');
      await waitForCount(human, 2);
    });
    await wb.step('redone', async () => {
      await wb.page.keyboard.press('Control+Shift+z');
      await waitForCount(human, 5);
    });
    await wb.step('saved', async () => {
      await wb.page.keyboard.press('Control+s');
      // The dirty marker goes once the save has written the file (atomically: temp file, then rename).
      await wb.tab(`${VIDEO}.emotion.json`).and(wb.page.locator('.dirty')).waitFor({ state: 'detached', timeout: STATE_TIMEOUT_MS });
    });

    const saved = readDocument(documentPath);
    const found = new Map(saved.corrections.map((c: Correction) => [key(c), c.label]));
    assert.deepEqual([...found].sort(), [...expected].sort(), 'the saved corrections are not exactly the keyboard ones');
    const byKey = new Map(rows.map((r) => [key(r), r]));
    for (const c of saved.corrections) {
      assert.equal(c.modelLabel, byKey.get(key(c))?.label, `correction at ${c.timeSec} s lost the model's label`);
      assert.ok(Number.isFinite(Date.parse(c.createdAt)), `correction at ${c.timeSec} s has no creation time`);
    }
    // Everything else is as analysed: corrections sit beside the model's output, never over it.
    assert.deepEqual(saved.frames, analysed.frames);
  });

  it('3. exports CSV, ELAN and JSON from the panel, holding the corrected labels', async () => {
    assert.ok(expected, 'scenario 2 did not correct anything');
    await wb.step('export-formats', async () => {
      await wb.reviewPanel().locator('vscode-button', { hasText: 'Export…' }).click();
      const quickInput = wb.page.locator('.quick-input-widget');
      await quickInput.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: STATE_TIMEOUT_MS });
      // All formats start picked: untick all, then tick the three this scenario wants.
      await quickInput.locator('.quick-input-check-all').click();
      for (const suffix of ['.frames.csv', '.eaf', '.training.json']) {
        await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: suffix }).click();
      }
    });
    await wb.step('exported', async () => {
      await wb.page.keyboard.press('Enter');
      await wb.notification(/Exported 3 files/).waitFor({ timeout: 30_000 });
    });
    const stem = path.join(wb.workspace, VIDEO);
    for (const other of ['.vtt', '.labelstudio.json']) assert.ok(!existsSync(stem + other), `${other} was written though not picked`);

    const csv = parseCsv(readFileSync(`${stem}.frames.csv`, 'utf8'));
    const header = csv[0]!;
    const col = (name: string): number => header.indexOf(name);
    // `frame` and `face_id` follow OpenFace (video frame from 1, face from 0); our sampled frame and track are kept beside them.
    const humanInCsv = new Map(csv.slice(1).filter((r) => r[col('label_source')] === 'human').map((r) => [`${r[col('sample_index')]}/${r[col('track_id')]}`, r[col('label')]]));
    assert.deepEqual([...humanInCsv].sort(), [...expected].sort(), 'CSV human labels');

    const training = JSON.parse(readFileSync(`${stem}.training.json`, 'utf8')) as { records: { frameIndex: number; trackId: number; label: string; source: string }[] };
    const humanInJson = new Map(training.records.filter((r) => r.source === 'human').map((r) => [key(r), r.label]));
    assert.deepEqual([...humanInJson].sort(), [...expected].sort(), 'training JSON human labels');

    // ELAN: on the person's tier, the annotation covering each corrected sample carries the corrected label.
    const eaf = parseXml(readFileSync(`${stem}.eaf`, 'utf8'));
    const slots = new Map(findAll(eaf, 'TIME_SLOT').map((s) => [s.attributes.TIME_SLOT_ID, Number(s.attributes.TIME_VALUE)]));
    const tier = findAll(eaf, 'TIER').find((t) => t.attributes.TIER_ID === `face ${analysed.tracks[0]!.id}`);
    assert.ok(tier, 'no tier for the face track');
    const spans = findAll(tier, 'ALIGNABLE_ANNOTATION').map((a) => ({
      start: slots.get(a.attributes.TIME_SLOT_REF1 ?? '') ?? NaN,
      end: slots.get(a.attributes.TIME_SLOT_REF2 ?? '') ?? NaN,
      value: findAll(a, 'ANNOTATION_VALUE')[0]?.text,
    }));
    for (const row of faceRows(analysed).filter((r) => expected.has(key(r)))) {
      const ms = Math.round(row.timeSec * 1000);
      const span = spans.find((s) => s.start <= ms && ms < s.end);
      assert.equal(span?.value, expected.get(key(row)), `ELAN label at ${ms} ms`);
    }
  });

  it('4. after a window reload the document reopens in the review panel with its corrections', async () => {
    assert.ok(expected, 'scenario 2 did not correct anything');
    const panel = wb.reviewPanel();
    await wb.step('reloaded', async () => {
      await wb.runCommand('Developer: Reload Window');
      await wb.page.waitForLoadState('domcontentloaded');
      await wb.explorerRow(VIDEO).waitFor({ timeout: 60_000 });
      await panel.locator('.table-spacer .table-row:not([hidden])').first().waitFor({ timeout: 60_000 });
      await waitForCount(panel.locator('.table-spacer .table-row:not([hidden]) .c-source.is-human'), expected.size);
    });
    assert.equal(await wb.tab(`${VIDEO}.emotion.json`).count(), 1, 'the review tab is not open after the reload');
    assert.equal(await wb.tab(`${VIDEO}.emotion.json`).and(wb.page.locator('.dirty')).count(), 0, 'the reopened document is dirty');
    assert.equal(readDocument(documentPath).corrections.length, expected.size);
  });

  it('keeps following the theme: dark and high contrast, live', async () => {
    const body = wb.reviewPanel().locator('body');
    // The chart is a canvas: what it shows is its pixels, which change when it repaints in the theme's colours.
    const chart = wb.reviewPanel().locator('.chart-track canvas').first();
    const pixels = (): Promise<string> => chart.evaluate((canvas) => (canvas as unknown as { toDataURL(): string }).toDataURL());
    for (const [theme, bodyClass, shot] of [['Dark Modern', 'vscode-dark', 'theme-dark'], ['Dark High Contrast', 'vscode-high-contrast', 'theme-high-contrast'], ['Light Modern', 'vscode-light', 'theme-light']] as const) {
      await wb.step(shot, async () => {
        const already = ((await body.getAttribute('class')) ?? '').split(/\s+/).includes(bodyClass);
        const before = await pixels();
        await wb.setColorTheme(theme);
        // VS Code sets the theme kind on the webview's body, then the panel repaints its charts.
        await waitUntil(async () => ((await body.getAttribute('class')) ?? '').split(/\s+/).includes(bodyClass), `the review panel's body never got class ${bodyClass}`);
        if (!already) await waitUntil(async () => (await pixels()) !== before, `the person chart never repainted in ${theme}`);
      });
    }
  });

  it('drops an unsaved correction on "Revert File" and leaves the saved file as it was', async () => {
    assert.ok(expected, 'scenario 2 did not correct anything');
    const savedText = readFileSync(documentPath, 'utf8');
    const panel = wb.reviewPanel();
    const human = panel.locator('.table-spacer .table-row:not([hidden]) .c-source.is-human');
    await wb.step('revert-dirty', async () => {
      await panel.locator('.table-spacer .table-row:not([hidden])').nth(8).click();
      await wb.page.keyboard.press('4');
      await waitForCount(human, expected.size + 1);
    });
    await wb.step('reverted', async () => {
      await wb.runCommand('File: Revert File');
      await wb.tab(`${VIDEO}.emotion.json`).and(wb.page.locator('.dirty')).waitFor({ state: 'detached', timeout: STATE_TIMEOUT_MS });
      await waitForCount(human, expected.size);
    });
    assert.equal(readFileSync(documentPath, 'utf8'), savedText, 'revert changed the file on disk');
  });

  it('shows an invalid document\'s one-line error and never writes it', async () => {
    const invalidPath = path.join(wb.workspace, 'broken.mp4.emotion.json');
    const invalidText = '{"schemaVersion": 1, "notes": "not an annotation document"}';
    writeFileSync(invalidPath, invalidText);
    await wb.step('invalid-document', async () => {
      await wb.explorerRow('broken.mp4.emotion.json').dblclick({ timeout: STATE_TIMEOUT_MS });
      await wb.reviewPanel().getByText(/not a valid Emotion Lens annotation document/).waitFor({ timeout: 20_000 });
    });
    assert.equal(readFileSync(invalidPath, 'utf8'), invalidText, 'the invalid document was changed');
  });
});
