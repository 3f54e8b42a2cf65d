// The buttons of a failure notification, chosen by the engine's error code, including codes that crossed the
// child-process boundary for real.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { makeRequest } from '../../src/core/engine/analysisRequest';
import { analyzeInChildProcess } from '../../src/core/engine/childProcess/engineClient';
import { CancelledError, EmotionLensError } from '../../src/core/errors';
import { ACTION_LABELS, actionsForError, errorCodeOf, transcriptNotice } from '../../src/extension/errorActions';
import { makeTempDir, repoRoot, skipUnless } from '../helpers/testEnvironment';

const trusted = { trusted: true, ignored: [] };

describe('actionsForError', () => {
  test('each fixable code offers its fix, then the log', () => {
    assert.deepEqual(actionsForError('ffmpeg-missing', trusted), ['chooseFfmpeg', 'openLog']);
    for (const code of ['model-missing', 'model-checksum', 'model-corrupt']) {
      assert.deepEqual(actionsForError(code, trusted), ['downloadModels', 'chooseModelsFolder', 'openLog']);
    }
    assert.deepEqual(actionsForError('speech-model', trusted), ['chooseVoskFolder', 'speechSettings', 'openLog']);
    assert.deepEqual(actionsForError('document-invalid', trusted), ['openAsText', 'openLog']);
  });

  test('errors nobody can fix from here get the log; cancellation gets nothing', () => {
    for (const code of ['input-missing', 'input-unreadable', 'no-video-stream', 'internal', undefined]) {
      assert.deepEqual(actionsForError(code, trusted), ['openLog']);
    }
    assert.deepEqual(actionsForError('cancelled', trusted), []);
  });

  test('in restricted mode, trusting the workspace is offered when its setting was what got ignored', () => {
    assert.deepEqual(actionsForError('ffmpeg-missing', { trusted: false, ignored: ['ffmpegPath'] }), ['chooseFfmpeg', 'manageTrust', 'openLog']);
    assert.deepEqual(actionsForError('ffmpeg-missing', { trusted: false, ignored: ['modelsFolder'] }), ['chooseFfmpeg', 'openLog']);
    // At most three buttons: the log gives way to the trust action.
    assert.deepEqual(actionsForError('model-missing', { trusted: false, ignored: ['modelsFolder'] }), ['downloadModels', 'chooseModelsFolder', 'manageTrust']);
  });

  test('every action has a label, and labels are distinct (the choice is matched by label)', () => {
    const labels = Object.values(ACTION_LABELS);
    assert.equal(new Set(labels).size, labels.length);
  });

  test('errorCodeOf reads EmotionLensError codes and ignores everything else', () => {
    assert.equal(errorCodeOf(new EmotionLensError('model-missing', 'x')), 'model-missing');
    assert.equal(errorCodeOf(new CancelledError('f')), 'cancelled');
    assert.equal(errorCodeOf(new Error('plain')), undefined);
    assert.equal(errorCodeOf('text'), undefined);
    assert.equal(errorCodeOf(Object.assign(new Error('spawn'), { code: 'ENOENT' })), 'ENOENT');
  });
});

describe('transcript notice', () => {
  const base = { input: '/v/clip.mp4', transcript: { status: 'ok' as const, words: 3, utterances: 1 } };

  test('no speech model: offers to choose or download one', () => {
    const notice = transcriptNotice({ ...base, transcript: { status: 'unavailable', reason: 'no speech model', words: 0, utterances: 0 } }, 'clip.mp4');
    assert.deepEqual(notice?.actions, ['chooseVoskFolder', 'downloadVoskModel']);
    assert.match(notice?.message ?? '', /^No transcript for clip\.mp4/);
  });

  test('a failed recogniser points at the log; ok, disabled and silent files say nothing', () => {
    assert.deepEqual(transcriptNotice({ ...base, transcript: { status: 'failed', reason: 'boom', words: 0, utterances: 0 } }, 'clip.mp4')?.actions, ['openLog']);
    for (const status of ['ok', 'disabled', 'no-audio'] as const) {
      assert.equal(transcriptNotice({ ...base, transcript: { status, words: 0, utterances: 0 } }, 'clip.mp4'), undefined);
    }
  });
});

describe('codes from the real analysis child process', () => {
  const script = path.join(repoRoot, 'dist', 'analysisProcess.js');
  const noBundle = existsSync(script) ? undefined : 'dist/analysisProcess.js is not built (run node esbuild.js)';
  const noFfmpeg = spawnSync('ffmpeg', ['-hide_banner', '-version']).status === 0 ? undefined : 'ffmpeg is not on PATH';

  test('a missing ffmpeg arrives as ffmpeg-missing and gets "Choose ffmpeg…"', skipUnless(noBundle), async () => {
    const temp = makeTempDir();
    try {
      const request = makeRequest(path.join(temp.dir, 'clip.mp4'), { ffmpeg: { ffmpegPath: path.join(temp.dir, 'no-such-ffmpeg') }, models: { cacheDir: temp.dir } });
      const error = await analyzeInChildProcess(request, { processScript: script }).then(() => undefined, (e: unknown) => e);
      assert.equal(errorCodeOf(error), 'ffmpeg-missing');
      assert.deepEqual(actionsForError(errorCodeOf(error), trusted), ['chooseFfmpeg', 'openLog']);
      assert.match(String((error as Error).message), /no-such-ffmpeg/);
    } finally {
      temp.cleanup();
    }
  });

  test('a missing input arrives as input-missing and gets only "Open Log"', skipUnless(noBundle, noFfmpeg), async () => {
    const temp = makeTempDir();
    try {
      const request = makeRequest(path.join(temp.dir, 'missing.mp4'), { models: { cacheDir: temp.dir } });
      const error = await analyzeInChildProcess(request, { processScript: script }).then(() => undefined, (e: unknown) => e);
      assert.equal(errorCodeOf(error), 'input-missing', String(error));
      assert.deepEqual(actionsForError(errorCodeOf(error), trusted), ['openLog']);
    } finally {
      temp.cleanup();
    }
  });
});
