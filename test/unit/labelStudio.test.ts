// labelStudio.ts: the Label Studio task and config: regions over frame ranges, predictions and annotations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { EmotionLensError } from '../../src/core/errors';
import { exportDocument } from '../../src/core/export/exportFormats';
import { labelStudioConfig, labelStudioTask } from '../../src/core/export/labelStudio';
import type { LabelStudioRegion } from '../../src/core/export/labelStudio';
import { videoFrameNumber } from '../../src/core/export/videoFrames';
import { LABELS } from '../helpers/documentBuilder';
import { findAll, parseXml } from '../helpers/exportParsers';
import { exportFixture, FIXTURE_DOCUMENT_PATH, TRACK_LABELS } from '../helpers/exportFixture';

describe('the Label Studio task', () => {
  const doc = exportFixture();
  const options = { documentPath: FIXTURE_DOCUMENT_PATH };

  it('Label Studio: regions cover exactly the frames of each track, with final labels in annotations and model labels in predictions', () => {
    const task = labelStudioTask(doc, options);
    const fps = doc.media.fps;
    const frameOfSample = (p: number) => Math.round(doc.frames[p]!.timeSec * fps) + 1;
    const lastFrame = Math.round(doc.media.durationSec * fps);
    /** Expected video frame → label per track, built from the fixture's table rather than from the exporter. */
    const expected = (labelAt: (frame: number, track: number) => string | undefined) => {
      const map = new Map<string, string>();
      doc.frames.forEach((_, p) => {
        const end = p + 1 < doc.frames.length ? frameOfSample(p + 1) - 1 : lastFrame;
        for (const track of [1, 2]) {
          const label = labelAt(p, track);
          if (label === undefined) continue;
          for (let f = frameOfSample(p); f <= end; f++) map.set(`${track}@${f}`, label);
        }
      });
      return map;
    };
    const covered = (regions: LabelStudioRegion[]) => {
      const map = new Map<string, string>();
      for (const r of regions) {
        assert.equal(r.type, 'timelinelabels');
        assert.equal(r.meta.text.length, 1, 'one note per region (the editor shows the first)');
        const track = Number(/^track (\d+)( \((human|model)\))?$/.exec(r.meta.text[0]!)![1]);
        for (const range of r.value.ranges) {
          assert.ok(Number.isInteger(range.start) && range.end >= range.start && range.start >= 1 && range.end <= lastFrame);
          for (let f = range.start; f <= range.end; f++) {
            assert.ok(!map.has(`${track}@${f}`), `frame ${f} of track ${track} is covered twice`);
            map.set(`${track}@${f}`, r.value.timelinelabels[0]!);
          }
        }
      }
      return map;
    };
    assert.deepEqual(covered(task.predictions[0]!.result.filter((r) => r.from_name === 'emotion')), expected((f, t) => TRACK_LABELS[t]?.[f]));
    assert.ok(task.annotations, 'a corrected document carries annotations');
    // Annotations are what a reviewer did: only the corrected sample, never the model's labels.
    const human = task.annotations[0]!.result;
    assert.ok(human.every((r) => r.meta.text[0]!.endsWith('(human)')));
    assert.deepEqual(human.map((r) => [r.value.ranges[0], r.value.timelinelabels[0]]), [[{ start: 6, end: 10 }, 'happy']]);
    assert.equal(task.predictions.length, 1, 'no adapted prediction without an adaptation');
    assert.ok(task.predictions[0]!.result.filter((r) => r.from_name === 'emotion').every((r) => typeof r.score === 'number' && r.score > 0 && r.score <= 1));
  });

  it('Label Studio: no annotations for an unreviewed document; videoUrl is used as given; the config lists the labels', () => {
    const unreviewed = exportFixture();
    unreviewed.corrections = [];
    const task = labelStudioTask(unreviewed, { ...options, videoUrl: '/data/local-files/?d=study/clip%20one.mp4' });
    assert.equal(task.annotations, undefined);
    assert.equal(task.data.video, '/data/local-files/?d=study/clip%20one.mp4');
    const config = parseXml(labelStudioConfig(unreviewed));
    const [emotion, speaker] = findAll(config, 'TimelineLabels');
    assert.deepEqual(findAll(emotion!, 'Label').map((l) => l.attributes.value), LABELS);
    assert.equal(speaker!.attributes.name, 'speaker');
    assert.deepEqual(findAll(speaker!, 'Label').map((l) => l.attributes.value), ['Unknown speaker'], 'utterances without speakers');
    assert.equal(findAll(config, 'Video')[0]!.attributes.frameRate, '25');
    assert.equal(findAll(config, 'TimelineLabels')[0]!.attributes.toName, findAll(config, 'Video')[0]!.attributes.name);
  });

  it('Label Studio: each utterance is a region on the speaker timeline, labelled with who says it, its words as the note', () => {
    const doc = exportFixture();
    doc.transcript.utterances[0]!.speaker = { kind: 'face', trackId: 2, confidence: 0.9 };
    doc.transcript.utterances[1]!.speaker = { kind: 'offscreen', confidence: 0.8 };
    const task = labelStudioTask(doc, options);
    const utterances = task.predictions[0]!.result.filter((r) => r.from_name === 'speaker');
    assert.equal(utterances.length, doc.transcript.utterances.length);
    utterances.forEach((r, i) => {
      const u = doc.transcript.utterances[i]!;
      assert.equal(r.to_name, 'video');
      assert.deepEqual(r.meta.text, [u.text]);
      assert.deepEqual(r.value.ranges[0], { start: videoFrameNumber(doc, u.startSec), end: videoFrameNumber(doc, u.endSec) - 1 });
    });
    assert.deepEqual(utterances.map((r) => r.value.timelinelabels[0]), ['Person 2', 'Off screen']);
    assert.deepEqual(utterances.map((r) => r.score), [0.9, 0.8]);
    assert.deepEqual(findAll(findAll(parseXml(labelStudioConfig(doc)), 'TimelineLabels')[1]!, 'Label').map((l) => l.attributes.value), ['Person 2', 'Off screen']);
    const plain = labelStudioTask(exportFixture(), options).predictions[0]!.result.filter((r) => r.from_name === 'speaker');
    assert.deepEqual(plain.map((r) => r.value.timelinelabels[0]), ['Unknown speaker', 'Unknown speaker']);
  });

  it('Label Studio refuses an image document with a one-line error naming it', () => {
    const image: AnnotationDocument = { ...exportFixture(), media: { ...exportFixture().media, kind: 'image', fps: 0, durationSec: 0 } };
    assert.throws(() => exportDocument(image, 'labelstudio', options), (error: unknown) => error instanceof EmotionLensError && error.message.includes(FIXTURE_DOCUMENT_PATH) && !error.message.includes('\n'));
  });
});
