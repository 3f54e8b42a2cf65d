// Writes what the evaluation chose into models/manifest.json, keeping the file's own layout: each expression
// model's calibration temperature and the default ensemble (its weights and temperature per kind of face).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const manifestFile = path.resolve(__dirname, '..', '..', 'models', 'manifest.json');

export interface WeightedModels {
  models: { id: string; weight: number }[];
  temperature: number;
}

export interface DefaultUpdate {
  /** Per model id, the temperature of its logits (absolute), and what it was fitted on. */
  temperatures: ReadonlyMap<string, number>;
  fittedOn: string;
  ensemble: WeightedModels;
  smallCrops?: WeightedModels;
  chosenOn: string;
}

export function writeDefault(update: DefaultUpdate): void {
  const json = JSON.parse(readFileSync(manifestFile, 'utf8')) as { models: { id: string; calibration?: { temperature: number; fittedOn: string } }[]; defaultEnsemble?: unknown };
  for (const entry of json.models) {
    const temperature = update.temperatures.get(entry.id);
    if (temperature !== undefined) entry.calibration = { temperature: round3(temperature), fittedOn: update.fittedOn };
  }
  const weighted = (w: WeightedModels) => ({ models: w.models.filter((m) => m.weight > 0).map((m) => ({ id: m.id, weight: round3(m.weight) })), temperature: round3(w.temperature) });
  json.defaultEnsemble = { ...weighted(update.ensemble), ...(update.smallCrops ? { smallCrops: weighted(update.smallCrops) } : {}), chosenOn: update.chosenOn };
  writeFileSync(manifestFile, `${compactJson(json)}\n`);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
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
