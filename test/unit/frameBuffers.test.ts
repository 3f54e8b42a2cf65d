import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameBuffers } from '../../src/core/media/frameBuffers';

describe('FrameBuffers', () => {
  it('hands out a buffer given back for the same size, and a new one for another size', () => {
    const buffers = new FrameBuffers(2);
    const a = buffers.take(12);
    buffers.give(a);
    assert.equal(buffers.take(12), a, 'the same buffer again');
    buffers.give(a);
    const other = buffers.take(27);
    assert.notEqual(other, a);
    assert.equal(other.byteLength, 27);
    assert.equal(buffers.take(12), a);
  });

  it('keeps at most its limit, and never a view into a larger buffer (it could not be transferred whole)', () => {
    const buffers = new FrameBuffers(1);
    const first = new Uint8Array(8);
    const second = new Uint8Array(8);
    buffers.give(first);
    buffers.give(second);
    assert.equal(buffers.take(8), first);
    assert.notEqual(buffers.take(8), second, 'the second was not kept');
    const view = new Uint8Array(16).subarray(4, 12);
    buffers.give(view);
    assert.notEqual(buffers.take(8), view);
  });
});
