// Finds ffmpeg and ffprobe: an explicit path (CLI flag / extension setting), then the environment, then PATH,
// each checked by running `-version` so a wrong binary fails here with a clear message, not mid-analysis.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { EmotionLensError } from '../errors';
import { fixNames } from '../fixNames';
import { runProcess } from './childProcess';
import type { FfmpegTools } from './mediaTypes';

export interface LocateFfmpegOptions {
  /** ffmpeg executable (path, or a command name looked up in PATH). */
  ffmpegPath?: string;
  /** ffprobe executable; by default the one beside ffmpeg, else PATH. */
  ffprobePath?: string;
  /** Environment to read EMOTION_LENS_FFMPEG / EMOTION_LENS_FFPROBE and PATH from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** What to do about a missing or broken ffmpeg, in the words of the face in use. */
export function ffmpegInstallHint(): string {
  return `Install it (Debian/Ubuntu: sudo apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg) or set ${fixNames().ffmpegLocation}`;
}

const cache = new Map<string, Promise<FfmpegTools>>();

/** Locates and verifies ffmpeg + ffprobe; the answer is cached per process for the same options. */
export function locateFfmpeg(options: LocateFfmpegOptions = {}): Promise<FfmpegTools> {
  const env = options.env ?? process.env;
  const key = JSON.stringify([options.ffmpegPath, options.ffprobePath, env.EMOTION_LENS_FFMPEG, env.EMOTION_LENS_FFPROBE, env.PATH ?? env.Path]);
  let found = cache.get(key);
  if (!found) {
    found = locateUncached(options, env);
    cache.set(key, found);
    // A failure is not cached: the user may install ffmpeg and try again in the same session.
    found.catch(() => cache.delete(key));
  }
  return found;
}

/** Forgets earlier answers (tests, or after the user changed the setting). */
export function clearFfmpegCache(): void {
  cache.clear();
}

async function locateUncached(options: LocateFfmpegOptions, env: NodeJS.ProcessEnv): Promise<FfmpegTools> {
  const ffmpegChoice = nonEmpty(options.ffmpegPath) ?? nonEmpty(env.EMOTION_LENS_FFMPEG);
  const ffmpeg = ffmpegChoice ? resolveExecutable(ffmpegChoice, env) : findInPath('ffmpeg', env);
  if (!ffmpeg) throw missing('ffmpeg', ffmpegChoice);

  const ffprobeChoice = nonEmpty(options.ffprobePath) ?? nonEmpty(env.EMOTION_LENS_FFPROBE);
  const ffprobe = ffprobeChoice
    ? resolveExecutable(ffprobeChoice, env)
    : (findBeside(ffmpeg, 'ffprobe', env) ?? findInPath('ffprobe', env));
  if (!ffprobe) throw missing('ffprobe', ffprobeChoice);

  // Both checked at once (each start costs about 0.1 s of wall time); ffmpeg's failure is the one reported first.
  const [ffmpegVersion, ffprobeVersion] = await Promise.allSettled([readVersion(ffmpeg, 'ffmpeg'), readVersion(ffprobe, 'ffprobe')]);
  if (ffmpegVersion.status === 'rejected') throw ffmpegVersion.reason;
  if (ffprobeVersion.status === 'rejected') throw ffprobeVersion.reason;
  return { ffmpeg, ffprobe, version: ffmpegVersion.value };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}

async function readVersion(program: string, name: 'ffmpeg' | 'ffprobe'): Promise<string> {
  let output = '';
  try {
    const result = await runProcess(program, ['-hide_banner', '-version'], { collectStdout: true, maxStdoutBytes: 1024 * 1024 });
    output = result.code === 0 ? result.stdout.toString('utf8') : '';
  } catch {
    output = '';
  }
  const match = new RegExp(`^${name} version (\\S+)`, 'm').exec(output);
  if (!match?.[1]) {
    throw new EmotionLensError('ffmpeg-missing', `is not a working ${name} (\`${name} -version\` failed)`, program, ffmpegInstallHint());
  }
  return match[1];
}

function missing(name: 'ffmpeg' | 'ffprobe', chosen: string | undefined): EmotionLensError {
  if (chosen) return new EmotionLensError('ffmpeg-missing', `${name} was not found or is not executable`, chosen, ffmpegInstallHint());
  return new EmotionLensError('ffmpeg-missing', `${name} was not found on PATH`, undefined, ffmpegInstallHint());
}

/** A path is used as given (made absolute); a bare command name is looked up in PATH. */
function resolveExecutable(choice: string, env: NodeJS.ProcessEnv): string | undefined {
  const isBareName = !choice.includes('/') && !choice.includes('\\');
  if (isBareName) return findInPath(choice, env);
  const full = path.resolve(choice);
  return executableVariants(full, env).find(isExecutableFile);
}

function findBeside(ffmpeg: string, name: string, env: NodeJS.ProcessEnv): string | undefined {
  return executableVariants(path.join(path.dirname(ffmpeg), name), env).find(isExecutableFile);
}

function findInPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const searchPath = env.PATH ?? env.Path ?? '';
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const hit = executableVariants(path.join(dir, name), env).find(isExecutableFile);
    if (hit) return hit;
  }
  return undefined;
}

/** On Windows a command may be written without its extension (ffmpeg -> ffmpeg.exe). */
function executableVariants(file: string, env: NodeJS.ProcessEnv): string[] {
  if (process.platform !== 'win32' || path.extname(file) !== '') return [file];
  const extensions = (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean);
  return [file, ...extensions.map((ext) => file + ext.toLowerCase())];
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
