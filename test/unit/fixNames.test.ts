// Error hints name the fix in the words of the face in use: CLI flags by default, VS Code settings and commands
// after useFixNames. The errors come from the real throw sites (real ffmpeg lookup, model resolver, speech checks).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { EmotionLensError } from '../../src/core/errors';
import { CLI_FIX_NAMES, fixNames, fixNamesProblem, MAX_FIX_NAME_LENGTH, useFixNames } from '../../src/core/fixNames';
import type { FixNames } from '../../src/core/fixNames';
import { clearFfmpegCache, ffmpegInstallHint, locateFfmpeg } from '../../src/core/media/ffmpegTools';
import { resolveModel } from '../../src/core/models/modelResolver';
import { chooseSpeechModel, NO_SPEECH_MODEL_REASON, noSpeechModelReason } from '../../src/core/models/speechModelSelection';
import { checkTokens } from '../../src/core/speech/sherpaModelCheck';
import { createSherpaEngine } from '../../src/core/speech/sherpaRecognizer';
import { loadVosk, openVoskModel } from '../../src/core/speech/voskBinding';
import { openSession } from '../../src/core/vision/onnxSession';
import { VSCODE_FIX_NAMES } from '../../src/extension/fixNamesForVsCode';
import { makeTempDir, repoRoot } from '../helpers/testEnvironment';

// What a user without the bundled default models sees (a source checkout before bundleModels, or a damaged install).
process.env.EMOTION_LENS_NO_BUNDLED_MODELS = '1';

