// The bundles validate documents with the schema compiled at build time (ajv standalone, esbuild.js); the
// sources compile it at first use. Both must judge every document alike.
import assert from 'node:assert/strict';
import Module from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ValidateFunction } from 'ajv';
import { schemaValidatorSource } from '../../scripts/build/schemaValidatorSource';
import { schemaValidator } from '../../src/core/document/schemaValidator';
import { makeDocument } from '../helpers/documentBuilder';

/** The precompiled module as the bundles get it, loaded as CommonJS (its ajv runtime helpers resolved here). */
function precompiled(): ValidateFunction {
  const file = path.join(__dirname, '..', '..', 'src', 'core', 'document', 'schemaValidator.precompiled.js');
  const mod = new Module(file) as Module & { _compile(code: string, filename: string): void };
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  mod._compile(schemaValidatorSource(), file);
  return (mod.exports as { schemaValidator(): ValidateFunction }).schemaValidator();
}

describe('the schema validator, compiled at run time and at build time', () => {
  const runtime = schemaValidator();
  const built = precompiled();

  it('accepts a valid document and rejects broken ones with the same errors', () => {
    const valid = makeDocument();
    assert.equal(runtime(valid), true);
    assert.equal(built(valid), true);
    const broken = [
      { ...makeDocument(), schemaVersion: 'four' },
      { ...makeDocument(), frames: [{ index: 0, timeSec: -1, faces: 'none' }] },
      { ...makeDocument(), surplus: true },
      (() => { const doc = makeDocument() as unknown as Record<string, unknown>; delete doc.media; return doc; })(),
    ];
    for (const doc of broken) {
      assert.equal(runtime(doc), false);
      assert.equal(built(doc), false);
      assert.deepEqual(built.errors, runtime.errors);
    }
  });
});
