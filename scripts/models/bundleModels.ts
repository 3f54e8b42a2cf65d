/**
 * Fills bundled-models/ (git-ignored) with the default models, so that every face of the tool (the VSIX, the
 * CLI package, a source checkout after `npm run build`) analyses offline with no download and no flag: the face
 * detector, every model of the default expression ensemble, the voice activity model and the sherpa-onnx speech
 * model, each checked against its manifest sha256. Models are never committed: files come from a models folder
 * (EMOTION_LENS_MODELS, --models DIR or ../shared/models beside the repository) or the user's model cache, or are
 * built by the project script their manifest entry names (face-api's network, from its npm package's weights).
 * Also writes NOTICE.md with each model's licence and source. Safe to run again: verified files are kept.
 *
 *   node --import tsx scripts/models/bundleModels.ts [--models DIR] [--out DIR] [--if-available]
 *
 * --if-available (what `npm run build` uses): a model that cannot be placed is a warning naming what to do,
 * not a failure, so the code still builds where the models are not at hand; the engine then says which model
 * it misses when it needs it.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DETECTOR_ID, defaultSettings, VAD_MODEL_ID } from '../../src/core/engine/analysisRequest';
import { SHERPA_DEFAULT_ID } from '../../src/core/models/speechModelSelection';
import { BUNDLED_MODELS_FOLDER } from '../../src/core/models/bundledModels';
import { cachedSha256 } from '../../src/core/models/download';
import type { ModelEntry } from '../../src/core/models/modelManifest';
import { findModel, loadManifest } from '../../src/core/models/modelManifest';
import { defaultModelCacheDir } from '../../src/core/models/modelResolver';
import { GEOMETRY_MODEL_IDS } from '../../src/core/geometry/geometryModels';
import { buildFaceApiExpressionModel } from './buildFaceApiExpressionModel';
import { buildFaceLandmarkerModels } from './buildFaceLandmarkerModels';

const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * The models a fresh install needs: the detector, the default expression ensemble, the face geometry models
 * (the geometry setting is on by default), the voice activity model and the speech model.
 */
export function defaultModelIds(): string[] {
  return [DEFAULT_DETECTOR_ID, ...defaultSettings.expressionModels, ...(defaultSettings.geometry ? GEOMETRY_MODEL_IDS : []), VAD_MODEL_ID, SHERPA_DEFAULT_ID];
}

/** Every model bundled-models/ holds: the defaults. */
export function bundledModelIds(): string[] {
  return defaultModelIds();
}

/** Builders for files no download exists for, by the script named in the manifest; `sources` are the models folders searched. */
const BUILDERS: Record<string, (outDir: string, sources: string[]) => Promise<unknown>> = {
  'scripts/models/buildFaceApiExpressionModel.ts': buildFaceApiExpressionModel,
  'scripts/models/buildFaceLandmarkerModels.ts': buildFaceLandmarkerModels,
};

export interface BundleOptions {
  modelsDir?: string;
  outDir?: string;
  log?: (line: string) => void;
  /** Warn about a model that cannot be placed instead of failing (the others are still bundled). */
  ifAvailable?: boolean;
}

