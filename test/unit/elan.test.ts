// elan.ts: the ELAN file read back with fast-xml-parser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportDocument } from '../../src/core/export/exportFormats';
import { findAll, parseXml } from '../helpers/exportParsers';
import { AUDIO_DOCUMENT_PATH, audioFixture, exportFixture, FIXTURE_DOCUMENT_PATH, TRACK1_AU12 } from '../helpers/exportFixture';

describe('the ELAN file', () => {
  const doc = exportFixture();
  const options = { documentPath: FIXTURE_DOCUMENT_PATH };

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
    const auTiers = (face: number) => [1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25].map((au) => `face ${face} AU${au}`);
    assert.deepEqual(tiers.map((t) => t.attributes.TIER_ID), ['face 1', 'face 1 source', ...auTiers(1), 'face 2', 'face 2 source', ...auTiers(2), 'transcript', 'words', 'sentiment', 'voice arousal', 'voice pitch']);
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
    // Beside each face tier, where its labels come from: the corrected sample is human, the rest the model's.
    assert.deepEqual(annotations('face 1 source'), ['0-200 model', '200-400 human', '400-1000 model', '1200-1600 model']);
    assert.deepEqual(annotations('face 2 source'), ['0-1000 model']);
    // AU tiers: runs of samples whose estimate reaches the AU's threshold (0.45 for AU12), valued with their mean; frame 5 has no face, frame 7's geometry failed.
    const au12 = TRACK1_AU12.map((v) => v ?? 0);
    assert.deepEqual(annotations('face 1 AU12'), [`400-1000 AU12 ${((au12[2]! + au12[3]! + au12[4]!) / 3).toFixed(2)}`, `1200-1400 AU12 ${au12[6]!.toFixed(2)}`]);
    assert.deepEqual(annotations('face 1 AU1'), []);
    assert.deepEqual(annotations('transcript'), doc.transcript.utterances.map((u) => `${Math.round(u.startSec * 1000)}-${Math.round(u.endSec * 1000)} ${u.text}`));
    assert.equal(annotations('words').length, doc.transcript.words.length);
    assert.deepEqual(annotations('sentiment'), ['100-800 positive 0.625', '1000-1550 negative -0.459']);
    // One per voice segment: arousal as a signed z-score (n/a for the unvoiced one), mean F0 in semitones and Hz.
    assert.deepEqual(annotations('voice arousal'), ['80-840 +1.32', '960-1300 -0.60', '1360-1580 n/a']);
    assert.deepEqual(annotations('voice pitch'), ['80-840 33.21 st (187 Hz)', '960-1300 29.87 st (154 Hz)', '1360-1580 n/a']);
    const ids = findAll(root, 'ALIGNABLE_ANNOTATION').map((a) => a.attributes.ANNOTATION_ID);
    assert.equal(new Set(ids).size, ids.length, 'annotation ids are unique');
    assert.equal(Number(findAll(root, 'PROPERTY').find((p) => p.attributes.NAME === 'lastUsedAnnotationId')!.text), ids.length);
    const slotIds = [...slots.keys()];
    assert.equal(new Set(slotIds).size, slotIds.length, 'time slot ids are unique');
    assert.deepEqual(findAll(root, 'PROPERTY').map((p) => p.attributes.NAME), ['lastUsedAnnotationId'], 'a voice with a baseline needs no note');
  });

  it('ELAN: without a baseline every voice arousal is n/a and a header PROPERTY says why; without voice the tiers are empty', () => {
    const noBaseline = exportFixture();
    noBaseline.voice = { ...noBaseline.voice, baseline: { scope: 'none', reason: '2 measured voice segment(s), 1.1 s of speech: too little' }, segments: noBaseline.voice.segments.map((v) => ({ ...v, arousal: null })) };
    const root = parseXml(exportDocument(noBaseline, 'elan', options));
    const values = (id: string) => findAll(findAll(root, 'TIER').find((t) => t.attributes.TIER_ID === id)!, 'ANNOTATION_VALUE').map((v) => v.text);
    assert.deepEqual(values('voice arousal'), ['n/a', 'n/a', 'n/a']);
    assert.deepEqual(values('voice pitch'), ['33.21 st (187 Hz)', '29.87 st (154 Hz)', 'n/a']);
    assert.match(findAll(root, 'PROPERTY').find((p) => p.attributes.NAME === 'emotion-lens:voice-baseline')!.text, /^none, arousal n\/a: 2 measured voice segment/);

    const silent = exportFixture();
    silent.voice = { status: 'disabled', reason: 'turned off with --no-voice', baseline: { scope: 'none', reason: 'not analysed' }, segments: [] };
    const quiet = parseXml(exportDocument(silent, 'elan', options));
    for (const id of ['voice arousal', 'voice pitch']) assert.equal(findAll(findAll(quiet, 'TIER').find((t) => t.attributes.TIER_ID === id)!, 'ANNOTATION').length, 0);
    assert.equal(findAll(quiet, 'PROPERTY').find((p) => p.attributes.NAME === 'emotion-lens:voice')!.text, 'disabled: turned off with --no-voice');
    assert.equal(findAll(quiet, 'PROPERTY').find((p) => p.attributes.NAME === 'emotion-lens:voice-baseline'), undefined);
  });

  it('ELAN: the relative media URL is computed from where the file is written', () => {
    const root = parseXml(exportDocument(doc, 'elan', { ...options, outputPath: '/data/exports/elan/clip.eaf' }));
    assert.equal(findAll(root, 'MEDIA_DESCRIPTOR')[0]!.attributes.RELATIVE_MEDIA_URL, '../../study/clip%20one.mp4');
  });
});

describe('the ELAN file of an audio recording', () => {
  const doc = audioFixture();
  const audioOptions = { documentPath: AUDIO_DOCUMENT_PATH };

  it('ELAN: the recording linked as audio, no face tiers, transcript and voice tiers', () => {
    const root = parseXml(exportDocument(doc, 'elan', audioOptions));
    const media = findAll(root, 'MEDIA_DESCRIPTOR')[0]!;
    assert.equal(media.attributes.MIME_TYPE, 'audio/x-wav');
    assert.equal(media.attributes.RELATIVE_MEDIA_URL, './clip%20one.wav');
    assert.deepEqual(findAll(root, 'TIER').map((t) => t.attributes.TIER_ID), ['transcript', 'words', 'sentiment', 'voice arousal', 'voice pitch']);
    const values = findAll(root, 'TIER').map((t) => findAll(t, 'ALIGNABLE_ANNOTATION').length);
    assert.deepEqual(values, [2, 8, 2, 3, 3]);
  });
});
