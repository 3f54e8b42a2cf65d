// The default models that ship with Emotion Lens (the VSIX carries them; a source checkout gets them from
// `scripts/models/bundleModels.ts`), so a fresh install analyses offline with no download. They are found
// as `bundled-models/<id>/<file>` beside the bundles' folder and checked by sha256 like any other copy.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const BUNDLED_MODELS_FOLDER = 'bundled-models';

/**
 * The bundled models folder, or undefined when there is none or EMOTION_LENS_NO_BUNDLED_MODELS is set (to
 * check what a user without them sees). From dist/*.js it is ../bundled-models; from the sources run by tsx
 * (src/core/models/) the same folder at the repository root.
 */
export function bundledModelsDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (/^(1|true|yes)$/i.test(env.EMOTION_LENS_NO_BUNDLED_MODELS ?? '')) return undefined;
  const candidates = [path.join(__dirname, '..', BUNDLED_MODELS_FOLDER), path.join(__dirname, '..', '..', '..', BUNDLED_MODELS_FOLDER)];
  return candidates.find((dir) => existsSync(dir));
}
