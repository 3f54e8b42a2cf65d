// cli/analyzeOptions.ts: parsing `emotion-lens analyze` options into requests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAnalyzeArgs, UsageError } from '../../src/cli/analyzeOptions';

describe('parseAnalyzeArgs', () => {
  it('takes --force and --shard K/N, and rejects a bad shard as a usage error', () => {
    const options = parseAnalyzeArgs(['d', '--force', '--shard', '1/3'], {});
    assert.ok(options !== 'help' && options.force && options.shard?.index === 1 && options.shard.count === 3);
    assert.throws(() => parseAnalyzeArgs(['d', '--shard', '3/3'], {}), UsageError);
  });

  it('maps flags to a request and keeps defaults for what is not given', () => {
    const options = parseAnalyzeArgs(['a.mp4', 'dir', '--sample-fps', 'all', '--no-speech', '--models', '/m', '--expression-model', 'x,y'], {});
    assert.notEqual(options, 'help');
    if (options === 'help') return;
    assert.deepEqual(options.inputs, ['a.mp4', 'dir']);
    const request = options.requestFor('/abs/a.mp4');
    assert.equal(request.settings.sampleFps, 0);
    assert.equal(request.settings.speech, false);
    assert.deepEqual(request.settings.expressionModels, ['x', 'y']);
    assert.equal(request.models.modelsDir, '/m');
    assert.equal(request.models.detectorId, 'face_detection_yunet_2023mar');
    assert.equal(request.settings.minFaceScore, 0.6);
    assert.equal(request.existingDocument, 'merge');
  });

  it('takes model folders from the environment when no flag is given', () => {
    const options = parseAnalyzeArgs(['a.mp4'], { EMOTION_LENS_MODELS: '/env/models', EMOTION_LENS_VOSK_MODEL: '/vosk' });
    if (options === 'help') throw new Error('unexpected help');
    const request = options.requestFor('a.mp4');
    assert.equal(request.models.modelsDir, '/env/models');
    assert.equal(request.speech.voskModelDir, '/vosk');
  });

  it('rejects bad values and missing inputs with a usage error', () => {
    assert.throws(() => parseAnalyzeArgs([], {}), UsageError);
    assert.throws(() => parseAnalyzeArgs(['a.mp4', '--sample-fps', 'fast'], {}), /--sample-fps must be a number/);
    assert.throws(() => parseAnalyzeArgs(['a.mp4', '--min-face-score', '2'], {}), UsageError);
    assert.throws(() => parseAnalyzeArgs(['a.mp4', '--bogus'], {}), /Unknown option/);
  });
});
