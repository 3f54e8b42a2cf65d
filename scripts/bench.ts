/**
 * `npm run bench`: speed and memory of the product on datasets, against ffmpeg alone decoding the same frames
 * in the same run. Every measurement is a batch through the engine `emotion-lens analyze` runs (one session,
 * runBatch, documents written), in a fresh child process so that its peak RSS is its own. Prints figures;
 * asserts nothing.
 *
 *   npm run bench [-- --only images,crowd,clips,video] [--minutes 1,10] [--threads N]
 *
 * images: the 1,200 48x48 FER2013 crops of faces/fer2013-val; crowd: the same crops repeated to 10,000 inputs
 * (flat memory), and 10 of them (start-up); clips: the shared clips repeated to 60 inputs, speech on; video: a
 * long 720p clip made from the Pexels video. face-api's own pipeline (wasm) on 100 crops is timed for context.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSettings, makeRequest } from '../src/core/engine/analysisRequest';
import { AnalysisSession } from '../src/core/engine/analysisSession';
import { runBatch } from '../src/core/engine/batch/batchRun';
import { locateFfmpeg } from '../src/core/media/ffmpegTools';
import { frameFilter, frameSizeFor } from '../src/core/media/frameReader';
import type { FfmpegTools } from '../src/core/media/mediaTypes';
import { probeMedia } from '../src/core/media/probe';
import { faceApiOnImageSet } from './evaluation/faceApiReference';
import { imageSets } from './evaluation/labelledImages';
import { table } from './evaluation/tables';

const repoRoot = path.resolve(__dirname, '..');
const shared = path.resolve(repoRoot, '..', 'shared');
const mediaDir = process.env.EMOTION_LENS_MEDIA ?? path.join(shared, 'media');
const sharedModels = process.env.EMOTION_LENS_MODELS ?? path.join(shared, 'models');
const benchDir = path.join(repoRoot, '.bench');
const SPEECH_MODEL = path.join(sharedModels, 'asr_zipformer_gigaspeech_3.3M_int8');

interface ChildReport {
  inputs: number;
  frames: number;
  wallSec: number;
  peakRssMb: number;
  /** RSS when a quarter, half, three quarters and all of the inputs (or frames) were done. */
  rssAtQuartersMb: number[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      only: { type: 'string', default: 'images,crowd,clips,video' },
      minutes: { type: 'string', default: '1,10' },
      threads: { type: 'string' },
    },
  });
  const threads = values.threads ? Number(values.threads) : undefined;
  if (values.child) return runChild(readFileSync(values.child, 'utf8').split('\n').filter(Boolean), threads);

  const tools = await locateFfmpeg();
  mkdirSync(benchDir, { recursive: true });
  const only = new Set(values.only!.split(','));
  console.log(`Emotion Lens benchmark: ${os.availableParallelism()} cores, node ${process.version}, ffmpeg ${tools.version}`);
  console.log(`default models (${defaultSettings.expressionModels.join(' + ')}), ${defaultSettings.sampleFps} sampled frames/s, speech with ${path.basename(SPEECH_MODEL)}\n`);
  const rows: string[][] = [];
  const row = (what: string, report: ChildReport, rate: string, ffmpegSec?: number) => rows.push([
    what, String(report.inputs), String(report.frames), `${report.wallSec.toFixed(2)} s`, rate,
    ffmpegSec ? `${ffmpegSec.toFixed(2)} s` : '', ffmpegSec ? (report.wallSec / ffmpegSec).toFixed(2) : '',
    `${report.peakRssMb.toFixed(0)} MB`, report.rssAtQuartersMb.map((v) => v.toFixed(0)).join(' / ') + ' MB',
  ]);
  if (only.has('images')) {
    const crops = faceCrops();
    const report = await runInChild(crops, threads);
    row(`FER2013 48x48 crops`, report, `${(report.inputs / report.wallSec).toFixed(1)} images/s`);
    const reference = await faceApiOnImageSet(imageSets(mediaDir).find((s) => s.name === 'fer2013')!);
    console.log(`for context: face-api's own pipeline (tfjs wasm, one thread) on 100 crops: ${reference.imagesPerSec.toFixed(1)} images/s`);
  }
  if (only.has('crowd')) {
    for (const count of [10, 10_000]) {
      const report = await runInChild(repeated(faceCrops(), count, 'crowd'), threads);
      row(`${count.toLocaleString('en')} crops`, report, `${(report.inputs / report.wallSec).toFixed(1)} images/s`);
    }
  }
  if (only.has('clips')) {
    const clips = repeated(sharedClips(), 60, 'clips');
    const ffmpegSec = await timeFfmpegAlone(tools, clips);
    const report = await runInChild(clips, threads);
    row('shared clips x 20', report, `${(report.frames / report.wallSec).toFixed(1)} frames/s`, ffmpegSec);
  }
  if (only.has('video')) {
    const source = path.join(mediaDir, 'video', 'WolfgangLanger_Pexels_face_silent.mp4');
    for (const minutes of values.minutes!.split(',').map(Number)) {
      const clip = makeClip(tools.ffmpeg, source, minutes * 60);
      const ffmpegSec = await timeFfmpegAlone(tools, [clip]);
      const report = await runInChild([clip], threads);
      row(`720p ${minutes} min`, report, `${(report.frames / report.wallSec).toFixed(1)} frames/s`, ffmpegSec);
    }
  }
  console.log(table(['batch', 'inputs', 'frames', 'analysis', 'rate', 'ffmpeg alone', 'x ffmpeg', 'peak RSS', 'RSS at 25/50/75/100 %'], rows));
  console.log('\nanalysis: end to end (probe, models, faces in worker threads, speech, timeline, documents written), wall time, one batch.');
  console.log('ffmpeg alone: the same decode, frame selection and scaling to raw RGB written to /dev/null, as many at once as the batch runs.');
}

