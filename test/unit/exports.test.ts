// Exporters: golden files (the committed spec; UPDATE_GOLDEN=1 rewrites them) plus properties checked with
// independent parsers: every format uses the human label where one exists and never touches the document.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { EmotionLensError } from '../../src/core/errors';
import type { ExportFormat } from '../../src/core/export/exportFormats';
import { EXPORT_FORMAT_IDS, exportDocument, exportPathFor, exportToFile } from '../../src/core/export/exportFormats';
import { writeAnnotationDocument } from '../../src/core/document/annotationFile';
import { finalLabels, labelRuns } from '../../src/core/export/finalLabels';
import { frameCsvHeader } from '../../src/core/export/frameCsv';
import { labelStudioConfig, labelStudioTask } from '../../src/core/export/labelStudio';
import type { LabelStudioRegion } from '../../src/core/export/labelStudio';
import type { TrainingExport } from '../../src/core/export/trainingJson';
import { vttTimestamp } from '../../src/core/export/webVtt';
import { correction, LABELS } from '../helpers/documentBuilder';
import { CORRECTED, exportFixture, FIXTURE_DOCUMENT_PATH, TRACK_LABELS } from '../helpers/exportFixture';
import { findAll, parseCsv, parseVtt, parseXml, vttUnescape } from '../helpers/exportParsers';
import { makeTempDir, repoRoot } from '../helpers/testEnvironment';

const goldenDir = path.join(repoRoot, 'test', 'fixtures', 'exports');
const options = { documentPath: FIXTURE_DOCUMENT_PATH };

/** Model label of a track at a frame, per the fixture's table, and the final label (the correction applied). */
function finalLabelAt(frame: number, track: number): string | undefined {
  if (frame === CORRECTED.frameIndex && track === CORRECTED.trackId) return CORRECTED.label;
  return TRACK_LABELS[track]?.[frame];
}

