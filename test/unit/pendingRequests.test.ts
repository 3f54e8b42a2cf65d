// Waiting for answers, written once (src/shared/pendingRequests.ts): the child process, the adaptation worker
// and the panel's still requests all settle through it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PendingRequests, RequestTimeoutError, settleOnce } from '../../src/shared/pendingRequests';

describe('settleOnce', () => {
  test('the first event settles it; the cleanup runs once, whichever event it was', async () => {
    let cleanups = 0;
    let fire: { ok: () => void; fail: () => void } | undefined;
    const result = settleOnce<string>((settle) => {
      fire = { ok: () => settle.resolve('done'), fail: () => settle.reject(new Error('late')) };
      return () => cleanups++;
    });
    fire!.ok();
    fire!.fail();
    fire!.ok();
    assert.equal(await result, 'done');
    assert.equal(cleanups, 1);
  });

  test('settled while it is still being wired (a signal already aborted): the cleanup still runs', async () => {
    let cleanups = 0;
    const result = settleOnce<number>((settle) => {
      settle.reject(new Error('cancelled'));
      return () => cleanups++;
    });
    await assert.rejects(result, /cancelled/);
    assert.equal(cleanups, 1);
  });
});

describe('PendingRequests', () => {
  test('each answer settles the request with its id; unknown or repeated ids are refused', async () => {
    const requests = new PendingRequests<string>();
    const sent: number[] = [];
    const first = requests.request((id) => sent.push(id));
    const second = requests.request((id) => sent.push(id));
    assert.equal(sent.length, 2);
    assert.notEqual(sent[0], sent[1]);
    assert.equal(requests.size, 2);
    assert.equal(requests.answer(sent[1]!, 'two'), true);
    assert.equal(requests.answer(sent[1]!, 'again'), false);
    assert.equal(requests.answer(9999, 'nobody'), false);
    assert.equal(requests.answer(sent[0]!, 'one'), true);
    assert.deepEqual(await Promise.all([first, second]), ['one', 'two']);
    assert.equal(requests.size, 0);
  });

  test('a request left unanswered times out, and its late answer is ignored', async () => {
    const requests = new PendingRequests<string>({ timeoutMs: 20, what: 'a still' });
    let id = -1;
    const waiting = requests.request((sent) => (id = sent));
    await assert.rejects(waiting, (error: unknown) => error instanceof RequestTimeoutError && /no answer to a still/.test(error.message));
    assert.equal(requests.answer(id, 'too late'), false);
  });
});