function faceCrops(): string[] {
  const folder = path.join(mediaDir, 'faces', 'fer2013-val');
  return readdirSync(folder).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(folder, f));
}

function sharedClips(): string[] {
  const folder = path.join(mediaDir, 'video');
  return readdirSync(folder).filter((f) => f.endsWith('.mp4')).sort().map((f) => path.join(folder, f));
}

/** `count` inputs cycling through `files`, as symbolic links with names of their own (a dataset of that size). */
function repeated(files: readonly string[], count: number, name: string): string[] {
  const dir = path.join(benchDir, `${name}-${count}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const source = files[i % files.length]!;
    const link = path.join(dir, `${String(i).padStart(5, '0')}-${path.basename(source)}`);
    symlinkSync(source, link);
    return link;
  });
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

/** ffmpeg decoding, selecting and scaling the same frames with the reader's own filter, two files at a time (as the batch runs videos). */
async function timeFfmpegAlone(tools: FfmpegTools, clips: readonly string[]): Promise<number> {
  const started = performance.now();
  const queue = [...clips];
  const worker = async (): Promise<void> => {
    for (let clip = queue.shift(); clip; clip = queue.shift()) {
      const probe = await probeMedia(tools, clip);
      const filter = frameFilter(frameSizeFor(probe, defaultSettings.maxAnalysisSide), defaultSettings.sampleFps);
      await new Promise<void>((resolve, reject) => {
        const child = spawn(tools.ffmpeg, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', clip!, '-an', '-vf', filter, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-y', '/dev/null'], { stdio: 'inherit' });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg-alone failed on ${clip}`))));
      });
    }
  };
  await Promise.all([worker(), worker()]);
  return (performance.now() - started) / 1000;
}

function runInChild(inputs: readonly string[], threads?: number): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    // The list goes through a file: 10,000 paths are more than one command-line argument may hold.
    const list = path.join(benchDir, 'inputs.txt');
    writeFileSync(list, inputs.join('\n'));
    const args = ['--import', 'tsx', __filename, '--child', list, ...(threads ? ['--threads', String(threads)] : [])];
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

/** In the child: one batch over the inputs with the default settings, RSS sampled as it goes. */
async function runChild(inputs: string[], threads?: number): Promise<void> {
  const outDir = path.join(benchDir, 'out');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const requests = inputs.map((input, i) => makeRequest(input, {
    outDir,
    outName: `${i}-${path.basename(input)}.emotion.json`,
    existingDocument: 'replace',
    speech: existsSync(SPEECH_MODEL) ? { speechModelDir: SPEECH_MODEL } : {},
    ...(threads ? { threads } : {}),
  }));
  // One input: its frames' progress; many: the share of inputs done.
  let fraction = 0;
  let done = 0;
  const samples: { fraction: number; rss: number }[] = [];
  const timer = setInterval(() => samples.push({ fraction, rss: process.memoryUsage().rss }), 100);
  const session = new AnalysisSession();
  const started = performance.now();
  const totals = await runBatch(requests, {
    session,
    signal: new AbortController().signal,
    force: true,
    threads: requests[0]!.threads,
    onEvent: (event) => {
      if (event.kind === 'progress' && event.progress.kind === 'faces' && requests.length === 1) fraction = event.progress.framesDone / Math.max(1, event.progress.framesTotal);
      if (event.kind === 'done' || event.kind === 'failed') fraction = requests.length === 1 ? 1 : ++done / requests.length;
    },
  });
  const wallSec = (performance.now() - started) / 1000;
  await session.close();
  clearInterval(timer);
  if (totals.failed > 0) throw new Error(`${totals.failed} inputs failed`);
  const at = (q: number) => (samples.find((s) => s.fraction >= q)?.rss ?? samples.at(-1)?.rss ?? 0) / 1e6;
  const report: ChildReport = {
    inputs: requests.length,
    frames: totals.frames,
    wallSec,
    // maxRSS is in kilobytes and covers the whole process, worker threads included.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssAtQuartersMb: [0.25, 0.5, 0.75, 1].map(at),
  };
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
