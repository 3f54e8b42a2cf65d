// exportFormats.ts: the golden files of every format (the committed spec; UPDATE_GOLDEN=1 rewrites them),
// deterministic output, file names, and exporting to files (validated, atomic).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { EmotionLensError } from '../../src/core/errors';
import type { ExportFormat } from '../../src/core/export/exportFormats';
import { EXPORT_FORMAT_IDS, exportDocument, exportPathFor, exportToFile } from '../../src/core/export/exportFormats';
import { writeAnnotationDocument } from '../../src/core/document/annotationFile';
import { labelStudioConfig } from '../../src/core/export/labelStudio';
import { makeTempDir, repoRoot } from '../helpers/testEnvironment';
import { audioFixture, exportFixture, FIXTURE_DOCUMENT_PATH, fixtureLandmarks } from '../helpers/exportFixture';

const goldenDir = path.join(repoRoot, 'test', 'fixtures', 'exports');

describe('exports: golden files', () => {
  // The 68 landmarks the exports read from the mesh sidecar (loadMeshLandmarks), stood in by the fixture's.
  const options = { documentPath: FIXTURE_DOCUMENT_PATH, landmarks: fixtureLandmarks() };
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

describe('exports: file names', () => {

  it('every format has a distinct file name beside the document', () => {
    const names = EXPORT_FORMAT_IDS.map((f: ExportFormat) => exportPathFor('/x/clip.mp4.emotion.json', f));
    assert.deepEqual(names, ['/x/clip.mp4.training.json', '/x/clip.mp4.frames.csv', '/x/clip.mp4.pyfeat.csv', '/x/clip.mp4.voice.csv', '/x/clip.mp4.eaf', '/x/clip.mp4.vtt', '/x/clip.mp4.labelstudio.json']);
    assert.equal(exportPathFor('/x/clip.mp4.emotion.json', 'csv', '/out'), '/out/clip.mp4.frames.csv');
  });
});

describe('exports of an audio recording', () => {
  const doc = audioFixture();

  it('the audio fixture is a valid annotation document', () => {
    assert.deepEqual(annotationProblems(doc), []);
  });

  it('exportToFile of the frames CSV writes nothing and says why', async () => {
    const temp = makeTempDir();
    try {
      const docPath = path.join(temp.dir, 'clip one.wav.emotion.json');
      await writeAnnotationDocument(docPath, doc);
      await assert.rejects(exportToFile(docPath, 'csv'), (error: unknown) => error instanceof EmotionLensError && error.message.includes(docPath) && /audio file/.test(error.message));
      assert.deepEqual(await exportToFile(docPath, 'voice'), [path.join(temp.dir, 'clip one.wav.voice.csv')]);
      assert.deepEqual(readdirSync(temp.dir).sort(), ['clip one.wav.emotion.json', 'clip one.wav.voice.csv']);
    } finally {
      temp.cleanup();
    }
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
