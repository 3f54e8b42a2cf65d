// cli/progressDisplay.ts: the terminal's live line and the log's plain lines, for one input and for a batch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchProgressDisplay, ProgressDisplay } from '../../src/cli/progressDisplay';
import { formatDuration as formatClock } from '../../src/shared/textFormat';

describe('ProgressDisplay', () => {
  it('draws a bar with frames done, total and an ETA on a terminal', () => {
    let now = 0;
    const written: string[] = [];
    const display = new ProgressDisplay({ isTTY: true, columns: 120, write: (t) => written.push(t) }, 'clip.mp4', () => now);
    now = 10_000;
    display.update({ kind: 'faces', framesDone: 50, framesTotal: 200, mediaSec: 10, durationSec: 40 });
    const line = written.at(-1)!;
    assert.match(line, /^\r\x1b\[2K\[######\.{18}\] 50\/200 frames {2}ETA 0:30 {2}clip\.mp4$/);
  });

  it('prints plain lines without control characters when not on a terminal, one per tenth', () => {
    const written: string[] = [];
    const display = new ProgressDisplay({ isTTY: false, write: (t) => written.push(t) }, 'clip.mp4');
    for (let done = 1; done <= 100; done++) display.update({ kind: 'faces', framesDone: done, framesTotal: 100, mediaSec: done / 5, durationSec: 20 });
    assert.equal(written.length, 11);
    assert.ok(written.every((line) => !/[\r\x1b]/.test(line) && line.endsWith('\n')));
  });

  it('formats clock times', () => {
    assert.equal(formatClock(5), '0:05');
    assert.equal(formatClock(190), '3:10');
    assert.equal(formatClock(3725), '1:02:05');
  });
});

describe('BatchProgressDisplay', () => {
  it('shows inputs done of total, frames per second and an ETA over the batch, in flight inputs counted in part', () => {
    let now = 0;
    const written: string[] = [];
    const display = new BatchProgressDisplay({ isTTY: true, columns: 140, write: (t) => written.push(t) }, 10, () => now);
    display.start(0, 'a.mp4');
    now = 5000;
    display.update(0, { kind: 'faces', framesDone: 100, framesTotal: 100, mediaSec: 20, durationSec: 20 });
    display.finish(0, 100);
    display.start(1, 'b.mp4');
    now = 10_000;
    display.update(1, { kind: 'faces', framesDone: 50, framesTotal: 100, mediaSec: 10, durationSec: 20 });
    // 1.5 of 10 inputs in 10 s: 56.7 s left; 150 frames in 10 s.
    assert.match(written.at(-1)!, /^\r\x1b\[2K\[####\.{20}\] 1\/10 inputs {2}15\.0 frames\/s {2}ETA 0:57 {2}b\.mp4$/);
  });

  it('in a log, one plain line per tenth of the batch', () => {
    const written: string[] = [];
    const display = new BatchProgressDisplay({ isTTY: false, write: (t) => written.push(t) }, 20);
    for (let i = 0; i < 20; i++) {
      display.start(i, `${i}.jpg`);
      display.finish(i, 1);
    }
    assert.equal(written.length, 10);
    assert.ok(written.every((line) => /^ {2}batch: \d+\/20 inputs/.test(line) && !/[\r\x1b]/.test(line)));
  });
});
