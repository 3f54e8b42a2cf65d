/**
 * Writes face-api's expression network as ONNX, from the MIT weights in the installed
 * @vladmandic/face-api package (model/face_expression_model*), and prints its name, size and sha256:
 *
 *   node --import tsx scripts/models/buildFaceApiExpressionModel.ts --out DIR
 *
 * The bytes depend on the weights only, so the sha256 printed can be recorded and checked later.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { faceApiExpressionOnnx } from './faceApiExpressionOnnx';
import type { TfjsWeightsManifest } from './faceApiExpressionOnnx';

export const FACE_API_EXPRESSION_FILE = 'face_api_expression.onnx';

/** node_modules/@vladmandic/face-api/model, wherever the package was installed. */
export function faceApiModelDir(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

/** The manifest and, per weight group, its files concatenated in manifest order (as tfjs loads them). */
export async function readFaceApiWeights(modelDir: string, modelName: string): Promise<{ manifest: TfjsWeightsManifest; groupBytes: Uint8Array[] }> {
  const manifest = JSON.parse(await readFile(path.join(modelDir, `${modelName}-weights_manifest.json`), 'utf8')) as TfjsWeightsManifest;
  const groupBytes = await Promise.all(
    manifest.map(async (group) => Buffer.concat(await Promise.all(group.paths.map((p) => readFile(path.join(modelDir, p)))))),
  );
  return { manifest, groupBytes: groupBytes.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)) };
}

/** Builds DIR/face_api_expression.onnx (DIR created if needed). */
export async function buildFaceApiExpressionModel(outDir: string): Promise<{ file: string; bytes: number; sha256: string }> {
  const { manifest, groupBytes } = await readFaceApiWeights(faceApiModelDir(), 'face_expression_model');
  const onnx = faceApiExpressionOnnx(manifest, groupBytes);
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, FACE_API_EXPRESSION_FILE);
  await writeFile(file, onnx);
  return { file, bytes: onnx.length, sha256: createHash('sha256').update(onnx).digest('hex') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (!values.out) throw new Error('usage: node --import tsx scripts/models/buildFaceApiExpressionModel.ts --out DIR');
  const built = await buildFaceApiExpressionModel(path.resolve(values.out));
  console.log(`${path.basename(built.file)}  ${built.bytes} bytes  sha256 ${built.sha256}`);
}

// Run only as the CLI, not when another script imports buildFaceApiExpressionModel.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
