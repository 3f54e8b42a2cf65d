/**
 * The JSON Schema check of annotation documents (schema/emotion-annotation.schema.json), with ajv. Run from the
 * sources (tsx: the tests, the scripts), the schema is compiled at first use; the bundles get this module
 * precompiled instead (esbuild.js, ajv's standalone code), so that no process spends its start compiling it
 * (about a quarter of a second, measured with --profile, every CLI run and every analysis).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Options, ValidateFunction } from 'ajv';
import schema from '../../../schema/emotion-annotation.schema.json';

/** The options both the runtime compile and the build's precompile use (esbuild.js reads them from here). */
export const SCHEMA_VALIDATOR_OPTIONS: Options = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true };

let compiled: ValidateFunction | undefined;

export function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020(SCHEMA_VALIDATOR_OPTIONS);
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}
