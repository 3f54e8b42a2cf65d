// Writes what the evaluation fitted into models/manifest.json, keeping the file's own layout: each model's
// calibration temperature (the current one times the fitted factor) and the default ensemble.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const manifestFile = path.resolve(__dirname, '..', '..', 'models', 'manifest.json');

export function writeCalibration(relativeTemperatures: ReadonlyMap<string, number>, ensemble: { id: string; weight: number }[], ensembleTemperature: number, chosenOn: string): void {
  const json = JSON.parse(readFileSync(manifestFile, 'utf8')) as { models: { id: string; calibration?: { temperature: number; fittedOn: string } }[]; defaultEnsemble?: unknown };
  for (const entry of json.models) {
    const relative = relativeTemperatures.get(entry.id);
    if (relative === undefined) continue;
    const temperature = Math.round((entry.calibration?.temperature ?? 1) * relative * 1000) / 1000;
    entry.calibration = { temperature, fittedOn: 'faces/fer2013-val (1,200 FER2013 test images, disjoint from faces/fer2013), NLL' };
  }
  json.defaultEnsemble = {
    models: ensemble.map((m) => ({ id: m.id, weight: Math.round(m.weight * 1000) / 1000 })),
    temperature: Math.round(ensembleTemperature * 1000) / 1000,
    chosenOn,
  };
  writeFileSync(manifestFile, `${compactJson(json)}\n`);
}

/** Indented JSON with short objects and arrays on one line, as the manifest is written by hand. */
export function compactJson(value: unknown, indent = ''): string {
  const inline = inlineJson(value);
  if (value === null || typeof value !== 'object' || inline.length + indent.length <= 110) return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + compactJson(v, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{ ${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(', ')} }`;
  return JSON.stringify(value);
}
