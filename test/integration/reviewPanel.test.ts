// The built review panel (dist/webview.js + dist/webview.css) in a real headless Chromium (playwright-core),
// under the strict CSP the host writes, with a fake acquireVsCodeApi that behaves like the extension: a
// snapshot on `ready`, then the corrections after every edit. Measures an hour of video at 5 fps with two
// people (render, scrolling, a correction by keystroke), and takes light, dark and high-contrast screenshots
// of the panel on the shared Pexels video (analysed here with the CLI) into test-results/review/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { mediaSourceFor } from '../../src/extension/editor/reviewSnapshot';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import type { MediaSource, ReviewSnapshot } from '../../src/shared/reviewProtocol';
import { wheelZoomFactor } from '../../src/webview/chartRangeModel';
import { eventually } from '../helpers/eventually';
import { makeTruncatedMp4, noFfmpegReason, sharedVideos } from '../helpers/mediaFixtures';
import { hourDocument } from '../helpers/reviewDocuments';
import { modelsDir, noMediaReason, noModelsReason, repoRoot, skipUnless } from '../helpers/testEnvironment';
import type { PanelBrowser, PanelOptions } from './reviewPanelHarness';
import { analyzePexelsWithCli, framePainted, launchPanelBrowser, noBundleReason, noChromiumReason, posted, results, selectedKey, SHOWN_BUT_NOT_LOADED, snapshotOf, THEMES, waitInPage } from './reviewPanelHarness';

/** Fresh pages the first-paint figure is averaged over. */
const FIRST_PAINT_RUNS = 5;
/**
 * Sanity bound on rendering the hour (goal 1 s, printed met or not; speed is the benchmark's): 2.3 s were seen
 * at load 9 on two cores, so only a pathological regression reaches this, never a loaded machine.
 */
const RENDER_SANITY_MS = 15_000;
/** Sanity bound on a scrolling frame's p95 (31 to 76 ms were seen at load 9 on two cores). */
const FRAME_SANITY_MS = 500;
/** labelTable.ts's ROW_HEIGHT (that module needs the DOM types, so it is not imported here). */
const ROW_HEIGHT = 34;
/** In-page expression: the table rows inside the table's viewport. */
const visibleRows = `[...document.querySelectorAll('.table-spacer .table-row:not([hidden])')].filter((r) => {
  const body = document.querySelector('.table-body').getBoundingClientRect();
  const box = r.getBoundingClientRect();
  return box.bottom > body.top && box.top < body.bottom;
})`;

let panels: PanelBrowser | undefined;
const openPanel = (snapshot: ReviewSnapshot, options?: PanelOptions): Promise<{ page: Page; errors: string[]; renderMs: number }> => panels!.open(snapshot, options);

let pexels: { doc: AnnotationDocument; docFile: string; media: MediaSource } | undefined;

/** The shared Pexels video analysed once with the real CLI (models, ffmpeg) into the work folder. */
function analyzedPexels(): { doc: AnnotationDocument; docFile: string; media: MediaSource } {
  if (pexels) return pexels;
  const { doc, docFile, video } = analyzePexelsWithCli(path.join(panels!.dir, 'pexels'));
  const media = mediaSourceFor({ mediaPath: doc.media.path, exists: true, webviewUri: pathToFileURL(video).href });
  pexels = { doc, docFile, media };
  return pexels;
}