/** The bundled folder and the ids of the default models that could not be placed (only with ifAvailable). */
export async function bundleModels(options: BundleOptions = {}): Promise<{ outDir: string; missing: string[] }> {
  const outDir = path.resolve(options.outDir ?? path.join(repoRoot, BUNDLED_MODELS_FOLDER));
  const log = options.log ?? ((line: string) => console.log(`bundleModels: ${line}`));
  const sources = [options.modelsDir, process.env.EMOTION_LENS_MODELS, path.join(repoRoot, '..', 'shared', 'models'), defaultModelCacheDir()]
    .filter((dir): dir is string => Boolean(dir) && existsSync(dir!));
  const manifest = loadManifest();
  const entries = bundledModelIds().map((id) => findModel(manifest, id));
  const missing: string[] = [];
  for (const entry of entries) {
    try {
      await bundleOne(entry, outDir, sources, log);
    } catch (error) {
      if (!options.ifAvailable) throw error;
      missing.push(entry.id);
      log(`warning: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // A model that left the defaults must not ride along in the next VSIX (packageVsix copies the whole folder).
  for (const stale of manifest.models.filter((m) => !entries.includes(m) && existsSync(path.join(outDir, m.id)))) {
    rmSync(path.join(outDir, stale.id), { recursive: true, force: true });
    log(`${stale.id}: removed (no longer a default model)`);
  }
  writeFileSync(path.join(outDir, 'NOTICE.md'), notice(entries));
  copyFileSync(path.join(repoRoot, 'node_modules', 'typescript', 'LICENSE.txt'), path.join(outDir, 'LICENSE-Apache-2.0.txt'));
  return { outDir, missing };
}

async function bundleOne(entry: ModelEntry, outDir: string, sources: string[], log: (line: string) => void): Promise<void> {
  const dir = path.join(outDir, entry.id);
  mkdirSync(dir, { recursive: true });
  // A builder writes every file of its entry at once: built at most once per entry, on first need.
  const staging = `${dir}.build`;
  let built = false;
  try {
    for (const file of entry.files) {
      const target = path.join(dir, file.name);
      if (existsSync(target) && (await cachedSha256(target)) === file.sha256) continue;
      const partial = `${target}.part`;
      rmSync(partial, { force: true });
      const found = sources.flatMap((root) => [path.join(root, entry.id, file.name), path.join(root, file.name)]).find((p) => existsSync(p));
      if (found) {
        copyFileSync(found, partial);
      } else if (entry.build && BUILDERS[entry.build.script]) {
        if (!built) await BUILDERS[entry.build.script]!(staging, sources);
        built = true;
        renameSync(path.join(staging, file.name), partial);
      } else {
        throw new Error(`${entry.id}: ${file.name} not found in ${sources.join(', ') || '(no models folder)'}; set EMOTION_LENS_MODELS to a folder with it and run this again${file.url ? ', or run `npx emotion-lens models --download`' : ''}`);
      }
      const actual = await cachedSha256(partial);
      if (actual !== file.sha256) {
        rmSync(partial, { force: true });
        throw new Error(`${entry.id}: ${file.name} from ${found ?? entry.build?.script} has sha256 ${actual}, the manifest says ${file.sha256}`);
      }
      renameSync(partial, target);
      log(`${entry.id}/${file.name} (${(file.bytes / 1024 / 1024).toFixed(1)} MB, sha256 checked) from ${found ?? `${entry.build?.script} (${entry.build?.from})`}`);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function notice(entries: readonly ModelEntry[]): string {
  const rows = entries.map((e) => {
    // Apache-2.0 4(b): a converted file says that it was changed, and by what.
    const built = e.build ? ` Built by Emotion Lens's ${e.build.script} from ${e.build.from}.` : '';
    return `| \`${e.id}\` | ${e.role} | ${e.licence} | ${e.source.text} (${e.source.url}).${built} |`;
  });
  return [
    '# Models shipped with Emotion Lens',
    '',
    'These model files come with the extension so it analyses offline. Each is checked by sha256 before use.',
    'The Apache-2.0 licence text is in LICENSE-Apache-2.0.txt; the MIT licence grants use, copy, modification and',
    'distribution provided the copyright notice of the source (linked below) is kept.',
    '',
    '| model | role | licence | source |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { models: { type: 'string' }, out: { type: 'string' }, 'if-available': { type: 'boolean' } } });
  const { outDir, missing } = await bundleModels({ modelsDir: values.models, outDir: values.out, ifAvailable: values['if-available'] });
  const placed = bundledModelIds().length - missing.length;
  console.log(`bundleModels: ${placed} of ${bundledModelIds().length} models in ${path.relative(process.cwd(), outDir) || outDir}${missing.length > 0 ? ` (missing: ${missing.join(', ')})` : ''}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bundleModels: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
