/**
 * `npm run bench`: speed and memory of the product on datasets, each beside ffmpeg alone decoding the same
 * frames in the same run. Every measurement is the CLI a user runs, `emotion-lens analyze <folder> --profile
 * --json` (dist/cli.js, default settings but speech off, as the speed goals are stated), in a child process of
 * its own; its profile (CPU seconds per stage over every thread and ffmpeg) is printed per scenario. Prints
 * figures; asserts nothing.
 *
 *   npm run bench [-- --only video,clips,images,crowd] [--minutes 1,10] [--threads N] [--note "under load"]
 *
 * video: a 720p clip made from the Pexels video (1 minute by default), with face geometry and again with
 * --no-geometry; clips: the shared clips and clips/mead-dev repeated to 60 inputs; images: the 1,200 48x48
 * FER2013 crops of faces/fer2013-val; crowd: the same crops repeated to 10,000 inputs (flat memory), and 10 of
 * them (start-up). face-api's own pipeline (wasm) on 100 crops is timed for context.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSettings } from '../src/core/engine/analysisRequest';
import { locateFfmpeg } from '../src/core/media/ffmpegTools';
import { frameFilter, frameSizeFor } from '../src/core/media/frameReader';
import type { FfmpegTools } from '../src/core/media/mediaTypes';
import { probeMedia } from '../src/core/media/probe';
import type { ProfileReport } from '../src/core/profiling/stageProfile';
import { profileTable } from '../src/cli/profileTable';
import { faceApiOnImageSet } from './evaluation/faceApiReference';
import { imageSets } from './evaluation/labelledImages';
import { table } from './evaluation/tables';

const repoRoot = path.resolve(__dirname, '..');
const shared = path.resolve(repoRoot, '..', 'shared');
const mediaDir = process.env.EMOTION_LENS_MEDIA ?? path.join(shared, 'media');
const benchDir = path.join(repoRoot, '.bench');
const cli = path.join(repoRoot, 'dist', 'cli.js');

/** What one `analyze` run gave: its own figures and the profile it printed. */
interface CliRun {
  inputs: number;
  frames: number;
  faces: number;
  /** Wall time of the whole command, start-up included (what a user waits). */
  wallSec: number;
  profile: ProfileReport;
  /** The command's resident memory when a tenth, a quarter, half, three quarters and all of the work was done, MB. */
  rssAtQuartersMb: number[];
}

