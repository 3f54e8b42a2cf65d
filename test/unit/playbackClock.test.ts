import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlaybackClock } from '../../src/webview/playbackClock';

/** A hand-driven time source (ms), so the clock's arithmetic is checked exactly. */
function fakeTime(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('the panel clock (playback without a playable video)', () => {
  it('runs in real time from where it was started and holds still when paused', () => {
    const time = fakeTime();
    const clock = new PlaybackClock(60, time.now);
    clock.seek(10);
    time.advance(5000);
    assert.equal(clock.timeSec, 10, 'paused: time does not move');
    assert.equal(clock.play(), true);
    time.advance(1500);
    assert.equal(clock.tick(), 11.5);
    assert.equal(clock.playing, true);
    clock.pause();
    time.advance(10_000);
    assert.equal(clock.timeSec, 11.5, 'paused again: held');
    assert.equal(clock.toggle(), true);
    time.advance(250);
    assert.equal(clock.timeSec, 11.75);
    assert.equal(clock.toggle(), false);
  });

  it('seeks while running and keeps running from there', () => {
    const time = fakeTime();
    const clock = new PlaybackClock(60, time.now);
    clock.play();
    time.advance(2000);
    clock.seek(30);
    assert.equal(clock.timeSec, 30);
    time.advance(1000);
    assert.equal(clock.tick(), 31);
    clock.seek(-4);
    assert.equal(clock.timeSec, 0, 'clamped to the start');
    clock.seek(1e9);
    assert.equal(clock.timeSec, 60, 'clamped to the end');
  });

  it('stops at the end, and starts over when played again from there', () => {
    const time = fakeTime();
    const clock = new PlaybackClock(3, time.now);
    clock.seek(2);
    clock.play();
    time.advance(800);
    assert.equal(clock.tick(), 2.8);
    assert.equal(clock.playing, true);
    time.advance(5000);
    assert.equal(clock.tick(), 3, 'never past the end');
    assert.equal(clock.playing, false, 'stopped by the tick that reached the end');
    time.advance(1000);
    assert.equal(clock.timeSec, 3);
    clock.play();
    assert.equal(clock.timeSec, 0, 'from the start again');
    time.advance(500);
    assert.equal(clock.tick(), 0.5);
  });

  it('cannot play media without a length (a single image), and follows a new duration', () => {
    const time = fakeTime();
    const clock = new PlaybackClock(0, time.now);
    assert.equal(clock.play(), false);
    assert.equal(clock.playing, false);
    clock.setDuration(10);
    clock.seek(8);
    clock.setDuration(5);
    assert.equal(clock.timeSec, 5, 'a shorter media clamps the time');
    clock.play();
    clock.setDuration(0);
    assert.equal(clock.playing, false);
  });

  it('plays at another rate', () => {
    const time = fakeTime();
    const clock = new PlaybackClock(100, time.now, 2);
    clock.play();
    time.advance(1000);
    assert.equal(clock.tick(), 2);
  });
});
