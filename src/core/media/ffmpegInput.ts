// How a user's file is named to ffmpeg/ffprobe, and how their stderr becomes a one-line reason.
import path from 'node:path';
import { isImagePath } from './inputFiles';

/**
 * Input arguments for one file. `file:` keeps names like `http:x.mp4` or `concat:a|b` from being read as
 * protocols; an image whose name contains `%` is forced to a single file, not an image-sequence pattern.
 */
export function ffmpegInputArgs(file: string): string[] {
  const full = path.resolve(file);
  if (isImagePath(full) && full.includes('%')) return ['-f', 'image2', '-pattern_type', 'none', '-i', full];
  return ['-i', `file:${full}`];
}

/** The most telling line of ffmpeg's stderr, without the `[demuxer @ 0x...]` prefix or the file name. */
export function ffmpegReason(stderrTail: string, file: string): string {
  const full = path.resolve(file);
  const lines = stderrTail
    .split('\n')
    .map((line) => line.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '').split(`file:${full}: `).join('').split(`${full}: `).join('').trim())
    .filter((line) => line !== '' && !/^(frame|video|size)=|^Input #|^Output #|^Stream mapping|^\s*Stream #|^Press \[q\]/.test(line));
  const errorLike = [...lines].reverse().find((line) => /error|invalid|not found|no such|partial|corrupt|unsupported|cannot|could not|failed|denied/i.test(line));
  const reason = errorLike ?? lines[lines.length - 1] ?? 'no error message';
  return reason.length > 160 ? `${reason.slice(0, 157)}...` : reason;
}
