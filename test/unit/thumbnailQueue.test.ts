// The label table's thumbnail policy (thumbnailQueue.ts): visible rows first, stale requests dropped, a
// bounded number running, a bounded LRU cache, and the crop rectangle scaled to the video's intrinsic size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ThumbnailJob } from '../../src/webview/thumbnailQueue';
import { LruCache, thumbnailSourceRect, ThumbnailQueue, visibleFirst } from '../../src/webview/thumbnailQueue';

function job(frameIndex: number, trackId = 1): ThumbnailJob {
  return { key: `${frameIndex}:${trackId}`, frameIndex, trackId, timeSec: frameIndex / 5, box: [10, 10, 20, 20] };
}

describe('thumbnail LRU cache', () => {
  it('keeps at most its capacity and evicts the least recently used', () => {
    const cache = new LruCache<string>(3);
    for (const k of ['a', 'b', 'c']) cache.set(k, k.toUpperCase());
    assert.equal(cache.get('a'), 'A', 'reading a makes it the youngest');
    cache.set('d', 'D');
    assert.equal(cache.size, 3);
    assert.equal(cache.has('b'), false, 'b was the least recently used');
    assert.deepEqual(cache.keys(), ['c', 'a', 'd']);
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, 'x');
    assert.equal(cache.size, 3);
  });
});

describe('thumbnail queue', () => {
  it('orders rows inside the viewport first, then overscan rows by distance', () => {
    // Pool positions 92..130 (overscan 8 above and below a viewport of 100..122), in pool order.
    const positions = [120, 121, 122, 123, 124, 92, 93, 99, 100, 101, 130];
    assert.deepEqual(visibleFirst(positions, 100, 122), [100, 101, 120, 121, 122, 99, 123, 124, 93, 92, 130]);
  });

  it('runs at most maxRunning jobs at once and takes the wanted order', () => {
    const done = new Set<string>();
    const queue = new ThumbnailQueue(2, (k) => done.has(k));
    queue.setWanted([job(5), job(6), job(7)]);
    assert.equal(queue.take()?.key, '5:1');
    assert.equal(queue.take()?.key, '6:1');
    assert.equal(queue.take(), undefined, 'two are running');
    done.add('5:1');
    queue.finish('5:1');
    assert.equal(queue.take()?.key, '7:1');
    assert.equal(queue.runningCount, 2);
  });

  it('drops requests for rows scrolled out of view and skips cached or failed ones', () => {
    const done = new Set<string>(['3:1']);
    const queue = new ThumbnailQueue(1, (k) => done.has(k));
    queue.setWanted([job(1), job(2), job(3), job(1)]);
    assert.equal(queue.queued, 2, 'the cached one and the duplicate are not queued');
    const first = queue.take()!;
    assert.equal(first.key, '1:1');
    // Scrolled far away: 2:1 is no longer wanted.
    queue.setWanted([job(500), job(501)]);
    assert.equal(queue.isWanted('2:1'), false);
    assert.equal(queue.take(), undefined, 'the running job still counts');
    queue.finish(first.key, true);
    assert.equal(queue.take()?.key, '500:1');
    queue.finish('500:1');
    queue.setWanted([job(1), job(501)]);
    assert.equal(queue.take()?.key, '501:1', 'a job that failed is not asked again');
  });
});

describe('thumbnail crop', () => {
  it('squares the face box, keeps it in the frame and scales to the video size', () => {
    // A 1280x720 document frame shown by a video decoded at 640x360: everything halves.
    const rect = thumbnailSourceRect([600, 300, 100, 120], 1280, 720, 640, 360)!;
    const side = 120 * 1.3;
    assert.deepEqual(rect, { x: (650 - side / 2) / 2, y: (360 - side / 2) / 2, width: side / 2, height: side / 2 });
    const corner = thumbnailSourceRect([0, 0, 50, 50], 1280, 720, 1280, 720)!;
    assert.equal(corner.x, 0);
    assert.equal(corner.y, 0);
    const edge = thumbnailSourceRect([1250, 700, 30, 20], 1280, 720, 1280, 720)!;
    assert.ok(edge.x + edge.width <= 1280 && edge.y + edge.height <= 720);
  });

  it('refuses a video whose shape does not match the displayed (rotated) frame', () => {
    // A portrait phone video (720x1280 displayed) that a browser reports unrotated as 1280x720.
    assert.equal(thumbnailSourceRect([100, 400, 200, 200], 720, 1280, 1280, 720), undefined);
    assert.ok(thumbnailSourceRect([100, 400, 200, 200], 720, 1280, 360, 640));
  });
});
