// Scenarios 5 and 6 of the end-to-end suite: a broken video gives a clear error and no document; a long
// analysis cancelled from its notification leaves no document, no temp file and no process behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../helpers/eventually';
import { runFfmpeg, sharedVideos } from '../helpers/mediaFixtures';
import { modelsDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { listTree, Workbench } from '../helpers/vscodeWorkbench';

/** About ten minutes of the Pexels clip, stream-copied (fast to make, long to analyse). */
function makeLongClip(file: string): Promise<void> {
  return runFfmpeg(['-stream_loop', '30', '-i', sharedVideos.pexels(), '-c', 'copy', file]);
}

/** Command lines of running processes that mention a path (ffmpeg reading it, an engine analysing it). */
function processesUsing(file: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(file) && !line.includes(' ps '));
}

describe('analysis failures in a real VS Code', skipUnless(noModelsReason, noMediaReason), () => {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open({
      name: 'analysis-failures',
      populate: async (workspace) => {
        writeFileSync(path.join(workspace, 'broken.mp4'), randomBytes(256 * 1024));
        await makeLongClip(path.join(workspace, 'long.mp4'));
      },
      settings: { 'emotionLens.modelsFolder': modelsDir },
    });
  });
  after(async () => wb?.close());

  it('5. a broken video: a clear error notification naming it, and no document written', async () => {
    const before = listTree(wb.workspace);
    const item = await wb.step('broken-context-menu', () => wb.contextMenuItem('broken.mp4', 'Analyze emotion'));
    const toast = wb.notification(/broken\.mp4/).filter({ has: wb.page.locator('.codicon-error') });
    await wb.step('broken-error', async () => {
      await item.click();
      await toast.waitFor({ timeout: 60_000 });
    });
    const message = (await toast.locator('.notification-list-item-message').innerText()).trim();
    console.log(`e2e: broken video: "${message}"`);
    assert.equal(message.split('\n').length, 1, 'the error is not one line');
    assert.match(message, /broken\.mp4/);
    assert.match(message, /not a (readable|valid)|could not|cannot|corrupt|invalid|damaged/i, 'the error does not say what is wrong');
    assert.deepEqual(listTree(wb.workspace), before, 'the workspace changed: a document or temp file was written');
    await toast.locator('.codicon-notifications-clear').click().catch(() => undefined);
  });

  it('6. cancelling a long analysis leaves no document, temp file or process', async () => {
    const before = listTree(wb.workspace);
    const longClip = path.join(wb.workspace, 'long.mp4');
    const item = await wb.step('long-context-menu', () => wb.contextMenuItem('long.mp4', 'Analyze emotion'));
    const progress = wb.notification(/analysing long\.mp4/);
    await wb.step('long-progress', async () => {
      await item.click();
      // Well into face analysis, so the cancel lands while workers are busy with frames.
      await progress.filter({ hasText: /Faces: frame ([1-9]\d{2}|[\d,]{4,}) of/ }).waitFor({ timeout: 90_000 });
    });
    assert.ok(processesUsing(longClip).length > 0, 'no process is reading the long clip while it is analysed');
    await wb.step('long-cancelled', async () => {
      await progress.getByRole('button', { name: 'Cancel' }).click();
      await progress.waitFor({ state: 'detached', timeout: 30_000 });
    });
    // The engine's ffmpeg and worker processes go (how promptly is measured in test/integration/engine.test.ts and
    // cli.test.ts; here a loaded machine may take its time).
    await eventually(() => assert.deepEqual(processesUsing(longClip), [], 'processes still use the clip after cancelling'), { intervalMs: 200 });
    assert.deepEqual(listTree(wb.workspace), before, 'the workspace changed: a document or temp file was left');
  });
});
