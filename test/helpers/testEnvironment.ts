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

/** True under CI (`CI=true`), where every component the project's own scripts install must be there. */
export const underCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/**
 * Skip option for node:test when something the project's scripts install (ffmpeg, Chromium, code-server, the
 * shared models and media, the build) is missing. Outside CI the test is skipped with its reason printed
 * (node's spec reporter shows `# SKIP reason`). Under CI it FAILS: the test file stops loading with the reason,
 * so a missing install step can never pass for a skip.
 */
export function skipUnless(...reasons: (string | undefined)[]): { skip?: string } {
  const reason = reasons.find((r) => r !== undefined);
  if (!reason) return {};
  if (underCi) throw new Error(`CI=true and a test needs what the project's scripts install: ${reason}`);
  console.log(`SKIPPED: ${reason}`);
  return { skip: reason };
}

/**
 * Skip option for what cannot be had on this machine at all (a Vosk model, another platform's packages):
 * skipped with its reason printed, under CI too.
 */
export function skipIfUnobtainable(reason: string | undefined): { skip?: string } {
  if (!reason) return {};
  console.log(`SKIPPED (cannot be obtained here): ${reason}`);
  return { skip: reason };
}
