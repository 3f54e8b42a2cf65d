/** How the panel writes sample times and shares (lengths and counts: src/shared/textFormat.ts). Pure. */

/** `m:ss.ss` (or `h:mm:ss.ss` past an hour): a sample's time precisely enough to find it again. */
export function formatClock(sec: number): string {
  const safe = Math.max(0, sec);
  const hours = Math.floor(safe / 3600);
  const minutes = Math.floor((safe % 3600) / 60);
  const seconds = (safe % 60).toFixed(2).padStart(5, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function formatPercent(value: number): string {
  return `${Math.round(value * 100)}%`;
}
