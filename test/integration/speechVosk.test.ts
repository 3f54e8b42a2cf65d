// The koffi binding against the REAL libvosk of the vosk package; a real transcription when a Vosk model is given.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { EmotionLensError } from '../../src/core/errors';
import type { SpeechModelConfig } from '../../src/core/speech/speechTypes';
import { transcribe } from '../../src/core/speech/transcribe';
import { loadVosk, openVoskModel, voskLibraryLocation } from '../../src/core/speech/voskBinding';
import { splitUtterances } from '../../src/core/text/utterances';
import { wordErrorRate } from '../../src/core/text/wordErrorRate';
import { ffmpegPcm16k } from '../helpers/pcmAudio';
import { makeTempDir, mediaFile, noMediaReason, skipIfUnobtainable, skipUnless } from '../helpers/testEnvironment';

const voskModel = process.env.EMOTION_LENS_VOSK_MODEL;
const noVoskModelReason =
  voskModel && existsSync(voskModel)
    ? undefined
    : 'EMOTION_LENS_VOSK_MODEL does not point at a Vosk model folder (none can be obtained on this machine; e.g. unzip vosk-model-small-en-us-0.15 and set it)';

function assertOneLineSpeechError(error: unknown, pattern: RegExp): true {
  assert.ok(error instanceof EmotionLensError, `expected EmotionLensError, got ${String(error)}`);
  assert.equal(error.code, 'speech-model');
  assert.doesNotMatch(error.message, /\n/);
  assert.match(error.message, pattern);
  return true;
}

describe('libvosk binding (koffi)', () => {
  it('maps platforms to the libraries the vosk package ships', () => {
    assert.deepEqual(voskLibraryLocation('linux', 'x64'), { folder: 'linux-x86_64', file: 'libvosk.so' });
    assert.deepEqual(voskLibraryLocation('win32', 'x64'), { folder: 'win-x86_64', file: 'libvosk.dll' });
    assert.deepEqual(voskLibraryLocation('darwin', 'arm64'), { folder: 'osx-universal', file: 'libvosk.dylib' });
    assert.equal(voskLibraryLocation('linux', 'arm64'), undefined);
  });

  it('loads the real libvosk from the vosk package and calls vosk_set_log_level', () => {
    const lib = loadVosk();
    assert.ok(existsSync(lib.libraryPath));
    assert.match(lib.libraryPath.replace(/\\/g, '/'), /node_modules\/vosk\/lib\/[^/]+\/libvosk\.(so|dll|dylib)$/);
    lib.setLogLevel(-1);
    lib.setLogLevel(0);
    lib.setLogLevel(-1);
    assert.equal(loadVosk(), lib, 'loaded once per thread');
  });

  describe('model folder problems give one-line errors, no crash', () => {
    const temp = makeTempDir();
    after(temp.cleanup);

    const brokenModel = (): string => {
      const dir = path.join(temp.dir, 'broken-model');
      for (const [file, content] of Object.entries({
        'am/final.mdl': Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7919) % 251)),
        'conf/model.conf': '--min-active=200\n--max-active=3000\n',
        'conf/mfcc.conf': '--use-energy=false\n--sample-frequency=16000\n',
        'graph/HCLr.fst': 'not an fst '.repeat(100),
        'graph/Gr.fst': 'not an fst '.repeat(100),
      })) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), content);
      }
      return dir;
    };

    it('a missing folder is reported before vosk_model_new is called', () => {
      const missing = path.join(temp.dir, 'no-such-model');
      assert.throws(() => openVoskModel(loadVosk(), missing), (e: unknown) => assertOneLineSpeechError(e, /no-such-model: Vosk model folder not found\. .*--download-vosk/));
    });

    it('a folder that is not a Vosk model is reported by what it lacks', () => {
      const dir = path.join(temp.dir, 'just-files');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'README'), 'hello');
      assert.throws(() => openVoskModel(loadVosk(), dir), (e: unknown) => assertOneLineSpeechError(e, /just-files: .*no am\/final\.mdl/));
    });

    it('a model folder whose files hold garbage: vosk_model_new returns NULL, a clear error follows', () => {
      const lib = loadVosk();
      lib.setLogLevel(-1);
      assert.throws(() => openVoskModel(lib, brokenModel()), (e: unknown) => assertOneLineSpeechError(e, /broken-model: Vosk could not load this model/));
    });

    it('the same error comes back through the speech worker', skipUnless(noMediaReason), async () => {
      const config: SpeechModelConfig = { engine: 'vosk', modelDir: brokenModel(), modelId: 'broken-model' };
      await assert.rejects(transcribe(ffmpegPcm16k(mediaFile('speech', 'jfk.wav')), config), (e: unknown) => assertOneLineSpeechError(e, /Vosk could not load this model/));
    });
  });
});

describe('Vosk transcription of jfk.wav', () => {
  it('transcribes with a bounded word error rate and increasing word times', { ...skipUnless(noMediaReason), ...skipIfUnobtainable(noVoskModelReason) }, async () => {
    const config: SpeechModelConfig = { engine: 'vosk', modelDir: voskModel ?? '', modelId: path.basename(voskModel ?? '') };
    const started = performance.now();
    const result = await transcribe(ffmpegPcm16k(mediaFile('speech', 'jfk.wav')), config);
    const ms = performance.now() - started;
    const wer = wordErrorRate(readFileSync(mediaFile('speech', 'jfk.txt'), 'utf8'), result.words.map((w) => w.text).join(' '));
    console.log(`vosk ${config.modelId} jfk.wav in ${ms.toFixed(0)} ms: WER ${wer.errors}/${wer.words}; ${result.words.map((w) => `${w.text}@${w.startSec.toFixed(2)}`).join(' ')}`);
    assert.equal(result.engine, 'vosk');
    // vosk-model-small-en-us-0.15 publishes ~10 % WER on clean read speech: about 2 of 22; allow 4.
    assert.ok(wer.errors <= 4, `WER ${wer.errors}/${wer.words}`);
    for (let i = 1; i < result.words.length; i++) assert.ok(result.words[i]!.startSec >= result.words[i - 1]!.endSec - 0.01);
    for (const w of result.words) assert.ok(w.startSec >= 0.29 - 0.1 && w.endSec <= 10.94 + 0.3, `${w.text} inside the speech`);
    assert.ok(splitUtterances(result.words, result.endpoints).length >= 2);
  });
});
