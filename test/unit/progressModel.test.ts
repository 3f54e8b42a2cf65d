// The engine's progress folded once (core/engine/progressModel.ts), as the CLI's bar and the extension's
// notification both show it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BatchProgress, InputProgress } from '../../src/core/engine/progressModel';

describe('one input', () => {
  test('frames set the done fraction; building the timeline or writing counts as done', () => {
    const input = new InputProgress();
    assert.equal(input.fraction(), 0);
    input.apply({ kind: 'faces', framesDone: 30, framesTotal: 120, mediaSec: 6, durationSec: 24 });
    assert.equal(input.fraction(), 0.25);
    input.apply({ kind: 'speech', audioSecDone: 10, audioSecTotal: 24 });
    assert.deepEqual(input.speech, { done: 10, total: 24 });
    input.apply({ kind: 'stage', stage: 'timeline', message: 'Building the timeline' });
    assert.ok(input.finishing());
    assert.equal(input.fraction(), 1);
  });

  test('a download lasts until the next stage or the first frames', () => {
    const input = new InputProgress();
    input.apply({ kind: 'download', file: 'yunet.onnx', receivedBytes: 10, totalBytes: 100 });
    assert.equal(input.download?.file, 'yunet.onnx');
    input.apply({ kind: 'stage', stage: 'analyse', message: 'Analysing faces' });
    assert.equal(input.download, undefined);
    input.apply({ kind: 'download', file: 'x.onnx', receivedBytes: 1 });
    input.apply({ kind: 'faces', framesDone: 1, framesTotal: 10, mediaSec: 0, durationSec: 2 });
    assert.equal(input.download, undefined);
  });

  test('the time left needs a few frames and half a second to go by', () => {
    const input = new InputProgress();
    input.apply({ kind: 'faces', framesDone: 2, framesTotal: 100, mediaSec: 0, durationSec: 20 });
    assert.equal(input.etaSec(10), undefined);
    input.apply({ kind: 'faces', framesDone: 50, framesTotal: 100, mediaSec: 10, durationSec: 20 });
    assert.equal(input.etaSec(0.4), undefined);
    assert.equal(input.etaSec(10), 10);
  });
});

describe('a batch', () => {
  test('inputs over plus the done share of those in flight; frames per second over all of them', () => {
    const batch = new BatchProgress(4);
    batch.begin(0, 'a.mp4');
    batch.apply(0, { kind: 'faces', framesDone: 100, framesTotal: 100, mediaSec: 20, durationSec: 20 });
    batch.finish(0, 100);
    batch.begin(1, 'b.mp4');
    batch.begin(2, 'c.mp4');
    assert.equal(batch.apply(1, { kind: 'faces', framesDone: 50, framesTotal: 100, mediaSec: 10, durationSec: 20 }), true);
    assert.equal(batch.apply(9, { kind: 'faces', framesDone: 1, framesTotal: 1, mediaSec: 0, durationSec: 0 }), false, 'not in flight');
    assert.equal(batch.done, 1);
    assert.equal(batch.fraction(), 1.5 / 4);
    assert.equal(batch.framesPerSec(10), 15);
    assert.equal(batch.framesPerSec(0.5), undefined);
    assert.equal(batch.etaSec(10), (10 * (1 - 1.5 / 4)) / (1.5 / 4));
    assert.deepEqual(batch.inFlight().map((i) => i.name), ['b.mp4', 'c.mp4']);
    assert.equal(batch.newest()?.name, 'c.mp4');
    batch.apply(1, { kind: 'stage', stage: 'write', message: 'Writing' });
    assert.equal(batch.newest()?.name, 'b.mp4', 'the input whose stage changed last');
  });
});
