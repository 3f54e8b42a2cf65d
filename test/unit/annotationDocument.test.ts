import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import {
  documentPathFor,
  parseAnnotationDocument,
  readExistingDocument,
  serialiseAnnotationDocument,
  writeAnnotationDocument,
  writeFileAtomic,
} from '../../src/core/document/annotationFile';
import { EmotionLensError } from '../../src/core/errors';
import { SCHEMA_VERSION } from '../../src/shared/annotationDocument';
import { correction, makeDocument, makeFrames } from '../helpers/documentBuilder';
import { makeTempDir } from '../helpers/testEnvironment';

describe('annotation document validation', () => {
  it('accepts a well-formed document', () => {
    assert.deepEqual(annotationProblems(makeDocument()), []);
  });

  it('rejects schema violations with the path of the problem', () => {
    const doc = makeDocument() as unknown as Record<string, unknown>;
    delete doc.labels;
    assert.match(annotationProblems(doc).join('\n'), /must have required property 'labels'/);
    const bad = makeDocument();
    bad.frames[2]!.faces[0]!.score = 1.5;
    assert.match(annotationProblems(bad).join('\n'), /\/frames\/2\/faces\/0\/score/);
  });

  it('rejects what a schema cannot see: probability length, unknown labels, corrections pointing nowhere', () => {
    const doc = makeDocument();
    doc.frames[0]!.faces[0]!.probs = [0.5, 0.5];
    doc.frames[1]!.faces[0]!.label = 'joy';
    doc.corrections.push(correction(doc.frames[3]!, 9, 'happy'));
    const problems = annotationProblems(doc).join('\n');
    assert.match(problems, /probs has 2 values for 7 labels/);
    assert.match(problems, /'joy' is not one of labels/);
    assert.match(problems, /track 9, which has no face/);
  });

  it('a malformed file gives one line naming the file and what to do', () => {
    for (const text of ['{ not json', JSON.stringify({ schemaVersion: 1 })]) {
      assert.throws(
        () => parseAnnotationDocument(text, '/data/clip.mp4.emotion.json'),
        (error: unknown) => error instanceof EmotionLensError && error.code === 'document-invalid' && !error.message.includes('\n') && error.message.startsWith('/data/clip.mp4.emotion.json: ') && /never overwrites/.test(error.message),
      );
    }
  });
});

