// package.json's contributions and the extension's code name the same commands, settings and editor; the
// menus use only declared commands; activation stays lazy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { COMMAND_IDS, COMPARE_VIEW_TYPE, CONFIG_SECTION, REVIEW_VIEW_TYPE } from '../../src/extension/contributionIds';
import { SETTING_KEYS } from '../../src/extension/extensionSettings';
import { RESTRICTED_SETTINGS } from '../../src/extension/workspaceTrust';
import { repoRoot } from '../helpers/testEnvironment';

interface Contributes {
  commands: { command: string; title: string; category?: string }[];
  menus: Record<string, { command: string; when?: string; group?: string }[]>;
  customEditors: { viewType: string; displayName: string; selector: { filenamePattern: string }[]; priority: string }[];
  configuration: { properties: Record<string, { type: string; default: unknown; minimum?: number; maximum?: number; scope?: string; markdownDescription?: string; description?: string; items?: { enum?: string[] } }> };
}

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: Contributes;
};
const contributes = pkg.contributes;

describe('commands', () => {
  test('declared exactly as the code registers them, titled and categorised', () => {
    assert.deepEqual(contributes.commands.map((c) => c.command).sort(), Object.values(COMMAND_IDS).sort());
    for (const command of contributes.commands) {
      assert.equal(command.category, 'Emotion Lens', command.command);
      assert.ok(command.title.length > 0);
    }
    const titles = Object.fromEntries(contributes.commands.map((c) => [c.command, c.title]));
    assert.equal(titles[COMMAND_IDS.analyze], 'Analyze emotion');
    assert.equal(titles[COMMAND_IDS.analyzeFolder], 'Analyze all videos in folder');
  });

  test('extension.ts registers every command', () => {
    const source = readFileSync(path.join(repoRoot, 'src', 'extension', 'extension.ts'), 'utf8');
    for (const key of Object.keys(COMMAND_IDS)) assert.match(source, new RegExp(`registerCommand\\(COMMAND_IDS\\.${key},`), key);
  });

  test('menus use declared commands; videos, speech recordings and folders in the Explorer, media and the review in the editor title', () => {
    const declared = new Set(contributes.commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(contributes.menus)) {
      for (const item of items) assert.ok(declared.has(item.command), `${menu}: ${item.command}`);
    }
    const explorer = contributes.menus['explorer/context'] ?? [];
    const analyzeWhen = explorer.find((i) => i.command === COMMAND_IDS.analyze)?.when ?? '';
    const videoPattern = /resourceExtname =~ \/(.*)\/i/.exec(analyzeWhen)?.[1];
    assert.ok(videoPattern, analyzeWhen);
    const matches = (name: string) => new RegExp(videoPattern, 'i').test(path.extname(name));
    for (const name of ['a.mp4', 'b.MOV', 'c.m4v', 'd.mkv', 'e.webm', 'f.avi', 'g.wav', 'h.MP3', 'i.m4a', 'j.flac', 'k.ogg', 'l.opus']) assert.ok(matches(name), name);
    for (const name of ['a.mp4.emotion.json', 'b.mp3.emotion.json', 'c.txt', 'd.mp44', 'e.wave']) assert.ok(!matches(name), name);
    assert.equal(explorer.find((i) => i.command === COMMAND_IDS.analyzeFolder)?.when, 'explorerResourceIsFolder');
    const title = contributes.menus['editor/title'] ?? [];
    assert.ok(title.some((i) => i.command === COMMAND_IDS.analyze && i.when === analyzeWhen));
    assert.ok(title.some((i) => i.command === COMMAND_IDS.export && i.when === `activeCustomEditorId == ${REVIEW_VIEW_TYPE}`));
  });
});

describe('activation and the review editor', () => {
  test('activation only on the custom editor and a compare panel restored after a reload (commands activate implicitly); main is the bundle', () => {
    assert.deepEqual(pkg.activationEvents, [`onCustomEditor:${REVIEW_VIEW_TYPE}`, `onWebviewPanel:${COMPARE_VIEW_TYPE}`]);
    assert.equal(pkg.main, './dist/extension.js');
  });

  test('the review editor opens *.emotion.json by default', () => {
    assert.deepEqual(contributes.customEditors, [
      { viewType: REVIEW_VIEW_TYPE, displayName: 'Emotion Lens Review', selector: [{ filenamePattern: '*.emotion.json' }], priority: 'default' },
    ]);
  });
});

describe('settings', () => {
  const properties = contributes.configuration.properties;

  // Types, defaults and ranges are checked against the table of settings in analysisSettingsTable.test.ts.
  test('every setting the code reads is declared, with a description and a scope', () => {
    assert.deepEqual(Object.keys(properties).sort(), SETTING_KEYS.map((k) => `${CONFIG_SECTION}.${k}`).sort());
    for (const key of SETTING_KEYS) {
      const declared = properties[`${CONFIG_SECTION}.${key}`];
      assert.ok(declared, key);
      assert.ok((declared.markdownDescription ?? declared.description ?? '').length > 20, `${key} needs a description`);
      assert.ok(declared.scope, `${key} needs a scope`);
    }
  });

  test('path settings are restricted in untrusted workspaces and cannot be set per folder', () => {
    const { untrustedWorkspaces } = pkg.capabilities;
    assert.equal(untrustedWorkspaces.supported, 'limited');
    assert.deepEqual([...untrustedWorkspaces.restrictedConfigurations].sort(), RESTRICTED_SETTINGS.map((k) => `${CONFIG_SECTION}.${k}`).sort());
    for (const key of ['modelsFolder', 'voskModelFolder', 'speechModelFolder', 'ffmpegPath']) {
      assert.equal(properties[`${CONFIG_SECTION}.${key}`]?.scope, 'machine-overridable', key);
    }
  });
});
