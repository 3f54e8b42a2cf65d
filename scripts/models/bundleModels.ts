/**
 * Fills bundled-models/ (git-ignored) with the default models, so that the VSIX and a source checkout analyse
 * offline with no download: the face detector, every model of the default expression ensemble and the voice activity model, each checked
 * against its manifest sha256. Models are never committed: files come from a models folder (EMOTION_LENS_MODELS,
 * --models DIR or ../shared/models beside the repository) or the user's model cache, or are built by the
 * project script their manifest entry names (face-api's network, from its npm package's weights). Also writes
 * NOTICE.md with each model's licence and source. Safe to run again: verified files are kept.
 *
 *   node --import tsx scripts/models/bundleModels.ts [--models DIR] [--out DIR]
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DETECTOR_ID, defaultSettings, VAD_MODEL_ID } from '../../src/core/engine/analysisRequest';
import { BUNDLED_MODELS_FOLDER } from '../../src/core/models/bundledModels';
import { cachedSha256 } from '../../src/core/models/download';
import type { ModelEntry } from '../../src/core/models/modelManifest';
import { findModel, loadManifest } from '../../src/core/models/modelManifest';
import { defaultModelCacheDir } from '../../src/core/models/modelResolver';
import { buildFaceApiExpressionModel } from './buildFaceApiExpressionModel';

const repoRoot = path.resolve(__dirname, '..', '..');

/** The models a fresh install needs: the detector, the default expression ensemble and the voice activity model. */
export function defaultModelIds(): string[] {
  return [DEFAULT_DETECTOR_ID, ...defaultSettings.expressionModels, VAD_MODEL_ID];
}

/** Builders for files no download exists for, by the script named in the manifest. */
const BUILDERS: Record<string, (outDir: string) => Promise<unknown>> = {
  'scripts/models/buildFaceApiExpressionModel.ts': buildFaceApiExpressionModel,
};

export async function bundleModels(options: { modelsDir?: string; outDir?: string; log?: (line: string) => void } = {}): Promise<string> {
  const outDir = path.resolve(options.outDir ?? path.join(repoRoot, BUNDLED_MODELS_FOLDER));
  const log = options.log ?? ((line: string) => console.log(`bundleModels: ${line}`));
  const sources = [options.modelsDir, process.env.EMOTION_LENS_MODELS, path.join(repoRoot, '..', 'shared', 'models'), defaultModelCacheDir()]
    .filter((dir): dir is string => Boolean(dir) && existsSync(dir!));
  const manifest = loadManifest();
  const entries = defaultModelIds().map((id) => findModel(manifest, id));
  for (const entry of entries) await bundleOne(entry, outDir, sources, log);
  // A model that left the defaults must not ride along in the next VSIX (packageVsix copies the whole folder).
  for (const stale of manifest.models.filter((m) => !entries.includes(m) && existsSync(path.join(outDir, m.id)))) {
    rmSync(path.join(outDir, stale.id), { recursive: true, force: true });
    log(`${stale.id}: removed (no longer a default model)`);
  }
  writeFileSync(path.join(outDir, 'NOTICE.md'), notice(entries));
  copyFileSync(path.join(repoRoot, 'node_modules', 'typescript', 'LICENSE.txt'), path.join(outDir, 'LICENSE-Apache-2.0.txt'));
  return outDir;
}

async function bundleOne(entry: ModelEntry, outDir: string, sources: string[], log: (line: string) => void): Promise<void> {
  const dir = path.join(outDir, entry.id);
  mkdirSync(dir, { recursive: true });
  for (const file of entry.files) {
    const target = path.join(dir, file.name);
    if (existsSync(target) && (await cachedSha256(target)) === file.sha256) continue;
    const partial = `${target}.part`;
    rmSync(partial, { force: true });
    const found = sources.flatMap((root) => [path.join(root, entry.id, file.name), path.join(root, file.name)]).find((p) => existsSync(p));
    if (found) {
      copyFileSync(found, partial);
    } else if (entry.build && BUILDERS[entry.build.script]) {
      const staging = `${dir}.build`;
      await BUILDERS[entry.build.script]!(staging);
      renameSync(path.join(staging, file.name), partial);
      rmSync(staging, { recursive: true, force: true });
    } else {
      throw new Error(`${entry.id}: ${file.name} not found in ${sources.join(', ') || '(no models folder)'}; set EMOTION_LENS_MODELS to a folder with it, or run \`npx emotion-lens models --download\``);
    }
    const actual = await cachedSha256(partial);
    if (actual !== file.sha256) {
      rmSync(partial, { force: true });
      throw new Error(`${entry.id}: ${file.name} from ${found ?? entry.build?.script} has sha256 ${actual}, the manifest says ${file.sha256}`);
    }
    renameSync(partial, target);
    log(`${entry.id}/${file.name} (${(file.bytes / 1024 / 1024).toFixed(1)} MB, sha256 checked) from ${found ?? `${entry.build?.script} (${entry.build?.from})`}`);
  }
}

function notice(entries: readonly ModelEntry[]): string {
  const rows = entries.map((e) => `| \`${e.id}\` | ${e.role} | ${e.licence} | ${e.source.text} (${e.source.url}) |`);
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
  const { values } = parseArgs({ options: { models: { type: 'string' }, out: { type: 'string' } } });
  const out = await bundleModels({ modelsDir: values.models, outDir: values.out });
  console.log(`bundleModels: ${defaultModelIds().length} default models in ${path.relative(process.cwd(), out) || out}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bundleModels: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
