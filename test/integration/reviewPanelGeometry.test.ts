// The review panel's face geometry in a real headless Chromium (the built webview under its CSP): the band of
// AU estimates and head pose per person, the pose and AU columns of the table and the landmark overlay on the
// video, on the shared Pexels video analysed by the real CLI (models, ffmpeg, the mesh sidecar). The landmarks
// are the real host module's answers (meshLandmarkFrames.ts reading the sidecar); the page's fake host relays
// them. Documents without geometry (--no-geometry, a version 4 document upgraded) show none of it.
// Screenshots of the three themes go to test-results/review/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { upgradeDocument } from '../../src/core/document/documentUpgrade';
import { MeshLandmarkFrames } from '../../src/extension/editor/meshLandmarkFrames';
import { mediaSourceFor } from '../../src/extension/editor/reviewSnapshot';
import type { AnnotationDocument, FaceRecord } from '../../src/shared/annotationDocument';
import { geometryMeasured } from '../../src/shared/faceGeometry';
import type { LandmarksAnswer, MediaSource } from '../../src/shared/reviewProtocol';
import { mediaDir, modelsDir, noMediaReason, noModelsReason, repoRoot, skipUnless } from '../helpers/testEnvironment';
import type { PanelBrowser } from './reviewPanelHarness';
import { analyzePexelsWithCli, launchPanelBrowser, noBundleReason, noChromiumReason, results, selectedKey, snapshotOf, THEMES, waitInPage } from './reviewPanelHarness';

const DEFAULT_AUS = ['AU12', 'AU06', 'AU04', 'AU01', 'AU02', 'AU25'];

let panels: PanelBrowser | undefined;
let pexels: { doc: AnnotationDocument; docFile: string; media: MediaSource; landmarks: Record<number, LandmarksAnswer> } | undefined;

/** The Pexels video analysed once by the CLI (geometry on by default), and every frame's landmarks as the host answers them. */
async function analyzedPexels(): Promise<NonNullable<typeof pexels>> {
  if (pexels) return pexels;
  const out = path.join(panels!.dir, 'pexels');
  const { doc, docFile, video } = analyzePexelsWithCli(out);
  const media = mediaSourceFor({ mediaPath: doc.media.path, exists: true, webviewUri: pathToFileURL(video).href });
  const reader = new MeshLandmarkFrames(path.join(out, docFile));
  const landmarks: Record<number, LandmarksAnswer> = {};
  for (const frame of doc.frames) if (frame.faces.length > 0) landmarks[frame.index] = await reader.frame(doc, frame.index);
  pexels = { doc, docFile, media, landmarks };
  return pexels;
}

/** What the table should show for a face, computed here from the document through its own layout. */
function expectedCells(doc: AnnotationDocument, face: FaceRecord, aus: readonly string[]): string[] {
  const g = face.geometry;
  assert.ok(geometryMeasured(g), 'the selected face has geometry');
  const layout = doc.geometry.layout;
  const signed = (v: number): string => (v < 0 ? `−${Math.abs(v)}` : String(v));
  const pose = ['yawDeg', 'pitchDeg', 'rollDeg'].map((f) => signed(Math.round(g.pose[layout.pose.indexOf(f)]!)));
  return [...pose, ...aus.map((au) => g.actionUnits[layout.actionUnits.indexOf(`${au}_estimate`)]!.toFixed(2))];
}

const texts = (page: Page, selector: string): Promise<string[]> => page.locator(selector).allInnerTexts();

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(results, { recursive: true });
  const file = path.join(results, name);
  await page.screenshot({ path: file });
  console.log(`geometry panel: screenshot ${path.relative(repoRoot, file)}`);
}

/** Non-transparent overlay pixels inside the face's box (in the video's pixels, widened by a fifth) and outside it. */
async function overlayPixels(page: Page, box: readonly number[], mediaWidth: number): Promise<{ inside: number; outside: number }> {
  return page.evaluate(`(() => {
    const canvas = document.querySelector('canvas.landmark-overlay');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const s = canvas.width / ${mediaWidth};
    const [x, y, w, h] = ${JSON.stringify(box)};
    const x0 = (x - 0.2 * w) * s, x1 = (x + 1.2 * w) * s, y0 = (y - 0.2 * h) * s, y1 = (y + 1.2 * h) * s;
    let inside = 0, outside = 0;
    for (let py = 0; py < canvas.height; py++) for (let px = 0; px < canvas.width; px++) {
      if (data[(py * canvas.width + px) * 4 + 3] === 0) continue;
      if (px >= x0 && px <= x1 && py >= y0 && py <= y1) inside++; else outside++;
    }
    return { inside, outside };
  })()`);
}

