import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point } from '../../src/webview/chartSeriesModel';
import { humanMarks, lowerBound, nextZoom, sentimentSeries, trackSamples, trackSeries, viewRange } from '../../src/webview/chartSeriesModel';
import { buildRowTable, humanLabels } from '../../src/webview/labelRowsModel';
import { correction, LABELS } from '../helpers/documentBuilder';
import { HOUR_FRAMES, hourDocument, STEP_SEC, TRACK2_GAP } from '../helpers/reviewDocuments';

const hour = hourDocument();
const table = buildRowTable(hour);
const samples = trackSamples(table);
const duration = HOUR_FRAMES * STEP_SEC;

function finite(line: Point[]): Point[] {
  return line.filter((p) => !Number.isNaN(p.y));
}

describe('chart series per track', () => {
  it('splits the rows by track with their probabilities', () => {
    assert.deepEqual(samples.map((s) => [s.trackId, s.times.length]), [[1, HOUR_FRAMES], [2, HOUR_FRAMES - (TRACK2_GAP.to - TRACK2_GAP.from)]]);
    const s2 = samples[1]!;
    const i = 700;
    const face = hour.frames[i]!.faces.find((f) => f.trackId === 2)!;
    assert.deepEqual([...s2.probs.subarray(i * LABELS.length, (i + 1) * LABELS.length)].map((v) => v.toFixed(5)), face.probs.map((v) => v.toFixed(5)));
    assert.ok(Math.abs(s2.gapSec - 3 * STEP_SEC) < 1e-9, 'three sampling steps');
  });

  it('downsamples an hour to at most two points per pixel, all labels on the same x values', () => {
    const started = performance.now();
    const series = samples.map((s) => trackSeries(s, { startSec: 0, endSec: duration }, 800));
    console.log(`charts: two tracks of an hour downsampled to 800 px in ${(performance.now() - started).toFixed(1)} ms`);
    for (const s of series) {
      assert.equal(s.lines.length, LABELS.length);
      const xs = s.lines[0]!.map((p) => p.x);
      for (const line of s.lines) assert.deepEqual(line.map((p) => p.x), xs);
      assert.ok(finite(s.lines[0]!).length <= 2 * 800 + 2, `${s.lines[0]!.length} points`);
      assert.ok(finite(s.lines[0]!).length > 800, 'every bucket has samples');
    }
  });

  it('keeps the extremes of each bucket, so a one-frame spike survives downsampling', () => {
    const s1 = samples[0]!;
    const spikeAt = 5000;
    const happy = LABELS.indexOf('happy');
    const saved = s1.probs[spikeAt * LABELS.length + happy]!;
    s1.probs[spikeAt * LABELS.length + happy] = 0.999;
    try {
      const line = trackSeries(s1, { startSec: 0, endSec: duration }, 400).lines[happy]!;
      assert.ok(line.some((p) => Math.abs(p.y - 0.999) < 1e-6), 'the spike is in the downsampled line');
      const max = Math.max(...finite(line).map((p) => p.y));
      let trueMax = 0;
      for (let i = 0; i < s1.times.length; i++) trueMax = Math.max(trueMax, s1.probs[i * LABELS.length + happy]!);
      assert.equal(max, trueMax);
    } finally {
      s1.probs[spikeAt * LABELS.length + happy] = saved;
    }
  });

  it('breaks the line where a track is missing, zoomed out and zoomed in', () => {
    const gapStart = TRACK2_GAP.from * STEP_SEC;
    const gapEnd = TRACK2_GAP.to * STEP_SEC;
    for (const range of [{ startSec: 0, endSec: duration }, { startSec: gapStart - 10, endSec: gapEnd + 10 }]) {
      const line = trackSeries(samples[1]!, range, 600).lines[0]!;
      const breaks = line.filter((p) => Number.isNaN(p.y));
      assert.equal(breaks.length, 1, JSON.stringify(range));
      assert.ok(breaks[0]!.x > gapStart - STEP_SEC && breaks[0]!.x < gapEnd);
      assert.ok(!finite(line).some((p) => p.x > gapStart && p.x < gapEnd - 1e-9), 'no point inside the gap');
    }
    assert.equal(trackSeries(samples[0]!, { startSec: 0, endSec: duration }, 600).lines[0]!.filter((p) => Number.isNaN(p.y)).length, 0);
  });

  it('shows every sample, one beyond each edge, when zoomed in far enough', () => {
    const line = trackSeries(samples[0]!, { startSec: 60, endSec: 70 }, 800).lines[0]!;
    assert.equal(line.length, 50 + 2);
    assert.ok(line[0]!.x < 60 && line.at(-1)!.x >= 70);
  });

  it('marks human labels at most once per label and bucket', () => {
    const corrections = Array.from({ length: 50 }, (_, i) => correction(hour.frames[100 + i]!, 1, i < 25 ? 'angry' : 'sad'));
    const human = humanLabels(table, corrections);
    const zoomedOut = humanMarks(samples[0]!, human, { startSec: 0, endSec: duration }, 100, 1.05);
    assert.deepEqual(zoomedOut.map((m) => LABELS[m.label]), ['angry', 'sad']);
    const zoomedIn = humanMarks(samples[0]!, human, { startSec: 0, endSec: 60 }, 1000, 1.05);
    assert.equal(zoomedIn.length, 50);
    assert.equal(humanMarks(samples[1]!, human, { startSec: 0, endSec: duration }, 100, 1.05).length, 0, 'the other track has none');
  });
});

describe('sentiment series and zoom', () => {
  it('holds each utterance score over its span and breaks between utterances', () => {
    const points = sentimentSeries(hour.transcript.utterances, { startSec: 0, endSec: 25 });
    assert.deepEqual(points.map((p) => [p.x, Number.isNaN(p.y) ? 'gap' : p.y]), [
      [1, 0.6], [2.4, 0.6], [11, 'gap'], [11, -0.5], [12.4, -0.5], [21, 'gap'], [21, 0], [22.4, 0],
    ]);
  });

  it('keeps the zoom window inside the media, centred on the playhead', () => {
    assert.deepEqual(viewRange(3600, 0, 100), { startSec: 0, endSec: 3600 });
    assert.deepEqual(viewRange(3600, 60, 100), { startSec: 70, endSec: 130 });
    assert.deepEqual(viewRange(3600, 60, 10), { startSec: 0, endSec: 60 });
    assert.deepEqual(viewRange(3600, 60, 3599), { startSec: 3540, endSec: 3600 });
    assert.deepEqual(viewRange(20, 30, 5), { startSec: 0, endSec: 20 });
    assert.equal(nextZoom(0, -1, 3600), 1200);
    assert.equal(nextZoom(1200, 1, 3600), 0);
    assert.equal(nextZoom(5, -1, 3600), 5);
    assert.equal(nextZoom(0, -1, 20), 10, 'steps wider than the media are skipped');
    // After a mouse zoom the span lies between steps: the keys go to the nearest step in their direction.
    assert.equal(nextZoom(47, -1, 3600), 30);
    assert.equal(nextZoom(47, 1, 3600), 60);
    assert.equal(nextZoom(2, -1, 3600), 2, 'narrower than the narrowest step: stays');
    assert.equal(nextZoom(1500, 1, 3600), 0, 'wider than the widest step: the whole video');
    assert.equal(lowerBound([1, 2, 2, 3], 2), 1);
  });
});