describe('older and newer schema versions', () => {
  it('a version 1 document (no analysedUntilSec, faces without source) opens as the current version, every face detected', () => {
    const current = makeDocument();
    const v1 = JSON.parse(JSON.stringify({ ...current, schemaVersion: 1 })) as Record<string, unknown> & { frames: { faces: Record<string, unknown>[] }[] };
    for (const frame of v1.frames) for (const face of frame.faces) delete face.source;
    assert.notDeepEqual(annotationProblems(v1), [], 'as written, a version 1 document is not a valid current one');
    const opened = parseAnnotationDocument(JSON.stringify(v1), '/data/old.mp4.emotion.json');
    assert.equal(opened.schemaVersion, SCHEMA_VERSION);
    assert.deepEqual(opened.frames, current.frames);
    assert.ok(opened.frames.every((f) => f.faces.every((face) => face.source === 'detected')));
    assert.deepEqual(opened.corrections, current.corrections);
  });

  it('a version 2 document (no voice, no flags) opens as the current version: voice not analysed, its disagreements face against words', () => {
    const current = makeDocument();
    current.segments = [
      { startSec: 0, endSec: 1, faces: [{ trackId: 1, label: 'happy', confidence: 0.8, valence: 0.7, arousal: 0.4 }], disagreement: true, flags: ['face-words'] },
      { startSec: 1, endSec: 2, faces: [], disagreement: false, flags: [] },
    ];
    const v2 = JSON.parse(JSON.stringify({ ...current, schemaVersion: 2 })) as Record<string, unknown> & { segments: Record<string, unknown>[]; provenance: { settings: Record<string, unknown> } };
    delete v2.voice;
    delete v2.provenance.settings.voice;
    for (const segment of v2.segments) {
      delete segment.flags;
      for (const face of segment.faces as Record<string, unknown>[]) delete face.arousal;
    }
    assert.notDeepEqual(annotationProblems(v2), [], 'as written, a version 2 document is not a valid current one');
    const opened = parseAnnotationDocument(JSON.stringify(v2), '/data/old.mp4.emotion.json');
    assert.equal(opened.voice.status, 'not-analysed');
    assert.match(opened.voice.reason ?? '', /analyse again/);
    assert.deepEqual(opened.segments.map((s) => s.flags), [['face-words'], []]);
    assert.equal(opened.segments[0]!.faces[0]!.arousal, 0);
    assert.equal(opened.provenance.settings.voice, false);
    assert.deepEqual(opened.frames, current.frames);
  });

  it('a document from a newer Emotion Lens is refused in one line that says so, not misread', () => {
    const newer = { ...makeDocument(), schemaVersion: SCHEMA_VERSION + 1 };
    assert.throws(
      () => parseAnnotationDocument(JSON.stringify(newer), '/data/new.mp4.emotion.json'),
      (error: unknown) => error instanceof EmotionLensError && error.code === 'document-invalid' && !error.message.includes('\n')
        && error.message.includes(`schema version ${SCHEMA_VERSION + 1}`) && /newer Emotion Lens/.test(error.message) && /Update Emotion Lens/.test(error.message),
    );
  });

  it('analysedUntilSec is optional and its times are checked', () => {
    const doc = makeDocument();
    doc.media.analysedUntilSec = { video: 8.033, audio: 8.064 };
    assert.deepEqual(annotationProblems(doc), []);
    (doc.media.analysedUntilSec as Record<string, unknown>).video = -1;
    assert.match(annotationProblems(doc).join('\n'), /analysedUntilSec\/video/);
  });
});

describe('annotation document files', () => {
  it('names the document after the whole video file name, beside it or in another folder', () => {
    assert.equal(documentPathFor('/v/clip.mp4'), path.join('/v', 'clip.mp4.emotion.json'));
    assert.equal(documentPathFor('/v/clip.mp4', '/out'), path.join('/out', 'clip.mp4.emotion.json'));
  });

  it('serialises one frame per line and reads back identical', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const doc = makeDocument(makeFrames(50, 0.2, [1, 2]));
      const file = path.join(dir, 'clip.mp4.emotion.json');
      await writeAnnotationDocument(file, doc);
      const text = await fs.readFile(file, 'utf8');
      assert.equal(text.split('\n').filter((line) => line.includes('"timeSec"')).length, 50);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(doc)));
      assert.equal(serialiseAnnotationDocument(doc), text);
      assert.deepEqual(await readExistingDocument(file), JSON.parse(text));
      assert.equal(await readExistingDocument(path.join(dir, 'missing.emotion.json')), undefined);
    } finally {
      cleanup();
    }
  });

  it('writes atomically: a failed write leaves the old file and no temporary file', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const file = path.join(dir, 'doc.json');
      await writeFileAtomic(file, 'old');
      // The target is replaced by a folder, so the final rename must fail after the temp file was written.
      await fs.rm(file);
      await fs.mkdir(file);
      await fs.writeFile(path.join(file, 'keep'), 'x');
      await assert.rejects(writeFileAtomic(file, 'new'));
      assert.deepEqual((await fs.readdir(dir)).sort(), ['doc.json']);
      await fs.rm(file, { recursive: true });
      await writeFileAtomic(file, 'new');
      assert.equal(await fs.readFile(file, 'utf8'), 'new');
    } finally {
      cleanup();
    }
  });

  it('refuses to write an invalid document', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const doc = makeDocument();
      doc.labels = [];
      const file = path.join(dir, 'x.emotion.json');
      await assert.rejects(writeAnnotationDocument(file, doc), /refusing to write an invalid document/);
      assert.deepEqual(await fs.readdir(dir), []);
    } finally {
      cleanup();
    }
  });
});
