// emotionLens.* settings: trust rules, checking hand-edited values, and the engine request they make.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { defaultSettings } from '../../src/core/engine/analysisRequest';
import { readSettingsFrom, sanitiseSettings, SETTING_DEFAULTS } from '../../src/extension/extensionSettings';
import type { SettingKey, SettingsSource } from '../../src/extension/extensionSettings';
import type { InspectedSetting } from '../../src/extension/workspaceTrust';
import { documentPathForVideo, resolveSettingPath } from '../../src/extension/settingPaths';
import { requestFromSettings } from '../../src/extension/settingsToRequest';
import { restrictedModeNotice, settingTarget } from '../../src/extension/workspaceTrust';

/** A configuration like VS Code's: user and workspace levels merged, workspace winning. */
function source(levels: { user?: Partial<Record<SettingKey, unknown>>; workspace?: Partial<Record<SettingKey, unknown>> }): SettingsSource {
  const inspect = (key: SettingKey): InspectedSetting => ({ defaultValue: SETTING_DEFAULTS[key], globalValue: levels.user?.[key], workspaceValue: levels.workspace?.[key] });
  return {
    get: (key) => levels.workspace?.[key] ?? levels.user?.[key] ?? SETTING_DEFAULTS[key],
    inspect,
  };
}

const root = path.resolve('/work/project');
const video = path.join(root, 'videos', 'clip.mp4');
const context = { cacheDir: path.resolve('/storage/models'), workspaceFolder: root, homeDir: path.resolve('/home/ann') };

