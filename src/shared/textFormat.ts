/** How every face of Emotion Lens (CLI, extension, panel) writes lengths, sizes and counts. Pure. */

/** `1:05` or `1:02:05`: a length of media or of a run, to the second. */
export function formatDuration(sec: number): string {
  const whole = Math.round(Math.max(0, sec));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const seconds = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** 18000 -> "18,000", with a fixed separator: messages and tests do not depend on the locale. */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A point in media to a tenth of a second: `8.1 s` under a minute, else `12:34.5` or `1:02:05.3`. */
export function formatSeconds(sec: number): string {
  const tenths = Math.round(Math.max(0, sec) * 10);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const whole = Math.floor(tenths / 10);
  return `${formatDuration(whole)}.${tenths % 10}`;
}

/** A point in media as a clock to a tenth of a second: `0:01.2`, `1:05.1`, `1:02:05.3` (tables line up on it). */
export function formatClock(sec: number): string {
  const tenths = Math.round(Math.max(0, sec) * 10);
  const hours = Math.floor(tenths / 36000);
  const minutes = Math.floor((tenths % 36000) / 600);
  const seconds = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** "1 face", "18,000 faces", "2 people": a count and its noun. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** A fraction as a percentage to a tenth, the way accuracies are reported: 0.62 -> "62.0 %". */
export function formatShare(fraction: number): string {
  return `${(100 * fraction).toFixed(1)} %`;
}
