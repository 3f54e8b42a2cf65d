// nativeMemory.ts: memory that native code frees in the middle of malloc's heap stays resident until it is given
// back; releaseFreedMemory gives it back (Linux with glibc; elsewhere it is a no-op and this is skipped).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { limitMallocArenas, releaseFreedMemory } from '../../src/core/vision/nativeMemory';

const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
const glibc = process.platform === 'linux' && report?.header?.glibcVersionRuntime !== undefined;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function residentMb(): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
}

describe('native memory', { skip: glibc ? false : 'needs Linux with glibc' }, () => {
  it('gives back what was freed between buffers still in use', () => {
    limitMallocArenas();
    // 200 MB of 64 KB buffers (each malloc'd, under the mmap threshold), each followed by a small one that is kept:
    // freeing the large ones leaves holes that malloc does not return by itself.
    let large: Buffer[] = [];
    const kept: Buffer[] = [];
    for (let i = 0; i < 3200; i++) {
      large.push(Buffer.alloc(64 * 1024, 1));
      kept.push(Buffer.alloc(512, 1));
    }
    large = [];
    // The second collection waits for the first one's sweeping of array buffers, which frees them off the thread.
    collectGarbage();
    collectGarbage();
    const before = residentMb();
    releaseFreedMemory();
    const after = residentMb();
    assert.ok(before - after > 100, `resident memory ${before.toFixed(0)} -> ${after.toFixed(0)} MB`);
    assert.equal(kept.length, 3200);
  });
});