/** What a CLI flag, CLI command or CLI environment variable looks like inside a message. */
const CLI_WORDING = /(^|[\s(`'"])--[a-z]|emotion-lens |EMOTION_LENS_/;

const DETECTOR_ID = 'face_detection_yunet_2023mar';
const NO_DOWNLOAD_ID = 'fer_xception_fer2013_oarriaga';

afterEach(() => {
  useFixNames(CLI_FIX_NAMES);
  clearFfmpegCache();
});

async function rejection(run: () => Promise<unknown>): Promise<EmotionLensError> {
  const error = await run().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof EmotionLensError, `expected an EmotionLensError, got ${String(error)}`);
  assert.doesNotMatch(error.message, /\n/, 'one line');
  return error;
}

/** A folder with files of the given relative names (layout is all these checks look at). */
function layout(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** One real error per throw site that names a fix; `messages` are the one-line messages a user sees. */
async function hintsFromRealThrowSites(temp: string): Promise<{ site: string; message: string }[]> {
  const empty = path.join(temp, `empty-${Math.random().toString(36).slice(2)}`);
  mkdirSync(empty);
  const notSherpa = layout(path.join(empty, 'not-sherpa'), { 'README.txt': 'no model here' });
  const badTokens = layout(path.join(empty, 'bad-tokens'), { 'tokens.txt': 'only-one-line\n' });
  const notOnnx = layout(path.join(empty, 'bad-onnx'), { 'model.onnx': 'not an onnx file' });
  layout(path.join(empty, 'damaged', DETECTOR_ID), { [`${DETECTOR_ID}.onnx`]: 'not the real bytes' });
  const brokenVosk = path.join(empty, 'no-such-vosk-model');
  const sites: { site: string; message: string }[] = [];
  const add = (site: string, message: string | undefined) => sites.push({ site, message: message ?? '' });
  add('ffmpeg: a bogus path', (await rejection(() => locateFfmpeg({ ffmpegPath: path.join(empty, 'no-such-ffmpeg'), env: {} }))).message);
  add('ffmpeg: not on PATH', (await rejection(() => locateFfmpeg({ env: { PATH: empty } }))).message);
  add('models: missing, downloadable', (await rejection(() => resolveModel(DETECTOR_ID, { modelsDir: empty, cacheDir: empty }))).message);
  add('models: missing, no public copy', (await rejection(() => resolveModel(NO_DOWNLOAD_ID, { modelsDir: empty, cacheDir: empty }))).message);
  add('models: wrong sha256', (await rejection(() => resolveModel(DETECTOR_ID, { modelsDir: path.join(empty, 'damaged'), cacheDir: empty }))).message);
  add('models: not an ONNX file', (await rejection(() => openSession(path.join(notOnnx, 'model.onnx')))).message);
  add('speech: not a sherpa-onnx folder', (await rejection(() => createSherpaEngine({ engine: 'sherpa-onnx', modelDir: notSherpa, modelId: 'not-sherpa' }))).message);
  add('speech: damaged tokens.txt', (await rejection(() => checkTokens(path.join(badTokens, 'tokens.txt')))).message);
  add('speech: not a Vosk folder', (await rejection(async () => openVoskModel(loadVosk(), brokenVosk))).message);
  add('speech: Vosk folder setting is wrong', chooseSpeechModel({ voskModelDir: brokenVosk }).reason);
  add('speech: speech folder setting is wrong', chooseSpeechModel({ speechModelDir: notSherpa }).reason);
  add('speech: no model anywhere', chooseSpeechModel({ modelsDir: empty, cacheDir: empty }).reason);
  return sites;
}

describe('with the default (CLI) names', () => {
  test('the CLI messages are word for word what they were before fix names existed', async () => {
    const temp = makeTempDir();
    try {
      assert.deepEqual(fixNames(), CLI_FIX_NAMES);
      assert.equal(
        ffmpegInstallHint(),
        'Install it (Debian/Ubuntu: sudo apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg) or set --ffmpeg / EMOTION_LENS_FFMPEG',
      );
      assert.equal(
        NO_SPEECH_MODEL_REASON,
        'no speech model: set --speech-model DIR (a Vosk model folder, e.g. vosk-model-small-en-us-0.15) or run `emotion-lens models --download-vosk`',
      );
      assert.equal(noSpeechModelReason(), NO_SPEECH_MODEL_REASON);
      const hints = new Map((await hintsFromRealThrowSites(temp.dir)).map((h) => [h.site, h.message]));
      const endsWith = (site: string, tail: string) => assert.ok(hints.get(site)?.endsWith(tail), `${site}: ${hints.get(site)}`);
      endsWith('ffmpeg: a bogus path', 'or set --ffmpeg / EMOTION_LENS_FFMPEG');
      endsWith('models: missing, downloadable', 'To fix: pass --models DIR, set EMOTION_LENS_MODELS, or run `emotion-lens models --download`.');
      endsWith('models: missing, no public copy', 'cannot be downloaded (no public copy), so place it by hand in a folder given with --models DIR or EMOTION_LENS_MODELS.');
      assert.match(hints.get('models: wrong sha256') ?? '', / \(or run `emotion-lens models --download` after deleting it\)\.$/);
      endsWith('models: not an ONNX file', 'Delete it and run `emotion-lens models --download`, or replace it with a verified copy.');
      endsWith('speech: not a sherpa-onnx folder', 'Point --speech-model at a complete model folder.');
      endsWith('speech: damaged tokens.txt', 'Download the model again or point --speech-model at a complete model folder.');
      endsWith('speech: not a Vosk folder', 'Point --vosk-model at an unzipped Vosk model folder (e.g. vosk-model-small-en-us-0.15) or run `emotion-lens models --download-vosk`.');
      endsWith('speech: Vosk folder setting is wrong', 'folder not found; point --vosk-model at an unzipped Vosk model folder or run `emotion-lens models --download-vosk`');
      endsWith('speech: speech folder setting is wrong', '; set --speech-model DIR (a Vosk model folder, e.g. vosk-model-small-en-us-0.15) or run `emotion-lens models --download-vosk`');
      assert.equal(hints.get('speech: no model anywhere'), NO_SPEECH_MODEL_REASON);
    } finally {
      temp.cleanup();
    }
  });
});

describe("with VS Code's names", () => {
  test('every hint names the setting or command and no CLI flag, command or variable', async () => {
    const temp = makeTempDir();
    try {
      useFixNames(VSCODE_FIX_NAMES);
      const hints = await hintsFromRealThrowSites(temp.dir);
      for (const { site, message } of hints) {
        assert.doesNotMatch(message, CLI_WORDING, `${site}: ${message}`);
        assert.ok(Object.values(VSCODE_FIX_NAMES).some((name) => message.includes(name)), `${site} names a VS Code fix: ${message}`);
      }
      const byName = (site: string) => hints.find((h) => h.site === site)?.message ?? '';
      assert.match(byName('ffmpeg: a bogus path'), /no-such-ffmpeg: ffmpeg was not found or is not executable\. Install it .* or set the Emotion Lens: Ffmpeg Path setting \(emotionLens\.ffmpegPath\)$/);
      assert.match(
        byName('models: missing, downloadable'),
        /To fix: set the Emotion Lens: Models Folder setting \(emotionLens\.modelsFolder\), or run the command “Emotion Lens: Download or locate models”\.$/,
      );
      assert.match(byName('speech: not a sherpa-onnx folder'), /Point the Emotion Lens: Speech Model Folder setting \(emotionLens\.speechModelFolder\) at a complete model folder\.$/);
      assert.match(byName('speech: not a Vosk folder'), /Point the Emotion Lens: Vosk Model Folder setting \(emotionLens\.voskModelFolder\) at an unzipped Vosk model folder \(e\.g\. vosk-model-small-en-us-0\.15\) or run the command “Emotion Lens: Download Vosk model”\.$/);
      // Every VS Code name is used by at least one hint: none is dead wording.
      for (const [key, name] of Object.entries(VSCODE_FIX_NAMES)) {
        assert.ok(hints.some((h) => h.message.includes(name)), `no hint uses ${key} (${name})`);
      }
    } finally {
      temp.cleanup();
    }
  });

  test('hints are computed when thrown: switching back gives the CLI wording again', async () => {
    const bogus = { ffmpegPath: '/nonexistent/ffmpeg', env: {} };
    useFixNames(VSCODE_FIX_NAMES);
    assert.match((await rejection(() => locateFfmpeg(bogus))).message, /emotionLens\.ffmpegPath/);
    useFixNames(CLI_FIX_NAMES);
    assert.match((await rejection(() => locateFfmpeg(bogus))).message, /--ffmpeg \/ EMOTION_LENS_FFMPEG$/);
  });

  test('name real settings (label as the Settings editor shows it) and real palette commands', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { commands: { title: string; category: string }[]; configuration: { properties: Record<string, unknown> } };
    };
    const settings = Object.keys(manifest.contributes.configuration.properties);
    const commands = manifest.contributes.commands.map((c) => `${c.category}: ${c.title}`);
    // VS Code's Settings editor label: "emotionLens.ffmpegPath" -> "Emotion Lens: Ffmpeg Path".
    const label = (id: string) => id.replace(/\./, ': ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/(^|: )([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
    for (const [key, name] of Object.entries(VSCODE_FIX_NAMES)) {
      const setting = /^the (.+) setting \((emotionLens\.\w+)\)$/.exec(name);
      const command = /^the command “(.+)”$/.exec(name);
      assert.ok(setting || command, `${key} names a setting or a command: ${name}`);
      if (setting) {
        assert.ok(settings.includes(setting[2]!), `${setting[2]} is a contributed setting`);
        assert.equal(setting[1], label(setting[2]!));
      }
      if (command) assert.ok(commands.includes(command[1]!), `“${command[1]}” is a contributed command`);
    }
  });
});

describe('checking fix names that crossed a process boundary', () => {
  test('both faces pass; anything else is refused with the reason', () => {
    assert.equal(fixNamesProblem(CLI_FIX_NAMES), undefined);
    assert.equal(fixNamesProblem(VSCODE_FIX_NAMES), undefined);
    const valid: FixNames = { ...VSCODE_FIX_NAMES };
    assert.match(fixNamesProblem('--ffmpeg') ?? '', /not an object/);
    assert.match(fixNamesProblem(null) ?? '', /not an object/);
    assert.match(fixNamesProblem([]) ?? '', /not an object/);
    assert.match(fixNamesProblem({ ...valid, ffmpegLocation: 3 }) ?? '', /"ffmpegLocation" is not a string/);
    assert.match(fixNamesProblem({ ...valid, voskDownload: 'x'.repeat(MAX_FIX_NAME_LENGTH + 1) }) ?? '', /"voskDownload" must be one non-empty line/);
    assert.equal(fixNamesProblem({ ...valid, voskDownload: 'x'.repeat(MAX_FIX_NAME_LENGTH) }), undefined);
    assert.match(fixNamesProblem({ ...valid, modelsFolder: 'a\nb' }) ?? '', /"modelsFolder" must be one non-empty line/);
    assert.match(fixNamesProblem({ ...valid, speechModelFolder: ' ' }) ?? '', /"speechModelFolder" must be one non-empty line/);
    assert.match(fixNamesProblem({ ...valid, extra: 'x' }) ?? '', /unknown entry "extra"/);
    const { voskModelFolder: _dropped, ...lacking } = valid;
    assert.match(fixNamesProblem(lacking) ?? '', /lacks "voskModelFolder"/);
  });
});
