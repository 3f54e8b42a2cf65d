// One loaded engine for a batch: the models and worker pool are started once per configuration and shared by
// every input, several at a time; a crashed pool is replaced for the next input instead of failing the rest.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { makeRequest } from '../../src/core/engine/analysisRequest';
import type { RequestOverrides } from '../../src/core/engine/analysisRequest';
import { AnalysisSession, analyzeOnce } from '../../src/core/engine/analysisSession';
import { waitUntil } from '../helpers/eventually';
import { makeAudioOnlyFile, makeStillImages, noFfmpegReason } from '../helpers/mediaFixtures';
import { makeTempDir, modelsDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';

describe('AnalysisSession', skipUnless(noModelsReason, noMediaReason, noFfmpegReason), () => {
  const temp = makeTempDir();
  after(temp.cleanup);
  let stills: string[];
  before(async () => {
    stills = [];
    for (const at of [3, 10, 16]) {
      const dir = path.join(temp.dir, `at-${at}`);
      mkdirSync(dir);
      stills.push((await makeStillImages(dir, at)).jpg);
    }
  });
  const request = (input: string, overrides: RequestOverrides = {}) => makeRequest(input, { ...overrides, models: { modelsDir }, settings: { speech: false, ...overrides.settings }, threads: 2 });

  it('analyses many inputs at once with one engine, giving what a one-shot analysis gives', async () => {
    const session = new AnalysisSession();
    try {
      const outcomes = await Promise.all(stills.map((s) => session.analyze(request(s, { outName: 'batch.emotion.json', outDir: path.dirname(s) }))));
      assert.equal(session.enginesStarted, 1);
      const alone = await analyzeOnce(request(stills[1]!, { outName: 'alone.emotion.json', outDir: path.dirname(stills[1]!) }));
      const [batched, single] = await Promise.all([readAnnotationDocument(outcomes[1]!.outputPath), readAnnotationDocument(alone.outputPath)]);
      assert.deepEqual(batched.frames, single.frames, 'the shared engine changes nothing in the results');
      assert.ok(outcomes.every((o) => o.facesFound === 1), JSON.stringify(outcomes.map((o) => o.facesFound)));
    } finally {
      await session.close();
    }
  });

  it('starts a new engine only for other detector or model settings, and replaces a pool whose worker crashed', async () => {
    const session = new AnalysisSession();
    try {
      await session.analyze(request(stills[0]!));
      await session.analyze(request(stills[1]!));
      assert.equal(session.enginesStarted, 1);
      await session.analyze(request(stills[2]!, { settings: { minFaceScore: 0.7 } }));
      assert.equal(session.enginesStarted, 2);
      const crashing = request(stills[0]!, { settings: { minFaceScore: 0.7 } });
      await session.useFaceEngine(crashing, () => undefined, new AbortController().signal, async (engine) => {
        engine.pool.crashWorkerForTest();
        // The pool knows once the worker's exit has come in (how soon depends on the machine's load).
        await waitUntil(() => engine.pool.failed, 'the pool never noticed its crashed worker');
      });
      const outcome = await session.analyze(crashing);
      assert.equal(outcome.facesFound, 1);
      assert.equal(session.enginesStarted, 3, 'the crashed pool was replaced');
    } finally {
      await session.close();
    }
  });

  it('loads the face models while the input is probed: one engine for both, none for a speech recording, and a start that fails still fails the input with its reason', async () => {
    const session = new AnalysisSession();
    try {
      session.prepareFaceEngine(request(stills[0]!), () => undefined);
      session.prepareFaceEngine(request(stills[0]!), () => undefined);
      const outcome = await session.analyze(request(stills[0]!, { outName: 'prepared.emotion.json', outDir: path.dirname(stills[0]!) }));
      assert.equal(outcome.facesFound, 1);
      assert.equal(session.enginesStarted, 1, 'the prepared engine is the one the input used');

      const tone = await makeAudioOnlyFile(temp.dir, 'tone.m4a');
      const speech = await session.analyze(request(tone, { settings: { geometry: true } }));
      assert.equal(speech.frames, 0);
      assert.equal(session.enginesStarted, 1, 'a speech recording starts no face engine');

      const unknownDetector = makeRequest(stills[1]!, { models: { modelsDir, detectorId: 'no_such_detector' }, settings: { speech: false }, threads: 2 });
      await assert.rejects(session.analyze(unknownDetector), /no_such_detector/);
    } finally {
      await session.close();
    }
  });

  it('refuses work once closed', async () => {
    const session = new AnalysisSession();
    await session.close();
    await assert.rejects(session.analyze(request(stills[0]!)), /closed/);
  });
});
