// The one table of analysis settings and what is made from it: package.json's contributes.configuration (the
// static manifest VS Code reads) declares the same types, defaults and ranges; the CLI parses and lists every
// setting it offers with the table's range; the engine's defaults are the table's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ANALYZE_USAGE, parseAnalyzeArgs, UsageError } from '../../src/cli/analyzeOptions';
import { defaultSettings } from '../../src/core/engine/analysisRequest';
import { ANALYSIS_SETTINGS, SETTING_NAMES } from '../../src/core/engine/analysisSettingsTable';
import { loadManifest } from '../../src/core/models/modelManifest';
import { CONFIG_SECTION } from '../../src/extension/contributionIds';
import { ANALYSIS_SETTING_KEYS, LOW_CONFIDENCE_THRESHOLD, SETTING_DEFAULTS, SETTING_KEYS } from '../../src/extension/extensionSettings';
import { repoRoot } from '../helpers/testEnvironment';

interface DeclaredSetting {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  items?: { type?: string; enum?: string[] };
  enum?: string[];
  enumDescriptions?: string[];
}

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, DeclaredSetting> } } };
const declared = (key: string): DeclaredSetting | undefined => pkg.contributes.configuration.properties[`${CONFIG_SECTION}.${key}`];
const JSON_TYPE = { number: 'number', boolean: 'boolean', choice: 'string', modelList: 'array' } as const;

describe("package.json's settings", () => {
  test('declare every setting the table offers in VS Code, and no other analysis setting', () => {
    const offered = SETTING_NAMES.filter((name) => ANALYSIS_SETTINGS[name].vscode);
    assert.deepEqual([...ANALYSIS_SETTING_KEYS].sort(), [...offered].sort());
    for (const name of SETTING_NAMES) assert.equal(declared(name) !== undefined, ANALYSIS_SETTINGS[name].vscode, name);
  });

  test("have the table's type, default and range", () => {
    for (const name of ANALYSIS_SETTING_KEYS) {
      const spec = ANALYSIS_SETTINGS[name];
      const setting = declared(name)!;
      assert.equal(setting.type, JSON_TYPE[spec.type], name);
      assert.deepEqual(setting.default, spec.default, name);
      if (spec.type === 'number') assert.deepEqual([setting.minimum, setting.maximum], [spec.min, spec.max], name);
      if (spec.type === 'choice') {
        assert.deepEqual(setting.enum, Object.keys(spec.choices), `${name}: the table's words`);
        assert.equal(setting.enumDescriptions?.length, setting.enum?.length, `${name}: a description per word`);
      }
    }
    const threshold = declared('lowConfidenceThreshold')!;
    assert.deepEqual([threshold.type, threshold.default, threshold.minimum, threshold.maximum], ['number', LOW_CONFIDENCE_THRESHOLD.default, LOW_CONFIDENCE_THRESHOLD.min, LOW_CONFIDENCE_THRESHOLD.max]);
    // What the extension falls back to is what VS Code shows as the default.
    for (const key of SETTING_KEYS) assert.deepEqual(declared(key)?.default, SETTING_DEFAULTS[key], key);
  });

  test('offer the expression models of the manifest', () => {
    const expressionIds = loadManifest().models.filter((m) => m.role === 'expression').map((m) => m.id);
    assert.deepEqual(declared('expressionModels')?.items?.enum, expressionIds);
  });
});

describe("the CLI's analysis options", () => {
  const requestOf = (args: string[]) => {
    const options = parseAnalyzeArgs(['a.mp4', ...args], {});
    assert.notEqual(options, 'help');
    return (options as Exclude<typeof options, 'help'>).requestFor('a.mp4');
  };

  test("take every number setting within the table's range and refuse one outside it", () => {
    for (const name of SETTING_NAMES) {
      const spec = ANALYSIS_SETTINGS[name];
      if (spec.type !== 'number' || !spec.cli) continue;
      assert.equal(requestOf([`--${spec.cli}`, String(spec.max)]).settings[name], spec.max, name);
      assert.equal(requestOf([`--${spec.cli}`, String(spec.min)]).settings[name], spec.min, name);
      assert.throws(() => requestOf([`--${spec.cli}`, String(spec.max + 1)]), (e: unknown) => e instanceof UsageError && e.message.includes(`from ${spec.min} to ${spec.max}`), name);
      assert.ok(ANALYZE_USAGE.includes(`--${spec.cli} ${spec.cliValue}`) && ANALYZE_USAGE.includes(`default ${spec.default})`), `usage lists --${spec.cli}`);
    }
  });

  test("turn every yes/no setting away from the table's default", () => {
    for (const name of SETTING_NAMES) {
      const spec = ANALYSIS_SETTINGS[name];
      if (spec.type !== 'boolean' || !spec.cli) continue;
      assert.equal(requestOf([]).settings[name], spec.default, name);
      assert.equal(requestOf([`--${spec.cli}`]).settings[name], !spec.default, name);
      assert.match(ANALYZE_USAGE, new RegExp(`^  --${spec.cli} +${spec.description.slice(0, 20).replace(/[()]/g, '\\$&')}`, 'm'));
    }
  });

  test("set a choice with each of its options, keep it at the table's default without them, and refuse two at once", () => {
    const usage = ANALYZE_USAGE.replace(/\s+/g, ' ');
    for (const name of SETTING_NAMES) {
      const spec = ANALYSIS_SETTINGS[name];
      if (spec.type !== 'choice') continue;
      assert.equal(requestOf([]).settings[name], spec.default, name);
      for (const [option, word] of Object.entries(spec.cliFlags)) {
        assert.equal(requestOf([`--${option}`]).settings[name], word, `--${option}`);
        assert.ok(usage.includes(`--${option} ${word}: ${spec.choices[word]}`), `usage says what --${option} does`);
      }
      const options = Object.keys(spec.cliFlags).map((o) => `--${o}`);
      assert.throws(() => requestOf(options), (e: unknown) => e instanceof UsageError && e.message.includes('cannot be given together'), name);
      assert.ok(usage.includes(`default ${spec.default}: ${spec.choices[spec.default]}`), `usage gives ${name}'s default`);
    }
  });

  test('--speakers still turns who speaks on, before the inputs too, and --no-speakers turns it off', () => {
    assert.equal(requestOf(['--speakers']).settings.speakers, 'on');
    const options = parseAnalyzeArgs(['--speakers', 'b.mp4', '--json'], {});
    assert.ok(options !== 'help' && options.inputs.join() === 'b.mp4', 'the input after --speakers stays an input');
    assert.equal(requestOf(['--no-speakers']).settings.speakers, 'off');
    assert.equal(requestOf([]).settings.speakers, 'auto');
  });
});

describe("the engine's defaults", () => {
  test("are the table's", () => {
    for (const name of SETTING_NAMES) assert.deepEqual(defaultSettings[name], ANALYSIS_SETTINGS[name].default, name);
  });
});
