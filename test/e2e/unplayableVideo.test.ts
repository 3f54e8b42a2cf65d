// A video the browser cannot play (MPEG-4 Part 2: Chromium and VS Code's player have no decoder for it): the
// review panel says so, shows the selected face as a still cut by the host's ffmpeg, and Space runs the
// panel's own clock, which moves the selected row along, as the video would.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, STATE_TIMEOUT_MS } from '../helpers/eventually';
import { runFfmpeg, sharedVideos } from '../helpers/mediaFixtures';
import { modelsDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { waitForFile, Workbench } from '../helpers/vscodeWorkbench';

const VIDEO = 'mpeg4-part2.mp4';

describe('a video the browser cannot play, in a real VS Code', skipUnless(noModelsReason, noMediaReason), () => {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open({
      name: 'unplayable-video',
      populate: (workspace) => runFfmpeg(['-i', sharedVideos.pexels(), '-t', '8', '-c:v', 'mpeg4', '-q:v', '4', '-c:a', 'copy', path.join(workspace, VIDEO)]),
      settings: { 'emotionLens.modelsFolder': modelsDir },
    });
  });
  after(async () => wb?.close());

  it('says the video cannot play, shows host stills of the selected face, and plays the timeline with Space', async () => {
    const item = await wb.contextMenuItem(VIDEO, 'Analyze emotion');
    await item.click();
    await waitForFile(path.join(wb.workspace, `${VIDEO}.emotion.json`), 120_000);
    const panel = wb.reviewPanel();
    const rows = panel.locator('.table-spacer .table-row:not([hidden])');
    await wb.step('fallback', async () => {
      await panel.locator('.media-problem', { hasText: /cannot be played here/ }).waitFor({ timeout: 60_000 });
      await rows.first().click();
      await panel.locator('img.still:not([hidden])').waitFor({ timeout: 30_000 });
    });
    const still = panel.locator('img.still');
    assert.match((await still.getAttribute('src')) ?? '', /^(data:image\/|blob:|https:\/\/file\+\.vscode-resource)/, 'the still has no image source');
    assert.ok(await still.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), 'the still did not decode');
    assert.match(await panel.locator('.still-caption').innerText(), /at 0:00/);

    const focusedTime = async (): Promise<string> => (await panel.locator('.table-row.focused .c-time').innerText()).trim();
    const startRow = await focusedTime();
    const play = panel.locator('.clock-play');
    await wb.step('clock-playing', async () => {
      await wb.page.keyboard.press('Space');
      await play.filter({ hasText: 'Pause' }).waitFor({ timeout: STATE_TIMEOUT_MS });
      // Playing until the clock has moved the selected row on (rows every 0.2 s), however slowly frames come.
      await eventually(async () => assert.notEqual(await focusedTime(), startRow, 'the selected row did not follow the clock'));
    });
    await wb.page.keyboard.press('Space');
    await play.filter({ hasText: 'Play' }).waitFor({ timeout: STATE_TIMEOUT_MS });
    const readout = (await panel.locator('.clock-time').innerText()).trim();
    const endRow = await focusedTime();
    console.log(`e2e: unplayable video: clock at "${readout}", selected row ${startRow} -> ${endRow}`);
    assert.notEqual(endRow, startRow, 'the selected row did not follow the clock');
    assert.doesNotMatch(readout, /^0:00\.00\b/, 'the clock did not advance');
  });
});