describe('reading with workspace trust', () => {
  const levels = {
    user: { ffmpegPath: '/usr/local/bin/ffmpeg', sampleFps: 2 },
    workspace: { ffmpegPath: './evil/ffmpeg', modelsFolder: 'models', outputFolder: 'out', sampleFps: 10 },
  };

  test('a trusted workspace uses its own values', () => {
    const { settings, ignored } = readSettingsFrom(source(levels), true);
    assert.equal(settings.ffmpegPath, './evil/ffmpeg');
    assert.equal(settings.modelsFolder, 'models');
    assert.equal(settings.sampleFps, 10);
    assert.deepEqual(ignored, []);
  });

  test('restricted mode ignores workspace values of path settings only, and names them', () => {
    const { settings, ignored } = readSettingsFrom(source(levels), false);
    assert.equal(settings.ffmpegPath, '/usr/local/bin/ffmpeg', 'the user setting still applies');
    assert.equal(settings.modelsFolder, '');
    assert.equal(settings.outputFolder, '');
    assert.equal(settings.sampleFps, 10, 'analysis knobs are harmless and stay');
    assert.deepEqual([...ignored].sort(), ['ffmpegPath', 'modelsFolder', 'outputFolder']);
    assert.equal(
      restrictedModeNotice(ignored),
      "Restricted mode: this workspace's models folder, ffmpeg path and output folder settings are ignored until you trust this workspace (your user settings still apply).",
    );
    assert.match(restrictedModeNotice(['ffmpegPath']), /workspace's ffmpeg path setting is ignored/);
  });

  test('nothing is reported when the workspace sets no path', () => {
    assert.deepEqual(readSettingsFrom(source({ user: { modelsFolder: '/m' } }), false).ignored, []);
  });
});

describe('checking values', () => {
  test('wrong types and out-of-range numbers fall back to the defaults', () => {
    const settings = sanitiseSettings({ sampleFps: -1, smoothingSec: '0.4', minFaceScore: 1.5, minFaceSize: Number.NaN, lowConfidenceThreshold: 0.3, flipAverage: 'yes', speech: false, ffmpegPath: 42 });
    assert.equal(settings.sampleFps, SETTING_DEFAULTS.sampleFps);
    assert.equal(settings.smoothingSec, SETTING_DEFAULTS.smoothingSec);
    assert.equal(settings.minFaceScore, SETTING_DEFAULTS.minFaceScore);
    assert.equal(settings.minFaceSize, SETTING_DEFAULTS.minFaceSize);
    assert.equal(settings.lowConfidenceThreshold, 0.3);
    assert.equal(settings.flipAverage, false);
    assert.equal(settings.speech, false);
    assert.equal(settings.ffmpegPath, '');
    assert.equal(sanitiseSettings({ sampleFps: 0 }).sampleFps, 0, '0 means every frame');
  });

  test('who speaks: one of its words; true and false, from when it was a checkbox, keep their meaning', () => {
    assert.equal(SETTING_DEFAULTS.speakers, 'auto');
    for (const word of ['auto', 'on', 'off'] as const) assert.equal(sanitiseSettings({ speakers: word }).speakers, word);
    assert.equal(sanitiseSettings({ speakers: true }).speakers, 'on');
    assert.equal(sanitiseSettings({ speakers: false }).speakers, 'off');
    for (const wrong of ['yes', 'ON', 1, null, {}]) assert.equal(sanitiseSettings({ speakers: wrong }).speakers, 'auto', JSON.stringify(wrong));
    assert.equal(requestFromSettings(video, sanitiseSettings({ speakers: true }), context).settings.speakers, 'on', 'the engine gets the word');
  });

  test('expression models: blanks dropped, duplicates merged, never empty', () => {
    assert.deepEqual(sanitiseSettings({ expressionModels: [' a ', '', 'a', 'b', 3] }).expressionModels, ['a', 'b']);
    assert.deepEqual(sanitiseSettings({ expressionModels: [] }).expressionModels, SETTING_DEFAULTS.expressionModels);
  });

  test('the extension defaults are the engine defaults', () => {
    assert.equal(SETTING_DEFAULTS.sampleFps, defaultSettings.sampleFps);
    assert.equal(SETTING_DEFAULTS.smoothingSec, defaultSettings.smoothingSec);
    assert.equal(SETTING_DEFAULTS.minFaceScore, defaultSettings.minFaceScore);
    assert.equal(SETTING_DEFAULTS.minFaceSize, defaultSettings.minFaceSize);
    assert.deepEqual(SETTING_DEFAULTS.expressionModels, defaultSettings.expressionModels);
    assert.equal(SETTING_DEFAULTS.flipAverage, defaultSettings.flipAverage);
    assert.equal(SETTING_DEFAULTS.speech, defaultSettings.speech);
  });
});

describe('paths in settings', () => {
  test('relative to the workspace folder, ~ is home, ${workspaceFolder} expands, empty is unset', () => {
    assert.equal(resolveSettingPath('models', '/elsewhere', context), path.join(root, 'models'));
    assert.equal(resolveSettingPath('~/models', '/elsewhere', context), path.resolve('/home/ann/models'));
    assert.equal(resolveSettingPath('${workspaceFolder}/out', '/elsewhere', context), path.join(root, 'out'));
    assert.equal(resolveSettingPath('/abs/m', '/elsewhere', context), path.resolve('/abs/m'));
    assert.equal(resolveSettingPath('', '/elsewhere', context), undefined);
  });

  test('without a workspace folder, relative paths start at the fallback (the video folder)', () => {
    assert.equal(resolveSettingPath('out', path.dirname(video), { cacheDir: context.cacheDir }), path.join(root, 'videos', 'out'));
  });
});

describe('the engine request', () => {
  test('defaults: document beside the video, cache from the extension, no download, merge corrections', () => {
    const request = requestFromSettings(video, sanitiseSettings({}), context);
    assert.equal(request.input, video);
    assert.equal(request.outDir, undefined);
    assert.deepEqual(request.settings, defaultSettings);
    assert.deepEqual(request.models, { allowDownload: false, detectorId: 'face_detection_yunet_2023mar', cacheDir: context.cacheDir });
    assert.deepEqual(request.speech, {});
    assert.deepEqual(request.ffmpeg, {});
    assert.equal(request.existingDocument, 'merge');
    assert.equal(documentPathForVideo(video, sanitiseSettings({}), context), `${video}.emotion.json`);
  });

  test('every setting reaches the request', () => {
    const settings = sanitiseSettings({
      sampleFps: 2, smoothingSec: 0, minFaceScore: 0.8, minFaceSize: 40, expressionModels: ['fer_xception_fer2013_oarriaga'],
      flipAverage: true, speech: false, modelsFolder: 'models', voskModelFolder: '~/vosk', speechModelFolder: '/asr',
      ffmpegPath: 'ffmpeg7', outputFolder: 'annotations',
    });
    const request = requestFromSettings(video, settings, context);
    assert.equal(request.settings.sampleFps, 2);
    assert.equal(request.settings.smoothingSec, 0);
    assert.equal(request.settings.minFaceScore, 0.8);
    assert.equal(request.settings.minFaceSize, 40);
    assert.deepEqual(request.settings.expressionModels, ['fer_xception_fer2013_oarriaga']);
    assert.equal(request.settings.flipAverage, true);
    assert.equal(request.settings.speech, false);
    assert.equal(request.models.modelsDir, path.join(root, 'models'));
    assert.equal(request.models.cacheDir, context.cacheDir);
    assert.equal(request.speech.voskModelDir, path.resolve('/home/ann/vosk'));
    assert.equal(request.speech.speechModelDir, path.resolve('/asr'));
    assert.equal(request.ffmpeg.ffmpegPath, 'ffmpeg7', 'a bare command name is looked up in PATH by the engine');
    assert.equal(request.outDir, path.join(root, 'annotations'));
    assert.equal(documentPathForVideo(video, settings, context), path.join(root, 'annotations', 'clip.mp4.emotion.json'));
  });

  test('an ffmpeg path with a folder is made absolute', () => {
    const request = requestFromSettings(video, sanitiseSettings({ ffmpegPath: 'tools/ffmpeg' }), context);
    assert.equal(request.ffmpeg.ffmpegPath, path.join(root, 'tools', 'ffmpeg'));
  });
});

describe('where a chosen value is saved', () => {
  test('over a workspace value only when the workspace is trusted', () => {
    assert.equal(settingTarget({ workspaceValue: '/x' }, true), 'workspace');
    assert.equal(settingTarget({ workspaceFolderValue: '/x', workspaceValue: '/y' }, true), 'workspaceFolder');
    assert.equal(settingTarget({ workspaceValue: '/x' }, false), 'global');
    assert.equal(settingTarget({ globalValue: '/x' }, true), 'global');
    assert.equal(settingTarget(undefined, true), 'global');
  });
});
