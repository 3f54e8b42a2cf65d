// `--shard K/N`: the tasks of an array job agree on who takes what without talking to each other.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShard, shardFiles } from '../../src/core/engine/batch/batchShards';

const files = Array.from({ length: 23 }, (_, i) => `actor_${String(i % 5).padStart(2, '0')}/clip ${i}.wav`);

describe('shards', () => {
  it('parses K/N and rejects what is not one, saying what is expected', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    assert.deepEqual(parseShard(' 0/1 '), { index: 0, count: 1 });
    for (const bad of ['4/4', '1/0', '-1/3', 'a/b', '3', '1/2/3']) assert.equal(typeof parseShard(bad), 'string', bad);
    assert.match(parseShard('4/4') as string, /K from 0 to N-1/);
  });

  it('N shards cover every input exactly once and differ in size by at most one', () => {
    for (const count of [1, 2, 3, 7, 30]) {
      const shards = Array.from({ length: count }, (_, index) => shardFiles(files, (f) => f, { index, count }));
      const all = shards.flat();
      assert.equal(all.length, files.length, `${count} shards`);
      assert.equal(new Set(all).size, files.length, `${count} shards: an input in two shards`);
      const sizes = shards.map((s) => s.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${count} shards: sizes ${sizes}`);
    }
  });

  it('does not depend on the order the inputs were listed in or where the dataset is mounted', () => {
    const shuffled = [...files].reverse();
    const mounted = (prefix: string) => (f: string) => `${prefix}/${f}`;
    const a = shardFiles(files.map(mounted('/mnt/a')), (f) => f.slice('/mnt/a/'.length), { index: 1, count: 3 });
    const b = shardFiles(shuffled.map(mounted('/scratch/b')), (f) => f.slice('/scratch/b/'.length), { index: 1, count: 3 });
    assert.deepEqual(a.map((f) => f.slice('/mnt/a/'.length)), b.map((f) => f.slice('/scratch/b/'.length)));
  });
});
