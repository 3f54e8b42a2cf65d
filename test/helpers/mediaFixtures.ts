/**
 * Test media made at run time with the real ffmpeg, into a folder the caller owns (use makeTempDir()).
 * Nothing here is committed; every maker is fast (small sizes, x264 ultrafast) unless its size is a parameter.
 *
 * Time-coded clips: the top half of each frame shows the frame's own presentation time (seconds from the
 * clip's first frame, in centiseconds) as TIME_CODE_BITS black/white blocks, least significant bit on the
 * left; the bottom half is mid grey. readTimeCode() decodes it from a delivered RawFrame at any scale, so a
 * test can check RawFrame.timeSec against what the frame really shows.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from '../../src/core/media/childProcess';
import { locateFfmpeg } from '../../src/core/media/ffmpegTools';
import type { RawFrame } from '../../src/core/media/mediaTypes';
import { mediaFile } from './testEnvironment';

export const TIME_CODE_BITS = 12;
/** Width and height of the time-coded clips (32 px per bit). */
export const TIME_CODE_WIDTH = 384;
export const TIME_CODE_HEIGHT = 128;

/** Why tests that need ffmpeg must be skipped here (undefined when `ffmpeg -version` runs). */
export const noFfmpegReason: string | undefined = (() => {
  const ffmpeg = process.env.EMOTION_LENS_FFMPEG || 'ffmpeg';
  const result = spawnSync(ffmpeg, ['-version'], { stdio: 'ignore' });
  return result.status === 0 ? undefined : `ffmpeg is not installed (${ffmpeg} -version failed); apt-get install ffmpeg`;
})();

/** The shared sample videos (../shared/media/video). */
export const sharedVideos = {
  pexels: (): string => mediaFile('video', 'WolfgangLanger_Pexels_face_silent.mp4'),
  obama: (): string => mediaFile('video', 'Obama_clip1_face_speech.mp4'),
  reagan: (): string => mediaFile('video', 'reagan_clip1_face_speech.mp4'),
};