interface Scenario {
  name: string;
  inputs: string[];
  /** Extra CLI options (--no-geometry). */
  options?: string[];
  /** Frames/s for videos, images/s for images. */
  unit: 'frames' | 'images';
  ffmpegSec?: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', default: 'video,clips,images,crowd' },
      minutes: { type: 'string', default: '1' },
      threads: { type: 'string' },
      note: { type: 'string' },
    },
  });
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`node esbuild.js\` first (npm run bench does)`);
  const tools = await locateFfmpeg();
  mkdirSync(benchDir, { recursive: true });
  const only = new Set(values.only!.split(','));
  const extra = values.threads ? ['--threads', values.threads] : [];
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(`Emotion Lens benchmark: ${os.availableParallelism()} cores (load average ${load} at start), node ${process.version}, ffmpeg ${tools.version}${values.note ? ` — ${values.note}` : ''}`);
  console.log(`\`emotion-lens analyze <folder> --no-speech --profile --json\`: default models (${defaultSettings.expressionModels.join(' + ')}), ${defaultSettings.sampleFps} sampled frames/s, voice and face geometry on\n`);

  const scenarios: Scenario[] = [];
  if (only.has('video')) {
    const source = path.join(mediaDir, 'video', 'WolfgangLanger_Pexels_face_silent.mp4');
    for (const minutes of values.minutes!.split(',').map(Number)) {
      const folder = linkFolder([makeClip(tools.ffmpeg, source, minutes * 60)], 1, `video-${minutes}min`);
      const ffmpegSec = await timeFfmpegAlone(tools, folder.inputs);
      scenarios.push({ name: `720p ${minutes} min`, inputs: folder.inputs, unit: 'frames', ffmpegSec });
      scenarios.push({ name: `720p ${minutes} min, --no-geometry`, inputs: folder.inputs, options: ['--no-geometry'], unit: 'frames', ffmpegSec });
    }
  }
  if (only.has('clips')) {
    const folder = linkFolder([...sharedClips(), ...meadClips()], 60, 'clips');
    scenarios.push({ name: 'shared + mead-dev clips x 60', inputs: folder.inputs, unit: 'frames', ffmpegSec: await timeFfmpegAlone(tools, folder.inputs) });
  }
  if (only.has('images')) scenarios.push({ name: 'FER2013 48x48 crops', inputs: linkFolder(faceCrops(), 1200, 'images').inputs, unit: 'images' });
  if (only.has('crowd')) {
    for (const count of [10, 10_000]) scenarios.push({ name: `${count.toLocaleString('en')} crops`, inputs: linkFolder(faceCrops(), count, `crowd-${count}`).inputs, unit: 'images' });
  }

  const rows: string[][] = [];
  for (const scenario of scenarios) {
    const run = await runCli(scenario, extra);
    rows.push(summaryRow(scenario, run));
    console.log(`── ${scenario.name}: ${scenario.inputs.length} input(s), ${run.frames} frames, ${run.faces} faces, ${run.wallSec.toFixed(2)} s`);
    console.log(profileTable(run.profile, run.frames));
    const geometry = geometryCpuSec(run.profile);
    if (geometry > 0 && run.faces > 0) console.log(`  geometry (every "geometry:" stage): ${geometry.toFixed(2)} CPU s, ${((geometry * 1000) / run.faces).toFixed(2)} ms per face\n`);
    else console.log('');
  }
  if (only.has('images')) {
    const reference = await faceApiOnImageSet(imageSets(mediaDir).find((s) => s.name === 'fer2013')!);
    console.log(`for context: face-api's own pipeline (tfjs wasm, one thread) on 100 crops: ${reference.imagesPerSec.toFixed(1)} images/s\n`);
  }
  console.log(table(['scenario', 'inputs', 'frames', 'faces', 'wall', 'rate', 'ffmpeg alone', 'x ffmpeg', 'CPU s ours', 'CPU s ffmpeg', 'peak RSS', 'RSS at 10/25/50/75/100 %'], rows));
  console.log('\nwall: the whole `analyze` command (start-up, models, documents written). ffmpeg alone: the same decode, frame selection');
  console.log('and scaling to raw RGB written to /dev/null, two files at a time as the batch runs them. CPU s: from the profile.');
}

function summaryRow(scenario: Scenario, run: CliRun): string[] {
  const count = scenario.unit === 'images' ? run.inputs : run.frames;
  const { ffmpegSec } = scenario;
  return [
    scenario.name, String(run.inputs), String(run.frames), String(run.faces), `${run.wallSec.toFixed(2)} s`,
    `${(count / run.wallSec).toFixed(1)} ${scenario.unit}/s`,
    ffmpegSec ? `${ffmpegSec.toFixed(2)} s` : '', ffmpegSec ? `${(run.wallSec / ffmpegSec).toFixed(2)}x` : '',
    run.profile.processCpuSec.toFixed(2), run.profile.ffmpegCpuSec.toFixed(2),
    `${run.profile.peakRssMb.toFixed(0)} MB`, `${run.rssAtQuartersMb.map((v) => v.toFixed(0)).join(' / ')} MB`,
  ];
}

function geometryCpuSec(profile: ProfileReport): number {
  return profile.stages.filter((s) => s.stage.startsWith('geometry')).reduce((sum, s) => sum + s.seconds, 0);
}

function faceCrops(): string[] {
  const folder = path.join(mediaDir, 'faces', 'fer2013-val');
  return readdirSync(folder).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(folder, f));
}

