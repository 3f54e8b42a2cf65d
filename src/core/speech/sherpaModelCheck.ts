/**
 * Checks a sherpa-onnx model folder before sherpa-onnx-node loads it: a damaged .onnx or tokens.txt makes
 * its native code throw a C++ exception that aborts the whole process (worker threads do not contain it).
 * A folder whose files match a manifest entry by sha256 is known good; any other is parsed by
 * onnxruntime-node first, which reports damage as an ordinary error (and costs memory, hence only then).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { EmotionLensError, errorMessage } from '../errors';
import { fixNames } from '../fixNames';
import { loadManifest } from '../models/modelManifest';
import { cachedSha256 } from '../models/download';
import type { TransducerFiles } from '../models/speechModelSelection';

function repairHint(): string {
  return `Download the model again or point ${fixNames().speechModelFolder} at a complete model folder.`;
}

export async function checkTransducerFiles(files: TransducerFiles): Promise<void> {
  await checkTokens(files.tokens);
  if (await matchesManifest([files.encoder, files.decoder, files.joiner, files.tokens])) return;
  for (const file of [files.encoder, files.decoder, files.joiner]) await checkOnnxParses(file);
}

/** True when every file has the name and sha256 of one speech model in the manifest. */
async function matchesManifest(paths: string[]): Promise<boolean> {
  for (const entry of loadManifest().models.filter((m) => m.role === 'speech')) {
    const byName = new Map(entry.files.map((f) => [f.name, f.sha256.toLowerCase()]));
    if (!paths.every((p) => byName.has(path.basename(p)))) continue;
    const hashes = await Promise.all(paths.map((p) => cachedSha256(p)));
    if (hashes.every((hash, i) => hash === byName.get(path.basename(paths[i]!)))) return true;
  }
  return false;
}

/** tokens.txt: one "<symbol> <id>" per line, with the transducer's blank symbol. */
export async function checkTokens(file: string): Promise<void> {
  const lines = (await fs.readFile(file, 'utf8')).split(/\r?\n/).filter((line) => line.length > 0);
  const bad = lines.findIndex((line) => !/^\S+ \d+$/.test(line));
  if (lines.length < 2 || bad >= 0 || !lines.some((line) => line.startsWith('<blk> '))) {
    const what = lines.length < 2 ? 'has too few tokens' : bad >= 0 ? `line ${bad + 1} is not "<symbol> <id>"` : 'has no <blk> symbol';
    throw new EmotionLensError('speech-model', `tokens file ${what}`, file, repairHint());
  }
}

async function checkOnnxParses(file: string): Promise<void> {
  let session: InferenceSession | undefined;
  try {
    const ort = await import('onnxruntime-node');
    session = await ort.InferenceSession.create(file, { logSeverityLevel: 3, intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  } catch (error) {
    throw new EmotionLensError('speech-model', `${path.basename(file)} is not a valid ONNX model (${errorMessage(error)})`, file, repairHint());
  } finally {
    await session?.release();
  }
}