describe('review panel in headless Chromium', { concurrency: false }, () => {
  before(async () => {
    if (noChromiumReason || noBundleReason) return;
    panels = await launchPanelBrowser('emotion-lens-panel-');
  });

  after(async () => {
    await panels?.close();
  });

  it('paints the first screen of an hour at 5 fps with two people within about a second (several fresh pages)', skipUnless(noChromiumReason, noBundleReason), async () => {
    const doc = hourDocument();
    const snapshot = snapshotOf(doc, mediaSourceFor({ mediaPath: doc.media.path, exists: false }));
    const times: number[] = [];
    for (let run = 0; run < FIRST_PAINT_RUNS; run++) {
      const { page, errors, renderMs } = await openPanel(snapshot);
      try {
        // What the first frame must already show: rows, both people's charts and the sentiment chart with data.
        assert.ok(await page.locator('.table-spacer .table-row:not([hidden])').count() > 10, 'table rows');
        assert.equal(await page.locator('canvas').count(), 3);
        assert.deepEqual(errors, []);
        times.push(renderMs);
      } finally {
        await page.close();
      }
    }
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const max = Math.max(...times);
    console.log(`panel: first paint of ${doc.frames.length.toLocaleString('en')} frames / two people over ${times.length} fresh pages: mean ${mean.toFixed(0)} ms, max ${max.toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')}); goal <= 1000 ms ${max <= 1000 ? 'met' : 'NOT met'}`);
    assert.ok(max < RENDER_SANITY_MS, `first paint took up to ${max} ms (sanity bound; the goal is <= 1000)`);
  });

  it('renders an hour at 5 fps with two people fast, scrolls smoothly, and corrects by keystroke', skipUnless(noChromiumReason, noBundleReason), async () => {
    const doc = hourDocument();
    const faceCount = doc.frames.reduce((n, f) => n + f.faces.length, 0);
    const { page, errors, renderMs } = await openPanel(snapshotOf(doc, mediaSourceFor({ mediaPath: doc.media.path, exists: false })));
    try {
      const domRows = await page.locator('.table-spacer .table-row:not([hidden])').count();
      console.log(`panel: snapshot of ${doc.frames.length} frames / ${faceCount} faces rendered in ${renderMs.toFixed(0)} ms; ${domRows} table rows in the DOM`);
      assert.ok(renderMs < RENDER_SANITY_MS, `render took ${renderMs} ms (sanity bound; the goal is <= 1000)`);
      assert.ok(domRows > 10 && domRows < 120, `only the visible rows exist in the DOM (${domRows})`);
      assert.equal(await page.locator('canvas').count(), 3, 'two track charts and the sentiment chart');
      assert.match(await page.locator('.row-count').innerText(), /35,500 of 35,500 faces/);

      // Scrolling: move the table every animation frame and record the frame times.
      const scroll: { mean: number; p95: number; max: number; shown: number; top: number } = await page.evaluate(`(async () => {
        const body = document.querySelector('.table-body');
        const frames = [];
        let last = performance.now();
        for (let i = 0; i < 180; i++) {
          body.scrollTop += i < 90 ? 700 : -350;
          await new Promise((r) => requestAnimationFrame(r));
          const now = performance.now();
          frames.push(now - last);
          last = now;
        }
        frames.sort((a, b) => a - b);
        const shown = document.querySelectorAll('.table-spacer .table-row:not([hidden])').length;
        return { mean: frames.reduce((a, b) => a + b, 0) / frames.length, p95: frames[Math.floor(frames.length * 0.95)], max: frames.at(-1), shown, top: body.scrollTop };
      })()`);
      console.log(`panel: scrolling 180 frames: mean ${scroll.mean.toFixed(1)} ms, p95 ${scroll.p95.toFixed(1)} ms, max ${scroll.max.toFixed(1)} ms per frame (${scroll.shown} rows in the DOM)`);
      assert.ok(scroll.top > 20_000, 'the table scrolled far');
      assert.ok(scroll.p95 < FRAME_SANITY_MS, `p95 frame ${scroll.p95} ms (sanity bound)`);
      // Two faces per frame, ROW_HEIGHT (labelTable.ts) px per row: the rows in the DOM are those around the scroll position.
      const frameAtTop = scroll.top / ROW_HEIGHT / 2;
      const keyAfterScroll: string[] = await page.evaluate("[...document.querySelectorAll('.table-spacer .table-row:not([hidden])')].map((r) => r.dataset.key)");
      assert.ok(keyAfterScroll.every((k) => k && Math.abs(Number(k.split(':')[0]) - frameAtTop) < 40), `the rows in the DOM are the ones scrolled to (${frameAtTop}: ${keyAfterScroll.join(' ')})`);

      // A correction by keystroke: select a row, press 3 (= fearful), time until the row shows it.
      await page.locator('.label-table').focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      assert.equal(await selectedKey(page), '0:2');
      // In-page code as a string: tsx would wrap named functions with a helper the page does not have.
      const latency = (await page.evaluate(`new Promise((resolve) => {
        const row = document.querySelector('.table-row.focused');
        const choice = row.querySelector('.label-choice');
        const host = window.__host;
        const sentBefore = host.posted.length;
        let shownMs = -1;
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          if (shownMs < 0 && choice.textContent === 'fearful') shownMs = performance.now() - t0;
        });
        observer.observe(row, { subtree: true, characterData: true, childList: true });
        // The host's corrections message is the confirmation: wait until it has been applied.
        const onMessage = (e) => {
          if (e.data.type !== 'corrections') return;
          window.removeEventListener('message', onMessage);
          setTimeout(() => { observer.disconnect(); resolve({ shownMs, confirmedMs: performance.now() - t0 }); }, 0);
        };
        window.addEventListener('message', onMessage);
        document.querySelector('.label-table').dispatchEvent(new KeyboardEvent('keydown', { key: '3', bubbles: true, cancelable: true }));
        if (host.posted.length === sentBefore) resolve({ shownMs: -1, confirmedMs: -1 });
      })`)) as { shownMs: number; confirmedMs: number };
      console.log(`panel: correction by keystroke shown in ${latency.shownMs.toFixed(1)} ms, host's corrections applied after ${latency.confirmedMs.toFixed(1)} ms`);
      // Sanity bound: about 10 ms at load 9 on two cores.
      assert.ok(latency.shownMs >= 0 && latency.shownMs < 500, `shown after ${latency.shownMs} ms (sanity bound; the goal is < 50)`);
      assert.deepEqual((await posted(page)).filter((m) => m.type === 'setLabels'), [{ type: 'setLabels', faces: [{ frameIndex: 0, trackId: 2 }], label: 'fearful' }]);
      assert.match(await page.locator('.table-row.focused .c-source').innerText(), /human/);
      assert.match(await page.locator('.track-card').nth(1).innerText(), /1 \/ 17,500 reviewed/);

      // A range: shift+down three times and one key: one message, four faces.
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('5');
      await eventually(async () => {
        const ranges = (await posted(page)).filter((m) => m.type === 'setLabels');
        assert.equal(ranges.length, 2, 'one message for the range');
        assert.deepEqual(ranges[1], { type: 'setLabels', label: 'neutral', faces: [{ frameIndex: 0, trackId: 2 }, { frameIndex: 1, trackId: 1 }, { frameIndex: 1, trackId: 2 }, { frameIndex: 2, trackId: 1 }] });
        assert.equal(await page.locator('.table-row.selected').count(), 4);
      });
      // Clearing the same range is one message too; Ctrl+Z is left alone for VS Code.
      await page.keyboard.press('Backspace');
      await eventually(async () => assert.equal((await posted(page)).filter((m) => m.type === 'clearLabels').length, 1));
      const undo = await page.evaluate(`(() => {
        const event = new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true });
        document.querySelector('.label-table').dispatchEvent(event);
        return event.defaultPrevented;
      })()`);
      assert.equal(undo, false, 'Ctrl+Z is not taken by the panel (VS Code gets it)');

      // Mouse: the row's label opens the one real dropdown; ArrowDown + Enter picks the next label.
      await page.keyboard.press('ArrowDown');
      const before = (await posted(page)).length;
      const rowKey = await selectedKey(page);
      const current = await page.locator('.table-row.focused .label-choice').innerText();
      await page.locator('.table-row.focused .label-choice').click();
      const select = page.locator('.table-row.focused vscode-single-select');
      await select.waitFor();
      assert.equal(await page.locator('vscode-single-select').count(), 3 + 1, 'the three filters and the one open row dropdown');
      // The dropdown opens itself once its element has rendered (labelTable.ts): keys go to it from then on.
      await waitInPage(page, "document.querySelector('.table-row.focused vscode-single-select')?.open === true");
      const labels = doc.labels;
      const at = labels.indexOf(current);
      await select.press(at < labels.length - 1 ? 'ArrowDown' : 'ArrowUp');
      await select.press('Enter');
      await eventually(async () => {
        const chosen = (await posted(page)).slice(before).filter((m) => m.type === 'setLabels');
        assert.deepEqual(chosen, [{ type: 'setLabels', faces: [{ frameIndex: Number(rowKey!.split(':')[0]), trackId: Number(rowKey!.split(':')[1]) }], label: labels[at < labels.length - 1 ? at + 1 : at - 1] }]);
        assert.equal(await page.locator('.table-row vscode-single-select').count(), 0, 'the dropdown closed again');
      });

      // Next low-confidence face without a human label, next disagreement.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('n');
      const low = await page.locator('.table-row.focused .c-conf').innerText();
      assert.ok(Number(low.replace('%', '')) < 50, `n went to a low-confidence row (${low})`);
      await page.keyboard.press('d');
      assert.match(await page.locator('.table-row.focused .c-flags').innerText(), /face vs words/);

      // Zoomed in to five minutes around the selection: a screenshot of the hour (two people, sentiment, transcript).
      for (let i = 0; i < 3; i++) await page.keyboard.press('+');
      await eventually(async () => assert.match(await page.locator('.zoom-text').innerText(), /5:00 shown/));
      await framePainted(page);
      mkdirSync(results, { recursive: true });
      await page.screenshot({ path: path.join(results, 'panel-hour-dark.png') });

      // Filters: person 2, least confident first.
      await page.evaluate(`(() => {
        const selects = document.querySelectorAll('.filter-bar vscode-single-select');
        selects[0].value = '2';
        selects[0].dispatchEvent(new Event('change'));
        selects[2].value = 'confidence';
        selects[2].dispatchEvent(new Event('change'));
      })()`);
      assert.match(await page.locator('.row-count').innerText(), /17,500 of 35,500 faces/);
      const rowsShown = (): Promise<[string, number][]> => page.evaluate(`[...document.querySelectorAll('.table-spacer .table-row:not([hidden])')]
        .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
        .map((r) => [r.dataset.key, Number(r.querySelector('.c-conf').textContent.replace('%', ''))])`);
      const around = await rowsShown();
      assert.ok(around.every(([key], i) => key.endsWith(':2') && (i === 0 || around[i - 1]![1] <= around[i]![1])), JSON.stringify(around));

      // UI state is saved (versioned, a little after each change) and restores the filters, selection and scroll in a fresh page.
      const state = await eventually(async () => {
        const saved: Record<string, unknown> = await page.evaluate('window.__host.state');
        assert.equal(saved.version, 3, 'UI state version 3 (the AU choice and the landmark overlay)');
        assert.deepEqual(saved.filter, { trackId: 2, label: null, lowConfidenceOnly: false, disagreementOnly: false });
        assert.equal(saved.sort, 'confidence');
        return saved;
      });
      const restored = await openPanel(snapshotOf(doc, mediaSourceFor({ mediaPath: doc.media.path, exists: false })), { state });
      try {
        assert.match(await restored.page.locator('.row-count').innerText(), /17,500 of 35,500 faces/);
        assert.equal(await selectedKey(restored.page), state.selectedKey);
        assert.deepEqual(restored.errors, []);
      } finally {
        await restored.page.close();
      }
      // Least confident first: the top of the queue is the least confident face of person 2.
      await page.evaluate("document.querySelector('.table-body').scrollTop = 0");
      // The table renders on the next animation frame, however long that takes on a loaded machine.
      await waitInPage(page, "Math.min(...[...document.querySelectorAll('.table-spacer .table-row:not([hidden])')].map((r) => Number(r.getAttribute('aria-rowindex')))) <= 2");
      const top = await rowsShown();
      assert.ok(top.slice(0, 5).every(([key, conf]) => key.endsWith(':2') && conf === 30), JSON.stringify(top.slice(0, 5)));
      const violations: string[] = await page.evaluate('window.__host.violations');
      assert.deepEqual(violations, [], 'no CSP violations');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it('plays the timeline with Space when there is no video, zooms charts with Ctrl+wheel and pans with Shift+drag', skipUnless(noChromiumReason, noBundleReason), async () => {
    const doc = hourDocument(3000); // ten minutes
    const { page, errors } = await openPanel(snapshotOf(doc, mediaSourceFor({ mediaPath: doc.media.path, exists: false })));
    try {
      // Space, with no video at all: the panel's clock plays; the button and the announcement follow it.
      await page.locator('.label-table').focus();
      await page.keyboard.press('Home');
      assert.equal(await selectedKey(page), '0:1');
      const button = page.locator('.clock-play');
      assert.equal(await button.getAttribute('aria-label'), 'Play (Space)');
      // The page's own clock before Space and after the second Space: no more than that can have played.
      const wallStartMs: number = await page.evaluate('performance.now()');
      await page.keyboard.press(' ');
      assert.equal(await button.getAttribute('aria-label'), 'Pause (Space)');
      assert.match(await page.locator('.media .visually-hidden[role="status"]').innerText(), /^Playing from 0:00/);
      // Part of what is measured: about 1.2 s of playing. A loaded machine stretches it (and drops frames), so the
      // bounds below are against the wall time the page saw, not against 1.2 s.
      await page.waitForTimeout(1200);
      await page.keyboard.press(' ');
      const wallSec = ((await page.evaluate('performance.now()')) as number - wallStartMs) / 1000;
      assert.equal(await button.getAttribute('aria-label'), 'Play (Space)');
      const timeText = await page.locator('.clock-time').innerText();
      const clock = /^(\d+:\d\d\.\d\d) \/ 10:00\.00$/.exec(timeText);
      assert.ok(clock, `clock readout ${timeText}`);
      const [minutes, seconds] = clock[1]!.split(':');
      const clockSec = Number(minutes) * 60 + Number(seconds);
      assert.equal(await page.locator('.media .visually-hidden[role="status"]').innerText(), `Paused at ${clock[1]}`);
      // The clock keeps real time (it drops frames, never time): about 1.2 s, never more than the wall time; the
      // selected row followed the playhead (rows every 0.2 s; the readout is rounded to 0.01 s).
      const frameAfter = Number((await selectedKey(page))!.split(':')[0]);
      const playedSec = frameAfter * 0.2;
      console.log(`clock: Space played ${clockSec.toFixed(2)} s of timeline in ${wallSec.toFixed(2)} s of wall time (1.2 s asked); row ${await selectedKey(page)} selected`);
      assert.ok(playedSec >= 0.8, `played ${playedSec} s`);
      assert.ok(clockSec <= wallSec + 0.01, `the clock ran ahead of real time: ${clockSec} s in ${wallSec} s`);
      assert.ok(playedSec <= clockSec + 0.01 && playedSec > clockSec - 0.21, `row at ${playedSec} s, clock at ${clockSec} s`);
      // Part of what is measured: nothing moves for a while once paused.
      await page.waitForTimeout(500);
      assert.equal(await selectedKey(page), `${frameAfter}:${(await selectedKey(page))!.split(':')[1]}`, 'paused: the row stays');
      // The play button is a real control: keyboard-reachable, and Space on it toggles like the key anywhere else.
      await button.focus();
      await page.keyboard.press(' ');
      assert.equal(await button.getAttribute('aria-label'), 'Pause (Space)');
      await page.keyboard.press(' ');
      assert.equal(await button.getAttribute('aria-label'), 'Play (Space)');
      mkdirSync(results, { recursive: true });
      await page.screenshot({ path: path.join(results, 'panel-clock-dark.png') });

      // Ctrl+wheel over the first chart zooms around the pointer; a plain wheel leaves the zoom alone.
      const canvas = page.locator('canvas').first();
      const box = (await canvas.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
      await page.mouse.wheel(0, -200);
      // A zoom lands on the next animation frame: once that frame is painted, a plain wheel has shown it zooms nothing.
      await framePainted(page);
      assert.match(await page.locator('.zoom-text').innerText(), /whole video/);
      await page.keyboard.down('Control');
      for (let i = 0; i < 4; i++) {
        await page.mouse.wheel(0, -300);
        // Each notch lands on its own frame, as a user's would.
        await framePainted(page);
      }
      await page.keyboard.up('Control');
      // Four notches of 300 px zoom the ten minutes in by four times the wheel's factor (chartRangeModel.ts); the
      // UI state is saved a little after the last one.
      const fourNotchesSec = 600 * wheelZoomFactor(-300, 0) ** 4;
      const zoomed = await eventually(async () => {
        const saved: { zoomSec: number; viewStartSec: number | null } = await page.evaluate('window.__host.state');
        assert.ok(Math.abs(saved.zoomSec - fourNotchesSec) < 1e-6, `saved zoom ${saved.zoomSec} s, four notches make ${fourNotchesSec} s`);
        return saved;
      });
      const span = zoomed.zoomSec;
      assert.ok(span > 10 && span < 300, `zoomed in to ${span} s`);
      // The pointer sat at 3/4 of the canvas (a little less of the plot, which starts after the y axis). Zooming keeps
      // the time T under it at the same fraction of the axis: T / 600 = (T - start) / span, so T = start / (1 - span / 600).
      assert.ok(zoomed.viewStartSec !== null);
      const pointerSec = zoomed.viewStartSec / (1 - span / 600);
      assert.ok(pointerSec > 400 && pointerSec < 460, `the time under the pointer stayed put (${pointerSec.toFixed(1)} s)`);
      console.log(`chart zoom: Ctrl+wheel at ${pointerSec.toFixed(1)} s shows ${span.toFixed(1)} s from ${zoomed.viewStartSec.toFixed(1)} s`);

      // Shift+drag pans by the dragged distance, span unchanged; then a plain click still seeks.
      await page.keyboard.down('Shift');
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
      await framePainted(page);
      // The pan is saved a little after it lands.
      const panned = await eventually(async () => {
        const saved: { zoomSec: number; viewStartSec: number } = await page.evaluate('window.__host.state');
        assert.ok(Math.abs(saved.zoomSec - span) < 1e-6, 'panning keeps the span');
        assert.ok(saved.viewStartSec > zoomed.viewStartSec! + span * 0.2, `dragged left: later times (${zoomed.viewStartSec} -> ${saved.viewStartSec})`);
        return saved;
      });
      assert.equal(await selectedKey(page), `${frameAfter}:${(await selectedKey(page))!.split(':')[1]}`, 'a Shift+drag does not seek');
      await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2);
      await eventually(async () => {
        const clickedFrame = Number((await selectedKey(page))!.split(':')[0]);
        assert.ok(clickedFrame * 0.2 >= panned.viewStartSec && clickedFrame * 0.2 <= panned.viewStartSec + panned.zoomSec, `a click seeks inside the panned view (${clickedFrame * 0.2} s)`);
      });
      // The keys' zoom continues from the mouse's span (to the next step out).
      const zoomTextBefore = await page.locator('.zoom-text').innerText();
      await page.keyboard.press('-');
      await eventually(async () => {
        const zoomText = await page.locator('.zoom-text').innerText();
        assert.notEqual(zoomText, zoomTextBefore, 'the key zoomed');
        assert.match(zoomText, /shown|whole video/);
      });
      await framePainted(page);
      await page.screenshot({ path: path.join(results, 'panel-zoomed-dark.png') });
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
    // The clock's controls in the other themes, the play button focused (its focus ring must show).
    for (const theme of ['light', 'high-contrast']) {
      const themed = await openPanel(snapshotOf(doc, mediaSourceFor({ mediaPath: doc.media.path, exists: false })), { theme });
      try {
        await themed.page.locator('.clock-play').focus();
        await themed.page.keyboard.press(' ');
        // Shown playing: the clock has moved on from the start.
        await waitInPage(themed.page, "document.querySelector('.clock-play').getAttribute('aria-label') === 'Pause (Space)' && !document.querySelector('.clock-time').textContent.startsWith('0:00.0')");
        await themed.page.screenshot({ path: path.join(results, `panel-clock-${theme}.png`), clip: { x: 0, y: 0, width: 700, height: 420 } });
        assert.deepEqual(themed.errors, []);
      } finally {
        await themed.page.close();
      }
    }
  });

  it('shows the Pexels video with charts and table in light, dark and high-contrast themes (screenshots)', skipUnless(noChromiumReason, noBundleReason, noModelsReason, noMediaReason), async () => {
    const { doc, docFile, media } = analyzedPexels();
    mkdirSync(results, { recursive: true });
    for (const theme of Object.keys(THEMES)) {
      const { page, errors, renderMs } = await openPanel(snapshotOf(doc, media, docFile), { theme });
      try {
        // Let the video load its first frame, then seek into the happy part and correct the selected face.
        await waitInPage(page, "(document.querySelector('video')?.readyState ?? 0) >= 2 || document.querySelector('.media-problem') !== null");
        const playable: boolean = await page.evaluate("document.querySelector('video') !== null");
        await page.locator('.label-table').focus();
        await page.keyboard.press('End');
        // Rows just brought into view: an image not yet decoded is hidden over its placeholder, never broken.
        assert.deepEqual(await page.evaluate(SHOWN_BUT_NOT_LOADED), [], 'no visible thumbnail without a decoded image');
        for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowUp');
        await page.keyboard.press('6');
        await page.keyboard.press('ArrowDown');
        // The selection seeks the video: the screenshot waits for its frame at the new time, and the charts' redraw.
        await waitInPage(page, "(() => { const v = document.querySelector('video'); return !v || (!v.seeking && v.readyState >= 2); })()");
        await framePainted(page);
        const file = path.join(results, `panel-${theme}.png`);
        await page.screenshot({ path: file });
        assert.deepEqual(await page.evaluate(SHOWN_BUT_NOT_LOADED), []);
        console.log(`panel (${theme}): ${doc.frames.length} frames rendered in ${renderMs.toFixed(0)} ms; video ${playable ? 'plays' : 'cannot play: fallback shown'}; screenshot ${path.relative(repoRoot, file)}`);
        assert.equal((await posted(page)).filter((m) => m.type === 'setLabels').length, 1);
        // The expression charts and the speech chart (the geometry band and the overlay have tests of their own).
        assert.equal(await page.locator('figure.chart-track canvas, figure.chart-speech canvas').count(), doc.tracks.length + (doc.transcript.utterances.length > 0 ? 1 : 0));
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    }
  });
  it('shows a truncated file\'s warnings and how far it was analysed (screenshot)', skipUnless(noChromiumReason, noBundleReason, noModelsReason, noMediaReason, noFfmpegReason), async () => {
    const out = path.join(panels!.dir, 'truncated');
    mkdirSync(out, { recursive: true });
    const video = await makeTruncatedMp4(out, 'moov-first', { from: sharedVideos.reagan(), fraction: 1 / 3, name: 'reagan.mp4' });
    const cli = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'analyze', video, '--models', modelsDir!, '--no-speech'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(cli.status, 0, cli.stderr);
    const doc = JSON.parse(readFileSync(`${video}.emotion.json`, 'utf8')) as AnnotationDocument;
    const media = mediaSourceFor({ mediaPath: doc.media.path, exists: true, webviewUri: pathToFileURL(video).href });
    const { page, errors } = await openPanel(snapshotOf(doc, media, 'reagan.mp4.emotion.json'), { theme: 'dark' });
    try {
      const shown: string[] = await page.evaluate("[...document.querySelectorAll('.doc-warnings li')].map((li) => li.textContent)");
      const meta: string = await page.evaluate("document.querySelector('.meta').textContent");
      mkdirSync(results, { recursive: true });
      await page.screenshot({ path: path.join(results, 'panel-truncated.png') });
      console.log(`truncated: warnings shown ${JSON.stringify(shown)}; meta "${meta}"`);
      assert.equal(shown.length, doc.warnings.length);
      assert.ok(shown.some((w) => /video ends at \d+\.\d s of 26\.1 s: the file looks truncated/.test(w)), JSON.stringify(shown));
      assert.match(meta, /analysed to \d+\.\d s only/);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it('shows face thumbnails for the visible rows of the Pexels video, without slowing scrolling (screenshot)', skipUnless(noChromiumReason, noBundleReason, noModelsReason, noMediaReason), async () => {
    const { doc, docFile, media } = analyzedPexels();
    const { page, errors } = await openPanel(snapshotOf(doc, media, docFile), { theme: 'dark' });
    try {
      const thumbsReady = `${visibleRows}.every((r) => { const img = r.querySelector('img.face-thumb'); return img.complete && img.naturalWidth > 0 && /^(data|blob):/.test(img.src); })`;
      const t0 = Date.now();
      await waitInPage(page, thumbsReady, 30_000);
      const firstMs = Date.now() - t0;
      const shown: { count: number; sizes: [number, number][]; srcs: string[] } = await page.evaluate(`(() => {
        const rows = ${visibleRows};
        const imgs = rows.map((r) => r.querySelector('img.face-thumb'));
        return { count: rows.length, sizes: imgs.map((i) => [i.naturalWidth, i.naturalHeight]), srcs: imgs.map((i) => i.src.slice(0, 22)) };
      })()`);
      const hostStills = (await posted(page)).filter((m) => m.type === 'requestFrame').length;
      console.log(`thumbnails: ${shown.count} visible rows of ${doc.frames.length} frames got thumbnails in ${firstMs} ms (${hostStills} host still requests; sizes ${JSON.stringify(shown.sizes[0])}, ${shown.srcs[0]}…)`);
      assert.ok(shown.count >= 5, `rows visible (${shown.count})`);
      assert.ok(shown.sizes.every(([w, h]) => w > 0 && w === h), JSON.stringify(shown.sizes));
      // Faces of the same track at different times are different crops: not one image repeated.
      const srcs: string[] = await page.evaluate(`${visibleRows}.map((r) => r.querySelector('img.face-thumb').src)`);
      assert.ok(new Set(srcs).size > 1, 'distinct thumbnails');
      mkdirSync(results, { recursive: true });
      await page.screenshot({ path: path.join(results, 'panel-thumbnails.png') });

      // Scroll to the end and back: rows brought into view get their thumbnails too.
      await page.evaluate("document.querySelector('.table-body').scrollTop = 1e9");
      await waitInPage(page, thumbsReady, 30_000);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it('scrolls an hour of rows as smoothly with thumbnails being made as without (figures)', skipUnless(noChromiumReason, noBundleReason, noModelsReason, noMediaReason), async () => {
    // The hour document played by the Pexels video: seeks past its end land on the last frame, which is enough
    // to run the whole thumbnail path (hidden video, seeks, canvas) while the table scrolls.
    const { media } = analyzedPexels();
    const doc = hourDocument();
    const figures: Record<string, { mean: number; p95: number; max: number; thumbs: number }> = {};
    for (const [name, source] of [['without video', mediaSourceFor({ mediaPath: doc.media.path, exists: false })], ['with thumbnails', media]] as const) {
      const { page, errors } = await openPanel(snapshotOf(doc, source));
      try {
        // Measured from a settled page: with the video, once its first thumbnails are in (the thumbnail path runs).
        if (name === 'with thumbnails') await waitInPage(page, `${visibleRows}.some((r) => r.querySelector('img.face-thumb').naturalWidth > 0)`);
        await framePainted(page);
        const frameTimes: { mean: number; p95: number; max: number } = await page.evaluate(`(async () => {
          const body = document.querySelector('.table-body');
          const frames = [];
          let last = performance.now();
          for (let i = 0; i < 240; i++) {
            // Bursts of scrolling with pauses, so thumbnails are asked for (after 100 ms) and made in between.
            if (i % 40 < 25) body.scrollTop += i < 120 ? 300 : -200;
            await new Promise((r) => requestAnimationFrame(r));
            const now = performance.now();
            frames.push(now - last);
            last = now;
          }
          frames.sort((a, b) => a - b);
          return { mean: frames.reduce((a, b) => a + b, 0) / frames.length, p95: frames[Math.floor(frames.length * 0.95)], max: frames.at(-1) };
        })()`);
        // The rows the scrolling brought into view get their thumbnails (made in the pauses, or just after on a slow machine).
        if (name === 'with thumbnails') await waitInPage(page, `${visibleRows}.some((r) => r.querySelector('img.face-thumb').naturalWidth > 0)`);
        const thumbs: number = await page.evaluate("[...document.querySelectorAll('img.face-thumb')].filter((i) => i.naturalWidth > 0).length");
        const f = (figures[name] = { ...frameTimes, thumbs });
        console.log(`scrolling (${name}): 240 frames, mean ${f.mean.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, max ${f.max.toFixed(1)} ms; ${f.thumbs} rows showing a thumbnail`);
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    }
    assert.ok(figures['with thumbnails']!.thumbs > 0, 'thumbnails were made for the rows scrolled to');
    assert.ok(figures['with thumbnails']!.p95 < FRAME_SANITY_MS, `p95 frame ${figures['with thumbnails']!.p95} ms (sanity bound)`);
  });
});
