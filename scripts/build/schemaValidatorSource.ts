/**
 * The source esbuild puts in the bundles in place of src/core/document/schemaValidator.ts: the schema compiled
 * now, with the same options, as ajv's standalone code (a validate function and the few ajv runtime helpers it
 * requires), and the module's one export around it.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone';
import schema from '../../schema/emotion-annotation.schema.json';
import { SCHEMA_VALIDATOR_OPTIONS } from '../../src/core/document/schemaValidator';

export function schemaValidatorSource(): string {
  const ajv = new Ajv2020({ ...SCHEMA_VALIDATOR_OPTIONS, code: { source: true } });
  addFormats(ajv);
  ajv.compile(schema);
  // Exported by the schema's own $id, then wrapped in the one function the module offers.
  return `${standaloneCode(ajv, { compiledSchema: schema.$id })}\nexports.schemaValidator = () => exports.compiledSchema;\n`;
}
