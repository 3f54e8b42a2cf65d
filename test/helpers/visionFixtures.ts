// Real frames for the vision tests: decoded by ffmpeg at run time (never committed), plus resolved shared models.
import { spawnSync } from 'node:child_process';
import type { RawFrame } from '../../src/core/media/mediaTypes';
import { loadManifest } from '../../src/core/models/modelManifest';
import type { ResolvedModel } from '../../src/core/models/modelResolver';
import { modelFile } from './testEnvironment';

export const PEXELS_VIDEO = 'video/WolfgangLanger_Pexels_face_silent.mp4';
export const DETECTOR_ID = 'face_detection_yunet_2023mar';
export const MOBILEFACENET_ID = 'fer_mobilefacenet_2022july_int8';
export const XCEPTION_ID = 'fer_xception_fer2013_oarriaga';

export { noFfmpegReason } from './mediaFixtures';

/**
 * Decodes one frame (at `timeSec`) of `file` to packed rgb24, optionally through a filter graph whose
 * output size must then be given.
 */
export function grabFrame(file: string, timeSec: number, filter?: { graph: string; width: number; height: number }, index = 0): RawFrame {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const [w0, h0] = probe.stdout.trim().split(',').map(Number);
  const width = filter?.width ?? w0 ?? 0;
  const height = filter?.height ?? h0 ?? 0;
  const args = ['-v', 'error', '-ss', String(timeSec), '-i', file];
  if (filter) args.push('-filter_complex', filter.graph);
  args.push('-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  const out = spawnSync('ffmpeg', args, { maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`ffmpeg failed: ${out.stderr.toString()}`);
  const data = new Uint8Array(out.stdout.buffer, out.stdout.byteOffset, out.stdout.byteLength).slice();
  if (data.length !== width * height * 3) throw new Error(`expected a ${width}x${height} frame, got ${data.length} bytes`);
  return { index, timeSec, width, height, data, scaleToSource: 1 };
}

/** A shared model as the resolver would return it, without hashing (the resolver tests cover that). */
export function sharedModel(id: string): ResolvedModel {
  const entry = loadManifest().models.find((m) => m.id === id);
  if (!entry) throw new Error(`no manifest entry ${id}`);
  return { entry, paths: entry.files.map((f) => modelFile(id, f.name)), sha256: entry.files[0]!.sha256 };
}