describe('review panel: face geometry, in headless Chromium', { concurrency: false }, () => {
  before(async () => {
    if (noChromiumReason || noBundleReason) return;
    panels = await launchPanelBrowser('emotion-lens-panel-geometry-');
  });

  after(async () => {
    await panels?.close();
  });

  it('shows AUs and head pose per person, their values in the table, and the landmarks over the face (three themes, screenshots)', skipUnless(noChromiumReason, noBundleReason, noModelsReason, noMediaReason), async () => {
    const { doc, docFile, media, landmarks } = await analyzedPexels();
    const tracksWithGeometry = doc.tracks.filter((t) => doc.frames.some((f) => f.faces.some((face) => face.trackId === t.id && geometryMeasured(face.geometry))));
    assert.ok(tracksWithGeometry.length > 0, 'the analysis measured geometry');
    const answered = Object.values(landmarks);
    assert.ok(answered.every((a) => !a.error), `the host read the sidecar: ${answered.find((a) => a.error)?.error}`);
    assert.ok(answered.some((a) => a.faces.length > 0 && a.faces.every((f) => f.points.length === 136)), '68 points a face');
    for (const theme of Object.keys(THEMES)) {
      const { page, errors } = await panels!.open(snapshotOf(doc, media, docFile), { theme });
      try {
        await page.evaluate((l) => ((globalThis as unknown as { __host: { landmarks: unknown } }).__host.landmarks = l), landmarks as unknown as Record<string, unknown>);
        await waitInPage(page, "(document.querySelector('video')?.readyState ?? 0) >= 2 || document.querySelector('.media-problem') !== null");
        assert.equal(await page.evaluate("document.querySelector('video') !== null"), true, 'the video plays in Chromium');
        // The band: one per person with geometry, the default AUs, data in every line.
        assert.equal(await page.locator('.geometry-band:not([hidden]) figure.chart-geometry').count(), tracksWithGeometry.length);
        assert.equal(await page.locator('figure.chart-geometry').first().getAttribute('data-action-units'), DEFAULT_AUS.join(' '));
        const drawn = JSON.parse((await page.locator('figure.chart-geometry').first().getAttribute('data-points'))!) as { actionUnits: number[]; pose: number[] };
        assert.equal(drawn.actionUnits.length, DEFAULT_AUS.length);
        assert.ok([...drawn.actionUnits, ...drawn.pose].every((n) => n > 10), `every line has points: ${JSON.stringify(drawn)}`);
        assert.deepEqual(await texts(page, '.table-head .c-geo .geo-value'), ['Yaw', 'Pitch', 'Roll', ...DEFAULT_AUS]);
        // A row in the happy part: its cells carry the document's values.
        await page.locator('.label-table').focus();
        await page.keyboard.press('End');
        for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowUp');
        const [frameIndex, trackId] = (await selectedKey(page))!.split(':').map(Number) as [number, number];
        const frame = doc.frames.find((f) => f.index === frameIndex)!;
        const face = frame.faces.find((f) => f.trackId === trackId)!;
        assert.deepEqual(await texts(page, '.table-row.focused .c-geo .geo-value'), expectedCells(doc, face, DEFAULT_AUS));
        // L: the overlay draws the 68 points of that frame, on the face.
        assert.equal(await page.locator('canvas.landmark-overlay:not([hidden])').count(), 0, 'off until asked');
        await page.keyboard.press('l');
        await waitInPage(page, `document.querySelector('canvas.landmark-overlay:not([hidden])')?.dataset.frame === '${frameIndex}'`);
        const faces = JSON.parse((await page.locator('canvas.landmark-overlay').getAttribute('data-faces'))!) as { trackId: number; points: number; box: number[] }[];
        assert.deepEqual(faces.map((f) => [f.trackId, f.points]), frame.faces.filter((f) => geometryMeasured(f.geometry)).map((f) => [f.trackId, 68]));
        const [bx, by, bw, bh] = face.box;
        const [x0, y0, x1, y1] = faces.find((f) => f.trackId === trackId)!.box;
        assert.ok(x0! > bx - 0.2 * bw && x1! < bx + 1.2 * bw && y0! > by - 0.2 * bh && y1! < by + 1.2 * bh, `landmarks ${faces[0]!.box} within the face box ${face.box}`);
        assert.ok(x1! - x0! > 0.5 * bw, 'the points span the face');
        const pixels = await overlayPixels(page, face.box, doc.media.width);
        console.log(`geometry panel (${theme}): overlay of frame ${frameIndex}: ${pixels.inside} pixels drawn on the face, ${pixels.outside} elsewhere`);
        assert.ok(pixels.inside > 300 && pixels.outside < pixels.inside * 0.02, `drawn on the face: ${JSON.stringify(pixels)}`);
        await page.waitForTimeout(300);
        await screenshot(page, `panel-geometry-${theme}.png`);
        if (theme === 'dark') {
          // Another AU from the picker: band, table and the saved UI state follow.
          await page.locator('details.au-picker summary').click();
          await page.locator('vscode-checkbox[data-au="43"]').click();
          await page.locator('vscode-checkbox[data-au="2"]').click();
          const chosen = ['AU01', 'AU04', 'AU06', 'AU12', 'AU25', 'AU43'];
          assert.equal(await page.locator('figure.chart-geometry').first().getAttribute('data-action-units'), chosen.join(' '));
          assert.deepEqual(await texts(page, '.table-head .c-geo .geo-value'), ['Yaw', 'Pitch', 'Roll', ...chosen]);
          assert.deepEqual(await texts(page, '.table-row.focused .c-geo .geo-value'), expectedCells(doc, face, chosen));
          await waitInPage(page, "JSON.stringify(window.__host.state?.actionUnits) === '[1,4,6,12,25,43]'");
          await screenshot(page, 'panel-geometry-picker-dark.png');
          await page.locator('.label-table').focus();
        }
        await page.keyboard.press('l');
        assert.equal(await page.locator('canvas.landmark-overlay:not([hidden])').count(), 0, 'L turns it off');
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    }
  });

  it('shows no band, no geometry columns and no overlay for documents without geometry, without errors', skipUnless(noChromiumReason, noBundleReason, noModelsReason, noMediaReason), async () => {
    const out = path.join(panels!.dir, 'no-geometry');
    mkdirSync(out, { recursive: true });
    const video = path.join(out, 'pexels.mp4');
    copyFileSync(path.join(mediaDir!, 'video', 'WolfgangLanger_Pexels_face_silent.mp4'), video);
    const cli = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'analyze', video, '--out', out, '--models', modelsDir!, '--no-geometry'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(cli.status, 0, cli.stderr);
    const disabled = JSON.parse(readFileSync(path.join(out, 'pexels.mp4.emotion.json'), 'utf8')) as AnnotationDocument;
    assert.equal(disabled.geometry.status, 'disabled');
    const { doc: analysed } = await analyzedPexels();
    // A version 4 document (before geometry), opened as the editor opens it: upgraded in memory.
    const { geometry: _dropped, ...rest } = analysed;
    const v4 = { ...rest, schemaVersion: 4, frames: analysed.frames.map((f) => ({ ...f, faces: f.faces.map(({ geometry: _g, ...face }) => face) })) };
    const upgraded = upgradeDocument(v4);
    assert.ok(upgraded.ok && upgraded.fromVersion === 4);
    const media = mediaSourceFor({ mediaPath: 'pexels.mp4', exists: true, webviewUri: pathToFileURL(video).href });
    for (const [name, doc] of [['no-geometry', disabled], ['version4', upgraded.value as AnnotationDocument]] as const) {
      const { page, errors } = await panels!.open(snapshotOf(doc, media), { theme: 'dark' });
      try {
        await waitInPage(page, "(document.querySelector('video')?.readyState ?? 0) >= 2 || document.querySelector('.media-problem') !== null");
        assert.equal(await page.locator('figure.chart-track').count(), doc.tracks.length, `${name}: the expression charts`);
        assert.equal(await page.locator('.geometry-band:not([hidden]), figure.chart-geometry').count(), 0, `${name}: no band`);
        assert.equal(await page.locator('.label-table.has-geometry').count(), 0, `${name}: no geometry columns`);
        assert.equal(await page.locator('canvas.landmark-overlay').count(), 0, `${name}: no overlay`);
        assert.ok(!(await texts(page, '.legend dt')).includes('L'), `${name}: no L in the keys`);
        await page.locator('.label-table').focus();
        await page.keyboard.press('l');
        await waitInPage(page, "/No landmarks: this document has no face mesh/.test(document.body.innerText)");
        assert.equal((await page.evaluate('window.__host.posted') as { type: string }[]).filter((m) => m.type === 'requestLandmarks').length, 0);
        await screenshot(page, `panel-geometry-none-${name}-dark.png`);
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    }
  });
});
