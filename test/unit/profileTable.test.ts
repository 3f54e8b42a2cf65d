import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileTable } from '../../src/cli/profileTable';
import { processCpuSeconds, StageProfile } from '../../src/core/profiling/stageProfile';

describe('StageProfile and the --profile table', () => {
  it('sums busy seconds per stage, largest first, and ignores nothing-measured stages', () => {
    const profile = new StageProfile();
    profile.add('detection: YuNet', 1.5);
    profile.addMs({ 'expression: a': 500, 'detection: YuNet': 500 });
    profile.add('negative clock skew', -0.1);
    assert.equal(profile.time('tracking', () => 42), 42);
    assert.deepEqual(profile.entries().map((e) => e.stage).slice(0, 2), ['detection: YuNet', 'expression: a']);
    assert.equal(profile.seconds('detection: YuNet'), 2);
    assert.equal(profile.seconds('negative clock skew'), 0);
  });

  it('prints shares, per-frame costs and what the cores offered', () => {
    const table = profileTable({ wallSec: 10, stages: [{ stage: 'detection: YuNet', seconds: 6 }, { stage: 'tracking', seconds: 2 }], processCpuSec: 7, ffmpegCpuSec: 1, coreBusy: [0.5, 0.3], peakRssMb: 321 }, 200);
    assert.match(table, /10\.00 s wall on 2 cores \(busy 50 %, 30 %\), peak memory 321 MB/);
    assert.match(table, /detection: YuNet +6\.00 +75\.0 % +30\.00/);
    assert.match(table, /all stages +8\.00 +100\.0 % +40\.00/);
    assert.match(table, /Emotion Lens used 7\.00 CPU s and ffmpeg 1\.00, of 20\.00 core-seconds available/);
  });

  it('reads a running process\'s CPU time from /proc (this one, on Linux)', { skip: process.platform !== 'linux' && 'no /proc' }, () => {
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += Math.sqrt(i);
    assert.ok(x > 0);
    const seconds = processCpuSeconds(process.pid) ?? -1;
    assert.ok(seconds > 0 && seconds < 3600, `${seconds} s`);
    assert.equal(processCpuSeconds(2 ** 22 + 12345), undefined, 'no such process');
  });
});