describe('exports: golden files', () => {
  const doc = exportFixture();
  const goldens: [string, () => string][] = [
    ...EXPORT_FORMAT_IDS.map((format): [string, () => string] => [path.basename(exportPathFor(FIXTURE_DOCUMENT_PATH, format)), () => exportDocument(doc, format, options)]),
    ['clip one.mp4.labelstudio.xml', () => labelStudioConfig(doc)],
  ];

  it('the fixture is a valid annotation document', () => {
    assert.deepEqual(annotationProblems(doc), []);
  });

  for (const [name, render] of goldens) {
    it(`${name} matches its golden file byte for byte`, () => {
      const file = path.join(goldenDir, name);
      const actual = render();
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(file, actual);
      }
      assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1, then review it`);
      assert.equal(actual, readFileSync(file, 'utf8'));
    });
  }

  it('exports are deterministic and never modify the document', () => {
    const before = structuredClone(doc);
    for (const format of EXPORT_FORMAT_IDS) {
      const first = exportDocument(doc, format, options);
      assert.equal(exportDocument(doc, format, options), first, format);
    }
    labelStudioConfig(doc);
    assert.deepEqual(doc, before);
  });
});

describe('exports: final labels', () => {
  it('a correction wins over the model, matched on frame and track, with confidence 1', () => {
    const labels = finalLabels(exportFixture());
    const faces = labels.frames.flatMap((f) => f.faces);
    const corrected = faces.filter((f) => f.source === 'human');
    assert.equal(corrected.length, 1);
    assert.deepEqual([corrected[0]!.frameIndex, corrected[0]!.trackId, corrected[0]!.label, corrected[0]!.modelLabel, corrected[0]!.confidence], [1, 1, 'happy', 'neutral', 1]);
    // The same frame's other face keeps the model's label.
    assert.equal(faces.find((f) => f.frameIndex === 1 && f.trackId === 2)!.source, 'model');
    for (const face of faces) assert.equal(face.label, finalLabelAt(face.frameIndex, face.trackId));
    assert.equal(labels.appliedCorrections, 1);
  });

  it('the last of two corrections of one face wins; a correction of a missing face is counted as unmatched', () => {
    const doc = exportFixture();
    const frame1 = doc.frames[1]!;
    doc.corrections.push(correction(frame1, 1, 'surprised'), { ...correction(frame1, 1, 'sad'), frameIndex: 5, timeSec: 1 });
    const labels = finalLabels(doc);
    assert.equal(labels.frames[1]!.faces.find((f) => f.trackId === 1)!.label, 'surprised');
    assert.equal(labels.unmatchedCorrections, 1);
    assert.equal(labels.appliedCorrections, 1);
  });

  it('model probabilities are the smoothed ones when present (the label is their argmax), raw ones kept apart', () => {
    const face = finalLabels(exportFixture()).frames[3]!.faces.find((f) => f.trackId === 2)!;
    const argmax = (p: number[]) => LABELS[p.indexOf(Math.max(...p))];
    assert.equal(argmax(face.probs), 'angry');
    assert.equal(argmax(face.rawProbs), 'sad');
    assert.equal(face.label, 'angry');
  });

  it('runs end where the label changes, the track is missing, or (on request) the source changes', () => {
    const labels = finalLabels(exportFixture());
    const describeRuns = (runs: ReturnType<typeof labelRuns>) => runs.map((r) => `${r.trackId}:${r.label}:${r.faces.map((f) => f.frameIndex).join('')}:${r.source}`);
    assert.deepEqual(describeRuns(labelRuns(labels)), ['1:neutral:0:model', '1:happy:1234:mixed', '1:happy:6:model', '1:sad:7:model', '2:sad:012:model', '2:angry:34:model']);
    assert.deepEqual(describeRuns(labelRuns(labels, { splitOnSource: true })).slice(0, 3), ['1:neutral:0:model', '1:happy:1:human', '1:happy:234:model']);
  });
});

describe('exports: formats parse back', () => {
  const doc = exportFixture();

  it('CSV: RFC 4180, one row per frame and face (a success=0 row for a frame without faces), final labels', () => {
    const rows = parseCsv(exportDocument(doc, 'csv', options));
    const [header, ...body] = rows;
    assert.deepEqual(header, ['frame', 'face_id', 'timestamp', 'confidence', 'success', 'FaceRectX', 'FaceRectY', 'FaceRectWidth', 'FaceRectHeight', ...LABELS, 'label', 'label_source', 'label_confidence']);
    for (const row of body) assert.equal(row.length, header!.length);
    const col = (name: string) => header!.indexOf(name);
    const expectedRows = doc.frames.reduce((n, f) => n + Math.max(1, f.faces.length), 0);
    assert.equal(body.length, expectedRows);
    for (const row of body) {
      const frame = Number(row[col('frame')]);
      if (row[col('success')] === '0') {
        assert.equal(doc.frames[frame]!.faces.length, 0);
        assert.equal(row[col('face_id')], '');
        assert.equal(row[col('label')], '');
        continue;
      }
      const track = Number(row[col('face_id')]);
      assert.equal(row[col('label')], finalLabelAt(frame, track), `frame ${frame} track ${track}`);
      assert.equal(Number(row[col('timestamp')]), doc.frames[frame]!.timeSec);
      const probs = LABELS.map((l) => Number(row[col(l)]));
      assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-5, `probabilities sum to 1 in ${row.join(',')}`);
      if (row[col('label_source')] === 'human') {
        assert.equal(row[col('label_confidence')], '1');
      } else {
        assert.equal(LABELS[probs.indexOf(Math.max(...probs))], row[col('label')], 'a model label is the argmax of its probability columns');
      }
    }
    assert.equal(body.filter((r) => r[col('label_source')] === 'human').length, 1);
  });

  it('CSV: labels with commas, quotes and line breaks are quoted and parse back', () => {
    const odd = exportFixture();
    const oddLabels = ['a,b', 'say "hi"', 'two\nlines', 'happy', 'neutral', 'sad', 'label'];
    const rename = (l: string) => oddLabels[LABELS.indexOf(l)] ?? l;
    odd.labels = oddLabels;
    for (const frame of odd.frames) for (const face of frame.faces) face.label = rename(face.label);
    odd.corrections = odd.corrections.map((c) => ({ ...c, label: rename(c.label), modelLabel: rename(c.modelLabel) }));
    const rows = parseCsv(exportDocument(odd, 'csv', options));
    assert.deepEqual(rows[0], frameCsvHeader(oddLabels));
    // 'label' collides with a fixed column, so every probability column is prefixed.
    assert.ok(rows[0]!.includes('prob_a,b') && rows[0]!.includes('prob_label'));
    assert.equal(rows.length, 1 + odd.frames.reduce((n, f) => n + Math.max(1, f.faces.length), 0));
  });

  it('ELAN: well-formed EAF 3.0 with a tier per track, transcript, words and sentiment, times in ms', () => {
    const root = parseXml(exportDocument(doc, 'elan', options));
    assert.equal(root.name, 'ANNOTATION_DOCUMENT');
    assert.equal(root.attributes.FORMAT, '3.0');
    const media = findAll(root, 'MEDIA_DESCRIPTOR')[0]!;
    assert.equal(media.attributes.MEDIA_URL, 'file:///data/study/clip%20one.mp4');
    assert.equal(media.attributes.RELATIVE_MEDIA_URL, './clip%20one.mp4');
    assert.equal(media.attributes.MIME_TYPE, 'video/mp4');
    const slots = new Map(findAll(root, 'TIME_SLOT').map((s) => [s.attributes.TIME_SLOT_ID!, Number(s.attributes.TIME_VALUE)]));
    const values = [...slots.values()];
    assert.ok(values.every((v, i) => Number.isInteger(v) && (i === 0 || v > values[i - 1]!)), 'slots in increasing whole milliseconds');
    const tiers = findAll(root, 'TIER');
    assert.deepEqual(tiers.map((t) => t.attributes.TIER_ID), ['face 1', 'face 2', 'transcript', 'words', 'sentiment']);
    const types = new Set(findAll(root, 'LINGUISTIC_TYPE').map((t) => t.attributes.LINGUISTIC_TYPE_ID));
    for (const tier of tiers) assert.ok(types.has(tier.attributes.LINGUISTIC_TYPE_REF), `type of ${tier.attributes.TIER_ID} declared`);
    const annotations = (tierId: string) =>
      findAll(tiers.find((t) => t.attributes.TIER_ID === tierId)!, 'ALIGNABLE_ANNOTATION').map((a) => {
        const start = slots.get(a.attributes.TIME_SLOT_REF1!);
        const end = slots.get(a.attributes.TIME_SLOT_REF2!);
        assert.ok(start !== undefined && end !== undefined && end > start, 'annotation slots resolve, end after start');
        return `${start}-${end} ${findAll(a, 'ANNOTATION_VALUE')[0]!.text}`;
      });
    // Runs of the final labels; frame 5 has no face, frames are 200 ms apart, the last one ends at the media's end.
    assert.deepEqual(annotations('face 1'), ['0-200 neutral', '200-1000 happy', '1200-1400 happy', '1400-1600 sad']);
    assert.deepEqual(annotations('face 2'), ['0-600 sad', '600-1000 angry']);
    assert.deepEqual(annotations('transcript'), doc.transcript.utterances.map((u) => `${Math.round(u.startSec * 1000)}-${Math.round(u.endSec * 1000)} ${u.text}`));
    assert.equal(annotations('words').length, doc.transcript.words.length);
    assert.deepEqual(annotations('sentiment'), ['100-800 positive 0.625', '1000-1550 negative -0.459']);
    const ids = findAll(root, 'ALIGNABLE_ANNOTATION').map((a) => a.attributes.ANNOTATION_ID);
    assert.equal(new Set(ids).size, ids.length, 'annotation ids are unique');
  });

  it('ELAN: the relative media URL is computed from where the file is written', () => {
    const root = parseXml(exportDocument(doc, 'elan', { ...options, outputPath: '/data/exports/elan/clip.eaf' }));
    assert.equal(findAll(root, 'MEDIA_DESCRIPTOR')[0]!.attributes.RELATIVE_MEDIA_URL, '../../study/clip%20one.mp4');
  });

  it('WebVTT: one cue per utterance, increasing times that match the utterances, sentiment NOTE before each', () => {
    const vtt = parseVtt(exportDocument(doc, 'vtt', options));
    assert.equal(vtt.cues.length, doc.transcript.utterances.length);
    vtt.cues.forEach((cue, i) => {
      const u = doc.transcript.utterances[i]!;
      assert.equal(cue.startMs, Math.round(u.startSec * 1000));
      assert.equal(cue.endMs, Math.round(u.endSec * 1000));
      assert.ok(i === 0 || cue.startMs >= vtt.cues[i - 1]!.startMs);
      assert.equal(vttUnescape(cue.text), u.text);
      assert.match(cue.note ?? '', new RegExp(`^sentiment ${u.sentiment.label}, compound ${u.sentiment.compound}`));
    });
    assert.equal(vttTimestamp(3_723_004), '01:02:03.004');
  });

  it('WebVTT: without a transcript, a valid file with a NOTE saying why', () => {
    const silent = exportFixture();
    silent.transcript = { status: 'unavailable', reason: 'no speech model --> install one', words: [], utterances: [] };
    const vtt = parseVtt(exportDocument(silent, 'vtt', options));
    assert.equal(vtt.cues.length, 0);
    assert.match(vtt.notes.join('\n'), /unavailable: no speech model/);
  });

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
    assert.deepEqual(covered(task.predictions[0]!.result), expected((f, t) => TRACK_LABELS[t]?.[f]));
    assert.ok(task.annotations, 'a corrected document carries annotations');
    assert.deepEqual(covered(task.annotations[0]!.result), expected(finalLabelAt));
    const human = task.annotations[0]!.result.filter((r) => r.meta.text[0]!.endsWith('(human)'));
    assert.deepEqual(human.map((r) => [r.value.ranges[0], r.value.timelinelabels[0]]), [[{ start: 6, end: 10 }, 'happy']]);
    assert.ok(task.predictions[0]!.result.every((r) => typeof r.score === 'number' && r.score > 0 && r.score <= 1));
  });

  it('Label Studio: no annotations for an unreviewed document; videoUrl is used as given; the config lists the labels', () => {
    const unreviewed = exportFixture();
    unreviewed.corrections = [];
    const task = labelStudioTask(unreviewed, { ...options, videoUrl: '/data/local-files/?d=study/clip%20one.mp4' });
    assert.equal(task.annotations, undefined);
    assert.equal(task.data.video, '/data/local-files/?d=study/clip%20one.mp4');
    const config = parseXml(labelStudioConfig(unreviewed));
    assert.deepEqual(findAll(config, 'Label').map((l) => l.attributes.value), LABELS);
    assert.equal(findAll(config, 'Video')[0]!.attributes.frameRate, '25');
    assert.equal(findAll(config, 'TimelineLabels')[0]!.attributes.toName, findAll(config, 'Video')[0]!.attributes.name);
  });

  it('Label Studio refuses an image document with a one-line error naming it', () => {
    const image: AnnotationDocument = { ...exportFixture(), media: { ...exportFixture().media, kind: 'image', fps: 0, durationSec: 0 } };
    assert.throws(() => exportDocument(image, 'labelstudio', options), (error: unknown) => error instanceof EmotionLensError && error.message.includes(FIXTURE_DOCUMENT_PATH) && !error.message.includes('\n'));
  });

  it('training JSON: a record per frame and face with final label and source, utterances with sentiment and words', () => {
    const parsed = JSON.parse(exportDocument(doc, 'json', options)) as TrainingExport;
    assert.equal(parsed.records.length, doc.frames.reduce((n, f) => n + f.faces.length, 0));
    for (const r of parsed.records) assert.equal(r.label, finalLabelAt(r.frameIndex, r.trackId));
    const human = parsed.records.filter((r) => r.source === 'human');
    assert.deepEqual(human.map((r) => [r.frameIndex, r.trackId, r.label, r.confidence, r.modelLabel]), [[1, 1, 'happy', 1, 'neutral']]);
    assert.deepEqual(parsed.corrections, { applied: 1, unmatched: 0 });
    assert.deepEqual(parsed.labels, LABELS);
    assert.deepEqual(parsed.provenance, doc.provenance);
    assert.deepEqual(parsed.utterances.map((u) => [u.text, u.sentiment.label, u.words.length]), [['Great, she said', 'positive', 3], ['not so "good" & <sad>', 'negative', 5]]);
    assert.equal(parsed.segments.length, doc.segments.length);
  });

  it('every format has a distinct file name beside the document', () => {
    const names = EXPORT_FORMAT_IDS.map((f: ExportFormat) => exportPathFor('/x/clip.mp4.emotion.json', f));
    assert.deepEqual(names, ['/x/clip.mp4.training.json', '/x/clip.mp4.frames.csv', '/x/clip.mp4.eaf', '/x/clip.mp4.vtt', '/x/clip.mp4.labelstudio.json']);
    assert.equal(exportPathFor('/x/clip.mp4.emotion.json', 'csv', '/out'), '/out/clip.mp4.frames.csv');
  });
});

describe('exports: files', () => {
  it('exportToFile validates the document, writes the export (and Label Studio its config) atomically beside it', async () => {
    const temp = makeTempDir();
    try {
      const docPath = path.join(temp.dir, 'clip one.mp4.emotion.json');
      const doc = exportFixture();
      await writeAnnotationDocument(docPath, doc);
      const written = await exportToFile(docPath, 'labelstudio');
      assert.deepEqual(written, [path.join(temp.dir, 'clip one.mp4.labelstudio.json'), path.join(temp.dir, 'clip one.mp4.labelstudio.xml')]);
      assert.equal(readFileSync(written[0]!, 'utf8'), exportDocument(doc, 'labelstudio', { documentPath: docPath }));
      const csvPath = path.join(temp.dir, 'out', 'frames.csv');
      assert.deepEqual(await exportToFile(docPath, 'csv', csvPath), [csvPath]);
      assert.equal(readFileSync(csvPath, 'utf8'), exportDocument(doc, 'csv', { documentPath: docPath }));

      const badPath = path.join(temp.dir, 'bad.mp4.emotion.json');
      writeFileSync(badPath, JSON.stringify({ ...doc, labels: 'happy' }));
      await assert.rejects(exportToFile(badPath, 'csv'), (error: unknown) => error instanceof EmotionLensError && error.message.includes(badPath));
      await assert.rejects(exportToFile(path.join(temp.dir, 'missing.emotion.json'), 'csv'), /not found/);
      assert.deepEqual(readdirSync(temp.dir).sort(), ['bad.mp4.emotion.json', 'clip one.mp4.emotion.json', 'clip one.mp4.labelstudio.json', 'clip one.mp4.labelstudio.xml', 'out'], 'nothing else written, no temporary file left');
    } finally {
      temp.cleanup();
    }
  });
});