/** Runs ffmpeg with an argument array (no shell); throws with ffmpeg's last stderr lines if it fails. */
export async function runFfmpeg(args: string[]): Promise<void> {
  const tools = await locateFfmpeg();
  const result = await runProcess(tools.ffmpeg, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
  if (result.code !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderrTail.trim()}`);
}

/** ffprobe's JSON for a file (for fixtures that check what they made). */
export async function probeJson(file: string): Promise<{ streams?: { side_data_list?: { rotation?: number }[] }[] }> {
  const tools = await locateFfmpeg();
  const result = await runProcess(tools.ffprobe, ['-v', 'error', '-show_streams', '-of', 'json', '-i', `file:${file}`], { collectStdout: true });
  return JSON.parse(result.stdout.toString('utf8'));
}

/** geq expression drawing the frame's time (T) as binary blocks in the top half. */
function timeCodeFilter(): string {
  const blockWidth = TIME_CODE_WIDTH / TIME_CODE_BITS;
  return `geq=lum='if(lt(Y,H/2),255*mod(floor(round(T*100)/pow(2,floor(X/${blockWidth}))),2),128)':cb=128:cr=128`;
}

/** Decodes the time code of a delivered frame (RGB, any size keeping the aspect), in seconds. */
export function readTimeCode(frame: Pick<RawFrame, 'width' | 'height' | 'data'>): number {
  let centiseconds = 0;
  const y = Math.floor(frame.height / 4);
  for (let bit = 0; bit < TIME_CODE_BITS; bit++) {
    const x = Math.floor(((bit + 0.5) * frame.width) / TIME_CODE_BITS);
    if (meanGreen(frame, x, y, 2) > 127) centiseconds += 2 ** bit;
  }
  return centiseconds / 100;
}

/** Mean green value of the (2r+1)^2 pixels around (x, y). */
export function meanGreen(frame: Pick<RawFrame, 'width' | 'height' | 'data'>, x: number, y: number, r: number): number {
  let sum = 0;
  let n = 0;
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const px = Math.min(frame.width - 1, Math.max(0, x + dx));
      const py = Math.min(frame.height - 1, Math.max(0, y + dy));
      sum += frame.data[(py * frame.width + px) * 3 + 1] ?? 0;
      n += 1;
    }
  }
  return sum / n;
}

/** Source frame numbers (of a 30 fps, 4 s source) kept by the VFR clip: 30, 10, 15 fps, then irregular. */
function vfrKeeps(n: number): boolean {
  if (n < 30) return true;
  if (n < 60) return n % 3 === 0;
  if (n < 90) return n % 2 === 0;
  return (n * 7) % 11 < 4;
}

/**
 * A 4 s variable-frame-rate clip without audio, time-coded: 30 fps for 1 s, 10 fps, 15 fps, then irregular
 * gaps (1/30 to 4/30 s). frameTimes lists every frame's true time (seconds from the start), computed here.
 */
export async function makeVfrClip(dir: string): Promise<{ file: string; frameTimes: number[] }> {
  const file = path.join(dir, 'vfr-timecoded.mp4');
  const keep = `lt(n,30)+between(n,30,59)*not(mod(n,3))+between(n,60,89)*not(mod(n,2))+gte(n,90)*lt(mod(n*7,11),4)`;
  await runFfmpeg([
    '-f', 'lavfi', '-i', `color=c=black:s=${TIME_CODE_WIDTH}x${TIME_CODE_HEIGHT}:r=30:d=4`,
    '-vf', `select='${keep}',${timeCodeFilter()}`,
    '-fps_mode', 'passthrough', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file,
  ]);
  const frameTimes: number[] = [];
  for (let n = 0; n < 120; n++) if (vfrKeeps(n)) frameTimes.push(n / 30);
  return { file, frameTimes };
}

export interface StartOffsetClip {
  file: string;
  /** Container start time: timestamps begin here, not at 0. */
  startSec: number;
  /** The 440 Hz tone starts this long after the first video frame (negative: before it). */
  audioDelaySec: number;
  /** From the first frame or sample, whichever is first, to the end (AAC adds a few ms). */
  durationSec: number;
}

/**
 * A time-coded 30 fps clip with a 440 Hz tone, whose timestamps start at startSec (not 0). The tone starts
 * audioDelaySec after the first frame (or before it, when negative). Frame times and audio sample 0 must
 * both count from the media start, so (first frame time - tone onset) = -audioDelaySec; the time code
 * shows time since the first video frame. (AAC priming moves the container start a few ms before the
 * tone when the audio comes first.)
 */
export async function makeStartOffsetClip(dir: string, startSec = 2, audioDelaySec = 0.5, durationSec = 3): Promise<StartOffsetClip> {
  const file = path.join(dir, `start-offset-${startSec}-${audioDelaySec}.mp4`);
  const videoDelay = Math.max(0, -audioDelaySec);
  const audioDelay = Math.max(0, audioDelaySec);
  await runFfmpeg([
    '-itsoffset', String(videoDelay), '-f', 'lavfi', '-i', `color=c=black:s=${TIME_CODE_WIDTH}x${TIME_CODE_HEIGHT}:r=30:d=${durationSec - videoDelay}`,
    '-itsoffset', String(audioDelay), '-f', 'lavfi', '-i', `sine=f=440:r=16000:d=${durationSec - audioDelay}`,
    '-vf', `setpts=PTS-STARTPTS,${timeCodeFilter()},setpts=PTS+${videoDelay}/TB`, '-fps_mode', 'passthrough', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-output_ts_offset', String(startSec), file,
  ]);
  return { file, startSec, audioDelaySec, durationSec };
}

/** A 2 s time-coded 30 fps clip with no audio stream. */
export async function makeClipWithoutAudio(dir: string): Promise<string> {
  const file = path.join(dir, 'no-audio.mp4');
  await runFfmpeg([
    '-f', 'lavfi', '-i', `color=c=black:s=${TIME_CODE_WIDTH}x${TIME_CODE_HEIGHT}:r=30:d=2`,
    '-vf', timeCodeFilter(), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file,
  ]);
  return file;
}

/** A 2 s 440 Hz tone (AAC) in an .mp4 with no video stream. */
export async function makeAudioOnlyFile(dir: string, name = 'audio-only.mp4'): Promise<string> {
  const file = path.join(dir, name);
  await runFfmpeg(['-f', 'lavfi', '-i', 'sine=f=440:r=16000:d=2', '-c:a', 'aac', file]);
  return file;
}

/** A Matroska file holding only a subtitle track: neither picture nor sound, nothing to analyse. */
export async function makeSubtitlesOnlyFile(dir: string): Promise<string> {
  const srt = path.join(dir, 'captions.srt');
  writeFileSync(srt, '1\n00:00:00,000 --> 00:00:02,000\nHello\n');
  const file = path.join(dir, 'subtitles-only.mkv');
  await runFfmpeg(['-i', srt, '-c:s', 'srt', file]);
  return file;
}

/** An MP3 with an embedded cover picture: its only "video" stream is cover art, which is not a video. */
export async function makeAudioWithCoverArt(dir: string): Promise<string> {
  const file = path.join(dir, 'song-with-cover.mp3');
  await runFfmpeg([
    '-f', 'lavfi', '-i', 'sine=f=440:r=16000:d=2', '-f', 'lavfi', '-i', 'color=c=red:s=64x64:d=1',
    '-map', '0:a', '-map', '1:v', '-frames:v', '1', '-c:a', 'libmp3lame', '-c:v', 'mjpeg', '-disposition:v', 'attached_pic', file,
  ]);
  return file;
}

/**
 * A 1 s phone-style clip: coded 320x180 (landscape) with a white 80x60 block in the coded top-left, and
 * rotation metadata of 90 degrees clockwise, so players show it 180x320 (portrait) with the block top-right.
 */
export async function makeRotatedClip(dir: string): Promise<string> {
  const coded = path.join(dir, 'rotated-coded.mp4');
  await runFfmpeg([
    '-f', 'lavfi', '-i', 'color=c=black:s=320x180:r=30:d=1', '-vf', 'drawbox=x=0:y=0:w=80:h=60:c=white:t=fill',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', coded,
  ]);
  return tagRotation(coded, path.join(dir, 'rotated-phone.mp4'));
}

/**
 * The Pexels face, cropped to portrait 240x360 and stored sideways (coded 360x240) with 90 degrees clockwise
 * rotation metadata: the face is upright only when the reader honours the rotation.
 */
export async function makeRotatedFaceClip(dir: string, seconds = 4, fromSec = 9): Promise<string> {
  const coded = path.join(dir, 'rotated-face-coded.mp4');
  await runFfmpeg([
    '-ss', String(fromSec), '-i', sharedVideos.pexels(), '-t', String(seconds), '-an',
    '-vf', 'crop=240:360:330:0,transpose=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', coded,
  ]);
  return tagRotation(coded, path.join(dir, 'rotated-face.mp4'));
}

/**
 * Adds "display rotated 90 degrees clockwise" to a clip (stream copy). ffmpeg versions disagree on the sign of
 * the legacy `rotate` tag, so each spelling is tried and the one ffprobe reads back as clockwise 90 is kept.
 */
async function tagRotation(coded: string, file: string): Promise<string> {
  for (const tag of ['270', '90']) {
    await runFfmpeg(['-i', coded, '-c', 'copy', '-metadata:s:v:0', `rotate=${tag}`, file]);
    const json = await probeJson(file);
    const rotation = json.streams?.[0]?.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
    if (rotation === -90 || rotation === 270) return file;
  }
  throw new Error('this ffmpeg cannot write rotation metadata with -metadata:s:v:0 rotate=...');
}

/** A short 3840x2160 30 fps test pattern clip (about 3 s of work per second of clip here). */
export async function make4kClip(dir: string, seconds = 1): Promise<string> {
  const file = path.join(dir, `uhd-${seconds}s.mp4`);
  await runFfmpeg(['-f', 'lavfi', '-i', `testsrc2=s=3840x2160:r=30:d=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
  return file;
}

/** The Pexels video looped and scaled to the given length and size (H.264 + AAC), e.g. 60 s 1280x720 for the benchmark. */
export async function makeLoopedClip(dir: string, seconds: number, width: number, height: number): Promise<string> {
  const file = path.join(dir, `looped-${seconds}s-${width}x${height}.mp4`);
  await runFfmpeg([
    '-stream_loop', '-1', '-i', sharedVideos.pexels(), '-t', String(seconds),
    '-vf', `scale=${width}:${height},setsar=1`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k', file,
  ]);
  return file;
}

/** Obama (left) and Reagan (right) side by side: a 512x256 clip with two faces, Obama's audio, as long as the shorter. */
export async function makeTwoFaceClip(dir: string, seconds = 20): Promise<string> {
  const file = path.join(dir, 'two-faces.mp4');
  await runFfmpeg([
    '-i', sharedVideos.obama(), '-i', sharedVideos.reagan(), '-t', String(seconds),
    '-filter_complex', '[0:v][1:v]hstack=inputs=2:shortest=1[v]', '-map', '[v]', '-map', '0:a',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', file,
  ]);
  return file;
}

/** Frame grabs of the Pexels video at atSec (default 10 s: the woman laughing) as JPEG and PNG. */
export async function makeStillImages(dir: string, atSec = 10): Promise<{ jpg: string; png: string }> {
  const jpg = path.join(dir, 'still.jpg');
  const png = path.join(dir, 'still.png');
  await runFfmpeg(['-ss', String(atSec), '-i', sharedVideos.pexels(), '-frames:v', '1', '-q:v', '3', jpg]);
  await runFfmpeg(['-ss', String(atSec), '-i', sharedVideos.pexels(), '-frames:v', '1', png]);
  return { jpg, png };
}

/** An empty file named like a video. */
export function makeZeroByteMp4(dir: string): string {
  const file = path.join(dir, 'empty.mp4');
  writeFileSync(file, new Uint8Array(0));
  return file;
}

/** Reproducible pseudo-random bytes named like a video (xorshift32, so every run gets the same bytes). */
export function makeRandomBytesMp4(dir: string, size = 100_000): string {
  const file = path.join(dir, 'random-bytes.mp4');
  const bytes = new Uint8Array(size);
  let state = 0x2545f491;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  writeFileSync(file, bytes);
  return file;
}

/**
 * A video (the Pexels one unless `from` is given) cut short as an interrupted copy leaves it: its first
 * `fraction` of bytes (default a half). 'moov-first' (the shared files' own layout): the index survives, so the
 * first part still decodes (~9.5 s of Pexels) while the header promises the whole length. 'moov-last' (a plain
 * ffmpeg remux puts the index at the end): the index is lost and the file cannot be opened at all.
 */
export async function makeTruncatedMp4(
  dir: string,
  layout: 'moov-first' | 'moov-last',
  cut: { from?: string; fraction?: number; name?: string } = {},
): Promise<string> {
  let source = cut.from ?? sharedVideos.pexels();
  if (layout === 'moov-last') {
    const remuxed = path.join(dir, 'remuxed-moov-last.mp4');
    await runFfmpeg(['-i', source, '-c', 'copy', remuxed]);
    source = remuxed;
  }
  const whole = readFileSync(source);
  const file = path.join(dir, cut.name ?? `truncated-${layout}.mp4`);
  writeFileSync(file, whole.subarray(0, Math.floor(whole.length * (cut.fraction ?? 1 / 2))));
  return file;
}

/**
 * Copies of a video under names that break naive shell use: spaces, unicode, quotes, `$(...)` and backticks,
 * a leading dash, `%d`. `$(touch <dir>/pwned)` contains slashes, so it becomes nested folders: the full path
 * still reads `.../$(touch .../pwned).mp4`. pwnedMarkers are the files a shell would have created (plus
 * /tmp/pwned, which a test should only check when it did not exist before).
 */
export function copyWithOddNames(dir: string, source: string): { files: string[]; pwnedMarkers: string[] } {
  const marker = path.join(dir, 'pwned');
  const names = [
    'with spaces in name.mp4',
    'ünïcödé 映像 😀.mp4',
    `quote's "double".mp4`,
    '$(touch pwned-relative).mp4',
    '`touch pwned-backtick`.mp4',
    '-starts-with-dash.mp4',
    'percent%d and %03d.mp4',
    `$(touch ${marker}).mp4`,
    '$(touch /tmp/pwned).mp4',
  ];
  const files = names.map((name) => {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(source, file);
    return file;
  });
  return { files, pwnedMarkers: [marker, path.join(dir, 'pwned-relative'), path.join(dir, 'pwned-backtick'), '/tmp/pwned'] };
}

/** A folder named `clip.mp4/` (a folder, not a video) holding a copy of the given video as inner.mp4. */
export function makeFolderNamedLikeVideo(dir: string, source: string): { folder: string; inner: string } {
  const folder = path.join(dir, 'clip.mp4');
  mkdirSync(folder, { recursive: true });
  const inner = path.join(folder, 'inner.mp4');
  copyFileSync(source, inner);
  return { folder, inner };
}
