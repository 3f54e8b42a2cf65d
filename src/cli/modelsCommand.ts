import path from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../core/errors';
import type { ModelStatus } from '../core/models/modelResolver';
import { bundledModelsDir } from '../core/models/bundledModels';
import { defaultModelCacheDir, listModels, resolveModel } from '../core/models/modelResolver';
import type { FileLocation } from '../core/models/modelResolver';
import { chooseSpeechModel, VOSK_SMALL_EN_ID, voskModelProblem } from '../core/models/speechModelSelection';
import { downloadVoskModel, verifyVoskModel } from '../core/models/voskModelDownload';
import type { CommandIo } from './analyzeCommand';
import { formatBytes } from '../shared/textFormat';

export const MODELS_USAGE = `Usage: emotion-lens models [options]

Lists the models Emotion Lens knows (models/manifest.json), where each was found and whether its files
match their sha256. Models are looked for in --models DIR (or EMOTION_LENS_MODELS), as DIR/<id>/<file> or
DIR/<file>, then among the default models that ship with Emotion Lens (bundled-models/), then in the user
cache. The speech model used is a configured Vosk model, else a Vosk or sherpa-onnx model in those folders.

Options:
  --models DIR       folder with models (env EMOTION_LENS_MODELS)
  --no-verify        skip the sha256 check
  --download         download missing models that have a source URL into the cache (sha256-checked)
  --download-vosk    download the Vosk model ${VOSK_SMALL_EN_ID} (40 MB) into the cache, verified file by file
  --vosk-model DIR   check a Vosk model folder file by file (env EMOTION_LENS_VOSK_MODEL)
  -h, --help         show this help`;

export async function runModels(args: string[], env: NodeJS.ProcessEnv, io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      models: { type: 'string' },
      'no-verify': { type: 'boolean' },
      download: { type: 'boolean' },
      'download-vosk': { type: 'boolean' },
      'vosk-model': { type: 'string' },
    },
  });
  const modelsDir = values.models ?? env.EMOTION_LENS_MODELS;
  const cacheDir = defaultModelCacheDir(env);
  const bundledDir = bundledModelsDir(env);
  const write = (text: string) => io.out.write(text + '\n');

  write(`Models are looked for in:`);
  write(`  1. ${modelsDir ? path.resolve(modelsDir) : '(no --models DIR or EMOTION_LENS_MODELS given)'}`);
  write(`  2. ${bundledDir ?? '(no bundled models in this installation)'}  (the default models that ship with Emotion Lens)`);
  write(`  3. ${cacheDir}  (user cache; downloads go here)`);
  let failed = false;

  if (values.download) failed = (await downloadMissing(modelsDir, cacheDir, bundledDir ?? null, io)) || failed;
  if (values['download-vosk']) failed = (await downloadVosk(cacheDir, io)) || failed;

  const statuses = await listModels({ modelsDir, cacheDir, bundledDir: bundledDir ?? null, verify: !values['no-verify'] });
  write('');
  for (const status of statuses) write(describe(status));
  if (statuses.some((s) => s.state === 'mismatch')) failed = true;

  const voskDir = values['vosk-model'] ?? env.EMOTION_LENS_VOSK_MODEL;
  if (voskDir) failed = (await checkVosk(voskDir, write)) || failed;
  write('');
  write(speechLine(chooseSpeechModel({ voskModelDir: voskDir, speechModelDir: env.EMOTION_LENS_SPEECH_MODEL, modelsDir, cacheDir, bundledDir: bundledDir ?? null })));
  write(`  (a Vosk model given with --vosk-model or EMOTION_LENS_VOSK_MODEL, or downloaded with --download-vosk, wins over the bundled sherpa-onnx model)`);
  return failed ? 1 : 0;
}

/** Which speech model `analyze` would use with these folders, and why there is none. */
function speechLine(choice: ReturnType<typeof chooseSpeechModel>): string {
  if (!choice.config) return `Speech: none (${choice.reason ?? 'no speech model'})`;
  return `Speech: ${choice.config.engine} model ${choice.config.modelId} in ${choice.config.modelDir}`;
}

const FROM: Record<FileLocation, string> = { modelsDir: 'from the models folder', bundled: 'bundled with Emotion Lens', cache: 'from the user cache', missing: '' };

