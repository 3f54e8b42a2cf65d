import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  chooseSpeechModel,
  detectSpeechModel,
  findTransducerFiles,
  NO_SPEECH_MODEL_REASON,
  SHERPA_DEFAULT_ID,
  VOSK_SMALL_EN_ID,
  voskModelProblem,
} from '../../src/core/models/speechModelSelection';
import { makeTempDir, modelFile, noModelsReason, skipUnless } from '../helpers/testEnvironment';

const temp = makeTempDir();
after(temp.cleanup);

/** Creates empty files (layout is all that selection looks at). */
function layout(dir: string, files: string[]): string {
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), '');
  }
  return dir;
}

const voskFiles = ['am/final.mdl', 'conf/model.conf', 'conf/mfcc.conf', 'graph/HCLr.fst'];
const sherpaFiles = ['encoder-epoch-1.int8.onnx', 'decoder-epoch-1.onnx', 'joiner-epoch-1.int8.onnx', 'tokens.txt'];

describe('speech model detection', () => {
  const vosk = layout(path.join(temp.dir, 'my-vosk'), voskFiles);
  const sherpa = layout(path.join(temp.dir, 'my-sherpa'), sherpaFiles);
  const neither = layout(path.join(temp.dir, 'neither'), ['README', 'tokens.txt']);

  it('recognises a Vosk folder and a sherpa-onnx transducer folder by their files', () => {
    assert.deepEqual(detectSpeechModel(vosk), { engine: 'vosk', modelId: 'my-vosk' });
    assert.deepEqual(detectSpeechModel(sherpa), { engine: 'sherpa-onnx', modelId: 'my-sherpa' });
    assert.equal(detectSpeechModel(neither), undefined);
    assert.equal(detectSpeechModel(path.join(temp.dir, 'absent')), undefined);
  });

  it('says what is wrong with a folder that is not a Vosk model', () => {
    assert.equal(voskModelProblem(vosk), undefined);
    assert.match(voskModelProblem(neither) ?? '', /am\/final\.mdl/);
    assert.match(voskModelProblem(path.join(temp.dir, 'absent')) ?? '', /not found/);
    const amOnly = layout(path.join(temp.dir, 'am-only'), ['am/final.mdl']);
    assert.match(voskModelProblem(amOnly) ?? '', /conf\/model\.conf or graph/);
  });

  it('prefers a repaired (.fixed) encoder, then int8, among several files', () => {
    const dir = layout(path.join(temp.dir, 'several'), [...sherpaFiles, 'encoder-epoch-1.onnx', 'encoder-epoch-1.int8.fixed.onnx']);
    assert.equal(path.basename(findTransducerFiles(dir)?.encoder ?? ''), 'encoder-epoch-1.int8.fixed.onnx');
    assert.equal(path.basename(findTransducerFiles(dir)?.joiner ?? ''), 'joiner-epoch-1.int8.onnx');
  });

  it('detects the real shared sherpa-onnx model', skipUnless(noModelsReason), () => {
    assert.deepEqual(detectSpeechModel(modelFile(SHERPA_DEFAULT_ID)), { engine: 'sherpa-onnx', modelId: SHERPA_DEFAULT_ID });
  });
});

describe('chooseSpeechModel', () => {
  const modelsDir = path.join(temp.dir, 'models');
  layout(path.join(modelsDir, SHERPA_DEFAULT_ID), sherpaFiles);
  const cacheDir = path.join(temp.dir, 'cache');
  const voskDir = layout(path.join(temp.dir, 'vosk-configured'), voskFiles);

  it('uses Vosk when a Vosk model is configured, even with a sherpa model available', () => {
    const choice = chooseSpeechModel({ voskModelDir: voskDir, modelsDir });
    assert.equal(choice.config?.engine, 'vosk');
    assert.equal(choice.config?.modelDir, path.resolve(voskDir));
    assert.equal(choice.config?.modelId, 'vosk-configured');
  });

  it('explains a configured Vosk folder that is not a model instead of silently falling back', () => {
    const choice = chooseSpeechModel({ voskModelDir: path.join(temp.dir, 'nope'), modelsDir });
    assert.equal(choice.config, undefined);
    assert.match(choice.reason ?? '', /nope: folder not found/);
    assert.doesNotMatch(choice.reason ?? '', /\n/);
  });

  it('detects the engine of an explicit --speech-model folder', () => {
    assert.equal(chooseSpeechModel({ speechModelDir: voskDir }).config?.engine, 'vosk');
    assert.equal(chooseSpeechModel({ speechModelDir: path.join(modelsDir, SHERPA_DEFAULT_ID) }).config?.engine, 'sherpa-onnx');
    assert.match(chooseSpeechModel({ speechModelDir: temp.dir }).reason ?? '', /not a speech model folder/);
  });

  it('finds the sherpa-onnx model in the models folder', () => {
    const choice = chooseSpeechModel({ modelsDir, cacheDir });
    assert.equal(choice.config?.engine, 'sherpa-onnx');
    assert.equal(choice.config?.modelId, SHERPA_DEFAULT_ID);
  });

  it('prefers a downloaded Vosk model in the cache over the tiny sherpa-onnx model', () => {
    const cache2 = path.join(temp.dir, 'cache2');
    layout(path.join(cache2, VOSK_SMALL_EN_ID), voskFiles);
    assert.equal(chooseSpeechModel({ modelsDir, cacheDir: cache2 }).config?.engine, 'vosk');
  });

  it('finds a sherpa-onnx model in the cache', () => {
    const cache3 = path.join(temp.dir, 'cache3');
    layout(path.join(cache3, SHERPA_DEFAULT_ID), sherpaFiles);
    assert.equal(chooseSpeechModel({ cacheDir: cache3 }).config?.engine, 'sherpa-onnx');
  });

  it('uses the bundled sherpa-onnx model when nothing else is configured, after the models folder and a downloaded Vosk model', () => {
    const bundledDir = path.join(temp.dir, 'bundled');
    layout(path.join(bundledDir, SHERPA_DEFAULT_ID), sherpaFiles);
    const alone = chooseSpeechModel({ cacheDir: path.join(temp.dir, 'empty-cache'), bundledDir });
    assert.equal(alone.config?.modelDir, path.resolve(bundledDir, SHERPA_DEFAULT_ID));
    assert.equal(chooseSpeechModel({ modelsDir, cacheDir, bundledDir }).config?.modelDir, path.resolve(modelsDir, SHERPA_DEFAULT_ID));
    const cacheWithVosk = path.join(temp.dir, 'cache4');
    layout(path.join(cacheWithVosk, VOSK_SMALL_EN_ID), voskFiles);
    assert.equal(chooseSpeechModel({ cacheDir: cacheWithVosk, bundledDir }).config?.engine, 'vosk');
    assert.equal(chooseSpeechModel({ voskModelDir: voskDir, bundledDir }).config?.modelDir, path.resolve(voskDir));
  });

  it('gives a one-line reason saying how to get a model when there is none', () => {
    const choice = chooseSpeechModel({ modelsDir: path.join(temp.dir, 'empty'), cacheDir, bundledDir: null });
    assert.equal(choice.config, undefined);
    assert.equal(choice.reason, NO_SPEECH_MODEL_REASON);
    assert.match(choice.reason ?? '', /--speech-model/);
    assert.match(choice.reason ?? '', /--download-vosk/);
  });
});
