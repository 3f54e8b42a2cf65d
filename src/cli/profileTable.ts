/** `analyze --profile`: the session's profile as a table a person reads (CPU seconds per stage, cores, memory). */
import type { ProfileReport } from '../core/profiling/stageProfile';

export function profileTable(report: ProfileReport, frames: number): string {
  const busy = report.stages.reduce((sum, s) => sum + s.seconds, 0);
  const available = report.wallSec * report.coreBusy.length;
  const width = Math.max(...report.stages.map((s) => s.stage.length), 10);
  const cores = report.coreBusy.map((b) => `${Math.round(b * 100)} %`).join(', ');
  const lines = [
    `profile: ${report.wallSec.toFixed(2)} s wall on ${report.coreBusy.length} cores (busy ${cores}), peak memory ${report.peakRssMb.toFixed(0)} MB`,
    `  ${'stage'.padEnd(width)}  ${'CPU s'.padStart(8)}  ${'share'.padStart(6)}${frames > 0 ? `  ${'ms/frame'.padStart(8)}` : ''}`,
    ...report.stages.map((s) => row(s.stage, s.seconds, busy, frames, width)),
    row('all stages', busy, busy, frames, width),
    `  (Emotion Lens used ${report.processCpuSec.toFixed(2)} CPU s and ffmpeg ${report.ffmpegCpuSec.toFixed(2)}, of ${available.toFixed(2)} core-seconds available: ${report.coreBusy.length} cores x ${report.wallSec.toFixed(2)} s)`,
  ];
  return lines.join('\n');
}

function row(stage: string, seconds: number, total: number, frames: number, width: number): string {
  const share = total > 0 ? `${((seconds / total) * 100).toFixed(1)} %` : '';
  const perFrame = frames > 0 ? `  ${((seconds * 1000) / frames).toFixed(2).padStart(8)}` : '';
  return `  ${stage.padEnd(width)}  ${seconds.toFixed(2).padStart(8)}  ${share.padStart(6)}${perFrame}`;
}