function sharedClips(): string[] {
  const folder = path.join(mediaDir, 'video');
  return readdirSync(folder).filter((f) => f.endsWith('.mp4')).sort().map((f) => path.join(folder, f));
}

function meadClips(): string[] {
  const folder = path.join(mediaDir, 'clips', 'mead-dev');
  return existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.mp4')).sort().map((f) => path.join(folder, f)) : [];
}

/** A folder of `count` inputs cycling through `files`, as symbolic links with names of their own (a dataset of that size). */
function linkFolder(files: readonly string[], count: number, name: string): { folder: string; inputs: string[] } {
  const folder = path.join(benchDir, 'inputs', name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const inputs = Array.from({ length: count }, (_, i) => {
    const source = files[i % files.length]!;
    const link = path.join(folder, `${String(i).padStart(5, '0')}-${path.basename(source)}`);
    symlinkSync(source, link);
    return link;
  });
  return { folder, inputs };
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

/**
 * Runs `emotion-lens analyze` on the scenario's folder as a user would (documents into a folder of their own),
 * sampling the command's resident memory as the inputs (or, for one input, its frames) are done.
 */
function runCli(scenario: Scenario, extra: readonly string[]): Promise<CliRun> {
  const outDir = path.join(benchDir, 'out');
  rmSync(outDir, { recursive: true, force: true });
  const folder = path.dirname(scenario.inputs[0]!);
  const args = [cli, 'analyze', folder, '--out', outDir, '--replace', '--force', '--no-speech', '--profile', '--json', ...(scenario.options ?? []), ...extra];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const samples: { fraction: number; rss: number }[] = [];
    let fraction = 0;
    let done = 0;
    let frames = 0;
    let faces = 0;
    let profile: ProfileReport | undefined;
    const failures: string[] = [];
    const timer = setInterval(() => {
      // A process that is exiting has no resident set left to read (0): that is no sample.
      const rss = residentMb(child.pid);
      if (rss > 0) samples.push({ fraction, rss });
    }, 100);
    lines(child.stdout, (line) => {
      const record = JSON.parse(line) as { ok?: boolean; frames?: number; facesFound?: number; message?: string; profile?: ProfileReport };
      if (record.profile) profile = record.profile;
      else if (record.ok) {
        frames += record.frames ?? 0;
        faces += record.facesFound ?? 0;
        fraction = ++done / scenario.inputs.length;
      } else failures.push(record.message ?? line);
    });
    // With --json the progress goes to stderr; one input's "n/m frames" gives the fraction done.
    let stderrTail = '';
    lines(child.stderr, (line) => {
      const progress = /(\d+)\/(\d+) frames/.exec(line);
      if (progress && scenario.inputs.length === 1) fraction = Number(progress[1]) / Math.max(1, Number(progress[2]));
      else stderrTail = `${stderrTail}${line}\n`.slice(-2000);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      const wallSec = (performance.now() - started) / 1000;
      if (code !== 0 || !profile || failures.length > 0) return reject(new Error(`analyze failed (exit ${code}) on ${scenario.name}: ${failures.slice(0, 3).join('; ')}\n${stderrTail}`));
      const at = (q: number) => samples.find((s) => s.fraction >= q)?.rss ?? samples.at(-1)?.rss ?? 0;
      resolve({ inputs: scenario.inputs.length, frames, faces, wallSec, profile, rssAtQuartersMb: [0.1, 0.25, 0.5, 0.75, 1].map(at) });
    });
  });
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let partial = '';
  stream.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split(/\r?\n|\r/);
    partial = parts.pop() ?? '';
    for (const line of parts) if (line.trim()) onLine(line);
  });
  stream.on('end', () => partial.trim() && onLine(partial));
}

/** A running process's resident memory (Linux /proc), MB; 0 once it is gone. */
function residentMb(pid: number | undefined): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
