/**
 * `npm run bench`: speed and memory of the whole analysis on long 720p clips made from the shared sample
 * video, against ffmpeg alone decoding and sampling the same frames. Prints figures; asserts nothing.
 *
 *   node dist/bench.js [--minutes 1,10] [--sample-fps 5] [--threads N]
 *
 * Each measurement runs in a fresh child process so that its peak RSS is its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSettings, makeRequest } from '../src/core/engine/analysisRequest';
import { analyzeMedia } from '../src/core/engine/analyzeMedia';
import { locateFfmpeg } from '../src/core/media/ffmpegTools';
import { frameFilter, frameSizeFor } from '../src/core/media/frameReader';
import type { FfmpegTools } from '../src/core/media/mediaTypes';
import { probeMedia } from '../src/core/media/probe';

const repoRoot = path.resolve(__dirname, '..');
const shared = path.resolve(repoRoot, '..', 'shared');
const benchDir = path.join(repoRoot, '.bench');

interface ChildReport {
  frames: number;
  wallSec: number;
  peakRssMb: number;
  rssAtQuartersMb: number[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      minutes: { type: 'string', default: '1,10' },
      'sample-fps': { type: 'string', default: '5' },
      threads: { type: 'string' },
      models: { type: 'string' },
    },
  });
  const sampleFps = Number(values['sample-fps']);
  const modelsDir = values.models ?? process.env.EMOTION_LENS_MODELS ?? path.join(shared, 'models');
  if (values.child) return runChild(values.child, sampleFps, modelsDir, values.threads ? Number(values.threads) : undefined);

  const source = path.join(process.env.EMOTION_LENS_MEDIA ?? path.join(shared, 'media'), 'video', 'WolfgangLanger_Pexels_face_silent.mp4');
  if (!existsSync(source)) throw new Error(`sample video not found: ${source} (set EMOTION_LENS_MEDIA)`);
  const tools = await locateFfmpeg();
  mkdirSync(benchDir, { recursive: true });
  console.log(`Emotion Lens benchmark: ${sampleFps} sampled frames/s, 1280x720 H.264 made from ${path.basename(source)}`);
  console.log(`machine: ${os.availableParallelism()} cores, node ${process.version}, ffmpeg ${tools.version}\n`);
  const rows: string[][] = [['clip', 'frames', 'ffmpeg alone', 'analysis', 'frames/s', 'x ffmpeg', 'peak RSS', 'RSS at 25/50/75/100 %']];
  for (const minutes of values.minutes!.split(',').map(Number)) {
    const clip = makeClip(tools.ffmpeg, source, minutes * 60);
    const ffmpegSec = await timeFfmpegAlone(tools, clip, sampleFps);
    const report = await runInChild(clip, sampleFps, modelsDir, values.threads);
    rows.push([
      `${minutes} min`,
      String(report.frames),
      `${ffmpegSec.toFixed(2)} s`,
      `${report.wallSec.toFixed(2)} s`,
      (report.frames / report.wallSec).toFixed(1),
      (report.wallSec / ffmpegSec).toFixed(2),
      `${report.peakRssMb.toFixed(0)} MB`,
      report.rssAtQuartersMb.map((v) => v.toFixed(0)).join(' / ') + ' MB',
    ]);
  }
  printTable(rows);
  console.log('\nffmpeg alone: the same decode, frame selection and scaling to raw RGB, written to /dev/null.');
  console.log('analysis: end to end (probe, models, faces in worker threads, speech, timeline, write), wall time.');
}

/** Loops and scales the sample to `seconds` of 1280x720 H.264 (with its audio), cached in .bench/. */
function makeClip(ffmpeg: string, source: string, seconds: number): string {
  const clip = path.join(benchDir, `pexels_720p_${seconds}s.mp4`);
  if (existsSync(clip)) return clip;
  console.log(`making ${path.basename(clip)}…`);
  const temp = `${clip}.part.mp4`;
  const result = spawnSync(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', '-1', '-i', source, '-t', String(seconds),
    '-vf', 'scale=1280:720', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k', temp,
  ], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('could not make the benchmark clip');
  renameSync(temp, clip);
  return clip;
}

/** ffmpeg decoding, selecting and scaling the same frames with the reader's own filter, with no consumer. */
async function timeFfmpegAlone(tools: FfmpegTools, clip: string, sampleFps: number): Promise<number> {
  const probe = await probeMedia(tools, clip);
  const filter = frameFilter(frameSizeFor(probe, defaultSettings.maxAnalysisSide), sampleFps);
  const started = performance.now();
  const result = spawnSync(tools.ffmpeg, [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-i', clip, '-an', '-vf', filter,
    '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-y', '/dev/null',
  ], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('ffmpeg-alone run failed');
  return (performance.now() - started) / 1000;
}

function runInChild(clip: string, sampleFps: number, modelsDir: string, threads?: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const args = [__filename, '--child', clip, '--sample-fps', String(sampleFps), '--models', modelsDir, ...(threads ? ['--threads', threads] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`benchmark child failed (${code}): ${out}`));
      resolve(JSON.parse(line) as ChildReport);
    });
  });
}

async function runChild(clip: string, sampleFps: number, modelsDir: string, threads?: number): Promise<void> {
  const outDir = path.join(benchDir, 'out');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const speechModelDir = path.join(modelsDir, 'asr_zipformer_gigaspeech_3.3M_int8');
  const request = makeRequest(clip, {
    outDir,
    existingDocument: 'replace',
    settings: { sampleFps },
    models: { modelsDir },
    speech: existsSync(speechModelDir) ? { speechModelDir } : {},
    ...(threads ? { threads } : {}),
  });
  const samples: { fraction: number; rss: number }[] = [];
  let fraction = 0;
  const timer = setInterval(() => samples.push({ fraction, rss: process.memoryUsage().rss }), 100);
  const started = performance.now();
  const outcome = await analyzeMedia(request, {
    onProgress: (p) => {
      if (p.kind === 'faces') fraction = p.framesDone / Math.max(1, p.framesTotal);
    },
  });
  const wallSec = (performance.now() - started) / 1000;
  clearInterval(timer);
  const at = (q: number) => (samples.find((s) => s.fraction >= q)?.rss ?? samples.at(-1)?.rss ?? 0) / 1e6;
  const report: ChildReport = {
    frames: outcome.frames,
    wallSec,
    // maxRSS is in kilobytes and covers the whole process, worker threads included.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssAtQuartersMb: [0.25, 0.5, 0.75, 1].map(at),
  };
  console.log(JSON.stringify(report));
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
