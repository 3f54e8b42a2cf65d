// Where the tests find the real models and media, and the reasons printed when a test has to be skipped.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** ../shared/models (set by scripts/runTests.mjs), or undefined when absent. */
export const modelsDir: string | undefined = existingDir(process.env.EMOTION_LENS_MODELS);
/** ../shared/media, or undefined when absent. */
export const mediaDir: string | undefined = existingDir(process.env.EMOTION_LENS_MEDIA);

export const noModelsReason = modelsDir ? undefined : 'EMOTION_LENS_MODELS is not set to a folder with the models (../shared/models)';
export const noMediaReason = mediaDir ? undefined : 'EMOTION_LENS_MEDIA is not set to the shared media folder (../shared/media)';

function existingDir(dir: string | undefined): string | undefined {
  return dir && existsSync(dir) ? dir : undefined;
}

export function mediaFile(...parts: string[]): string {
  if (!mediaDir) throw new Error(noMediaReason);
  return path.join(mediaDir, ...parts);
}

export function modelFile(...parts: string[]): string {
  if (!modelsDir) throw new Error(noModelsReason);
  return path.join(modelsDir, ...parts);
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function makeTempDir(prefix = 'emotion-lens-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Skip option for node:test that prints its reason (node's spec reporter shows `# SKIP reason`),
 * so a test that cannot run here is never mistaken for a pass.
 */
export function skipUnless(...reasons: (string | undefined)[]): { skip?: string } {
  const reason = reasons.find((r) => r !== undefined);
  if (reason) console.log(`SKIPPED: ${reason}`);
  return reason ? { skip: reason } : {};
}
