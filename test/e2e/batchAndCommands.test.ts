// Scenarios 7 and 8 of the end-to-end suite: "Analyze all videos in folder" writes one document per video
// and ends with a summary; the command palette analyses the active video; the context menu offers
// "Analyze emotion" on videos and speech recordings only, and a wav and an mp3 analyse from it (scenario 9). No models folder is configured: the VSIX's bundled models do it all.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { STATE_TIMEOUT_MS } from '../helpers/eventually';
import { runFfmpeg, sharedVideos } from '../helpers/mediaFixtures';
import { defaultSettings } from '../../src/core/engine/analysisRequest';
import { GEOMETRY_MODEL_IDS } from '../../src/core/geometry/geometryModels';
import { SHERPA_DEFAULT_ID } from '../../src/core/models/speechModelSelection';
import { mediaFile, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { listTree, waitForFile, Workbench } from '../helpers/vscodeWorkbench';

/** The first seconds of a shared clip, stream-copied: short clips keep the batch quick. */
function cut(source: string, seconds: number, file: string): Promise<void> {
  return runFfmpeg(['-i', source, '-t', String(seconds), '-c', 'copy', file]);
}

describe('folder analysis, command palette and menus in a real VS Code', skipUnless(noModelsReason, noMediaReason), () => {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open({
      name: 'batch-and-commands',
      populate: async (workspace) => {
        const batch = path.join(workspace, 'batch');
        mkdirSync(path.join(batch, 'day 2'), { recursive: true });
        await cut(sharedVideos.obama(), 6, path.join(batch, 'obama.mp4'));
        await cut(sharedVideos.reagan(), 6, path.join(batch, 'day 2', 'reagan.mp4'));
        writeFileSync(path.join(batch, 'notes.txt'), 'Session notes: not a video.\n');
        await cut(sharedVideos.pexels(), 6, path.join(workspace, 'single.mp4'));
        writeFileSync(path.join(workspace, 'readme.txt'), 'Not a video either.\n');
        copyFileSync(mediaFile('speech', 'jfk.wav'), path.join(workspace, 'jfk.wav'));
        await runFfmpeg(['-i', mediaFile('speech', 'jfk.wav'), '-c:a', 'libmp3lame', '-q:a', '4', path.join(workspace, 'interview.mp3')]);
      },
      // No models folder: the VSIX's own bundled default models must do (a fresh install, offline).
      settings: {},
    });
  });
  after(async () => wb?.close());

  it('7. "Analyze all videos in folder": one document per video (sub-folders too), and a summary', async () => {
    const batch = path.join(wb.workspace, 'batch');
    const item = await wb.step('folder-context-menu', () => wb.contextMenuItem('batch', 'Analyze all videos in folder'));
    const summary = wb.notification(/2 analysed/);
    await wb.step('folder-summary', async () => {
      await item.click();
      await summary.waitFor({ timeout: 180_000 });
    });
    const text = (await summary.locator('.notification-list-item-message').innerText()).trim();
    console.log(`e2e: folder summary: "${text}"`);
    assert.doesNotMatch(text, /failed/);
    const documents = listTree(batch).filter((f) => f.endsWith('.emotion.json'));
    assert.deepEqual(documents, [path.join('day 2', 'reagan.mp4.emotion.json'), 'obama.mp4.emotion.json']);
    for (const document of documents) {
      const doc = JSON.parse(readFileSync(path.join(batch, document), 'utf8')) as AnnotationDocument;
      assert.equal(path.resolve(path.dirname(path.join(batch, document)), doc.media.path), path.join(batch, document.replace(/\.emotion\.json$/, '')));
      assert.ok(doc.frames.length >= 25, `${document}: ${doc.frames.length} frames for 6 s at 5 fps`);
      assert.ok(doc.frames.some((f) => f.faces.length > 0), `${document}: no face found`);
      // The VSIX's bundled sherpa-onnx model transcribes out of the box.
      assert.equal(doc.transcript.status, 'ok', `${document}: ${doc.transcript.reason ?? ''}`);
      assert.ok(doc.transcript.words.length >= 5, `${document}: ${doc.transcript.words.length} words in 6 s of speech`);
    }
    assert.ok(!existsSync(path.join(batch, 'notes.txt.emotion.json')));
  });

  it('8. the command palette analyses the active video; the context menu offers "Analyze emotion" on videos only', async () => {
    await wb.step('single-open', async () => {
      await wb.explorerRow('single.mp4').dblclick();
      await wb.tab('single.mp4').waitFor({ timeout: STATE_TIMEOUT_MS });
    });
    const document = path.join(wb.workspace, 'single.mp4.emotion.json');
    await wb.step('palette', async () => {
      await wb.runCommand('Emotion Lens: Analyze emotion');
      await waitForFile(document, 120_000);
      await wb.reviewPanel().locator('.table-spacer .table-row:not([hidden])').first().waitFor({ timeout: 60_000 });
    });
    const doc = JSON.parse(readFileSync(document, 'utf8')) as AnnotationDocument;
    assert.deepEqual(doc.provenance.models.map((m) => m.id), ['face_detection_yunet_2023mar', ...defaultSettings.expressionModels, ...GEOMETRY_MODEL_IDS, SHERPA_DEFAULT_ID, 'silero_vad'], 'the bundled default models');
    const sad = doc.frames.flatMap((f) => f.faces).filter((f) => f.label === 'sad').length;
    assert.ok(sad > doc.frames.length / 2, `the first 6 s of the Pexels clip read sad (${sad} of ${doc.frames.length})`);
    await wb.page.keyboard.press('Escape');

    // The menus have loaded (the item is on a video), and a text file's menu does not have it.
    await wb.contextMenuItem('single.mp4', 'Analyze emotion');
    await wb.page.keyboard.press('Escape');
    const names = await wb.step('text-file-context-menu', () => wb.contextMenuNames('readme.txt'));
    await wb.page.keyboard.press('Escape');
    assert.ok(names.some((n) => /Copy Path/.test(n)), `not the Explorer's context menu: ${names.join(', ')}`);
    assert.ok(!names.includes('Analyze emotion'), `"Analyze emotion" offered on a text file: ${names.join(', ')}`);
    assert.ok(!names.includes('Analyze all videos in folder'), 'the folder command is offered on a file');
  });

  it('9. a wav and an mp3 from the Explorer: analysed without faces, the voice measured with the bundled VAD, reviewed with an audio player', async () => {
    for (const name of ['jfk.wav', 'interview.mp3']) {
      const document = path.join(wb.workspace, `${name}.emotion.json`);
      const item = await wb.step(`${name}-context-menu`, () => wb.contextMenuItem(name, 'Analyze emotion'));
      await wb.step(`${name}-analysed`, async () => {
        await item.click();
        await waitForFile(document, 120_000);
        await wb.reviewPanel().locator('audio').first().waitFor({ state: 'attached', timeout: 60_000 });
      });
      const doc = JSON.parse(readFileSync(document, 'utf8')) as AnnotationDocument;
      assert.equal(doc.media.kind, 'audio', name);
      assert.deepEqual(doc.frames, []);
      assert.equal(doc.voice.status, 'ok', `${name}: ${doc.voice.reason ?? ''}`);
      assert.equal(doc.voice.segmentation, 'silero-vad', 'the bundled VAD model was used');
      assert.equal(doc.voice.segments.length, 4, `${name}: the four phrases of the speech`);
      await wb.page.keyboard.press('Escape');
    }
  });
});