/** Where a model's files came from, when they all came from one place. */
function origin(status: ModelStatus): string {
  const places = new Set(status.files.map((f) => f.location));
  if (places.has('missing')) return '';
  return places.size === 1 ? `, ${FROM[[...places][0]!]}` : `, from ${[...places].map((p) => FROM[p]).join(' and ')}`;
}

function describe(status: ModelStatus): string {
  const mark = status.state === 'ok' ? '✓' : status.state === 'missing' ? '·' : '✗';
  const state = status.state === 'ok' ? (status.verified ? 'ok, sha256 verified' : 'found (not verified)') : status.state === 'missing' ? 'missing' : 'SHA256 MISMATCH';
  const lines = [`${mark} ${status.id} (${status.role}): ${state}${origin(status)}`];
  for (const file of status.files) {
    const where = file.path ?? (file.downloadable ? 'not found (downloadable with --download)' : 'not found (no download source: place it by hand)');
    const check = file.sha256Ok === false ? `  sha256 ${file.actualSha256?.slice(0, 12)}… does not match the manifest: replace the file` : '';
    lines.push(`    ${file.name}: ${where}${check}`);
  }
  if (status.notes && status.state !== 'ok') lines.push(`    note: ${status.notes}`);
  return lines.join('\n');
}

async function downloadMissing(modelsDir: string | undefined, cacheDir: string, bundledDir: string | null, io: CommandIo): Promise<boolean> {
  let failed = false;
  for (const status of await listModels({ modelsDir, cacheDir, bundledDir, verify: false })) {
    if (status.state !== 'missing' || !status.files.every((f) => f.location !== 'missing' || f.downloadable)) continue;
    io.out.write(`Downloading ${status.id}…\n`);
    try {
      await resolveModel(status.id, {
        modelsDir,
        cacheDir,
        bundledDir,
        allowDownload: true,
        signal: io.signal,
        onProgress: (p) => io.out.isTTY && io.out.write(`\r\x1b[2K  ${p.file} ${formatBytes(p.receivedBytes)}${p.totalBytes ? ` of ${formatBytes(p.totalBytes)}` : ''}`),
      });
      io.out.write(`${io.out.isTTY ? '\r\x1b[2K' : ''}  done\n`);
    } catch (error) {
      io.err.write(`✗ ${status.id}: ${errorMessage(error)}\n`);
      failed = true;
    }
  }
  return failed;
}

async function downloadVosk(cacheDir: string, io: CommandIo): Promise<boolean> {
  const destination = path.join(cacheDir, VOSK_SMALL_EN_ID);
  io.out.write(`Downloading ${VOSK_SMALL_EN_ID} into ${destination}…\n`);
  try {
    await downloadVoskModel(destination, {
      signal: io.signal,
      onProgress: (p) => io.out.isTTY && io.out.write(`\r\x1b[2K  ${formatBytes(p.receivedBytes)}${p.totalBytes ? ` of ${formatBytes(p.totalBytes)}` : ''}`),
    });
    io.out.write(`${io.out.isTTY ? '\r\x1b[2K' : ''}  done: use it with --vosk-model ${destination}\n`);
    return false;
  } catch (error) {
    io.err.write(`✗ ${VOSK_SMALL_EN_ID}: ${errorMessage(error)}\n`);
    return true;
  }
}

/**
 * Any Vosk model folder works; the one we offer for download can also be checked file by file against the
 * git blob ids published for it.
 */
async function checkVosk(dir: string, write: (text: string) => void): Promise<boolean> {
  const problem = voskModelProblem(dir);
  if (problem) {
    write(`✗ Vosk model ${dir}: ${problem}`);
    return true;
  }
  if (path.basename(path.resolve(dir)) !== VOSK_SMALL_EN_ID) {
    write(`✓ Vosk model ${dir}: looks like a Vosk model (only ${VOSK_SMALL_EN_ID} can be checked file by file)`);
    return false;
  }
  const results = await verifyVoskModel(dir);
  const bad = results.filter((r) => !r.ok);
  write(`${bad.length === 0 ? '✓' : '✗'} Vosk model ${dir}: ${bad.length === 0 ? `all ${results.length} files match their git blob ids` : `${bad.length} of ${results.length} files do not match`}`);
  for (const r of bad) write(`    ${r.file}: ${r.actual ? `blob ${r.actual.slice(0, 12)}…, expected ${r.expected.slice(0, 12)}…` : 'missing'}`);
  return bad.length > 0;
}
