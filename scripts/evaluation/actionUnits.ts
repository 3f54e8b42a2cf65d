/**
 * Action-unit estimates against the FACS codes CK+ distributes for 85 dev frames
 * (../shared/media/faces/ckplus-dev/facs.csv): YuNet + the geometry stage on each coded image, then an AUC
 * per AU for (a) the blendshape mapping (src/core/geometry/actionUnits.ts), (b) a logistic regression on
 * blendshapes and landmark geometry, cross-validated leaving one person out (CK+ file names carry the
 * subject: S###), and (c) the estimates the shipped stage gives. With --write, AUs whose fitted model beats
 * the mapping by more than MARGIN in cross-validation get a model fitted on all coded frames, saved with its
 * provenance in src/core/geometry/actionUnitModels.json.
 *
 *   node --import tsx scripts/evaluation/actionUnits.ts [--write]
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FittedActionUnits, LogisticModel } from '../../src/core/geometry/actionUnitModels';
import { actionUnitFeatures, AU_FEATURE_NAMES, logisticProbability } from '../../src/core/geometry/actionUnitModels';
import type { ActionUnit } from '../../src/core/geometry/actionUnits';
import { ACTION_UNITS, actionUnitFromBlendshapes, auLabel, SCORED_ACTION_UNITS } from '../../src/core/geometry/actionUnits';
import { FACE_BLENDSHAPES_MODEL_ID, FACE_MESH_MODEL_ID } from '../../src/core/geometry/geometryModels';
import { loadManifest } from '../../src/core/models/modelManifest';
import { aucPerActionUnit, meanAuc, readFacsCsv, subjectOf } from './facsCodes';
import type { AuScore } from './facsCodes';
import { GeometryRunner } from './geometryRuns';
import { fitLogistic } from './logisticRegression';
import { table } from './tables';

const media = process.env.EMOTION_LENS_MEDIA ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'media');
const CKPLUS = path.join(media, 'faces', 'ckplus-dev');
const MODELS_JSON = path.resolve(__dirname, '..', '..', 'src', 'core', 'geometry', 'actionUnitModels.json');
/** L2 strengths tried; one is chosen for all AUs by the mean cross-validated AUC. */
const LAMBDAS = [1, 3, 10, 30, 100];
/** A fitted model replaces the mapping only when its cross-validated AUC is this much higher. */
const MARGIN = 0.02;
/** AUs with fewer coded frames than this are left to the mapping (too few to fit). */
const MIN_POSITIVES = 5;

export interface CodedFace {
  file: string;
  subject: string;
  blendshapes: number[];
  features: number[];
  /** The shipped stage's estimates. */
  shipped: Record<ActionUnit, number>;
}

/** The geometry of the best face of each coded image (files where no face gets geometry are reported and skipped). */
export async function measureCodedFaces(codes: Map<string, Set<number>>): Promise<CodedFace[]> {
  const runner = await GeometryRunner.create();
  const faces: CodedFace[] = [];
  try {
    for (const file of [...codes.keys()].sort()) {
      const run = await runner.image(path.join(CKPLUS, file));
      const best = run.results.map((r, i) => ({ r, score: run.faces[i]!.score })).filter((x) => x.r.ok).sort((a, b) => b.score - a.score)[0];
      if (!best || !best.r.ok) {
        console.log(`${file}: no geometry (${run.results.map((r) => (r.ok ? 'ok' : r.reason)).join(', ') || 'no face'})`);
        continue;
      }
      const g = best.r.geometry;
      faces.push({ file, subject: subjectOf(file), blendshapes: Array.from(g.blendshapes), features: actionUnitFeatures(g.blendshapes, g.metricMesh), shipped: g.actionUnits });
    }
  } finally {
    await runner.close();
  }
  return faces;
}

/** Leave-one-subject-out predictions of a logistic model per AU. */
function crossValidated(faces: readonly CodedFace[], codes: Map<string, Set<number>>, au: number, lambda: number): Map<string, number> {
  const predictions = new Map<string, number>();
  for (const subject of new Set(faces.map((f) => f.subject))) {
    const train = faces.filter((f) => f.subject !== subject);
    const labels = train.map((f) => codes.get(f.file)!.has(au));
    if (!labels.some(Boolean) || labels.every(Boolean)) continue;
    const model = fitLogistic(train.map((f) => f.features), labels, lambda);
    for (const f of faces.filter((x) => x.subject === subject)) predictions.set(f.file, logisticProbability(model, f.features));
  }
  return predictions;
}

function manifestSha(id: string): string {
  return loadManifest().models.find((m) => m.id === id)!.files[0]!.sha256;
}

function fittable(codes: Map<string, Set<number>>, faces: readonly CodedFace[], au: number): boolean {
  return faces.filter((f) => codes.get(f.file)!.has(au)).length >= MIN_POSITIVES;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { write: { type: 'boolean' } } });
  const csv = readFileSync(path.join(CKPLUS, 'facs.csv'), 'utf8');
  const codes = readFacsCsv(csv);
  const faces = await measureCodedFaces(codes);
  const byFile = new Map(faces.map((f) => [f.file, f]));
  const measured = new Map([...codes].filter(([file]) => byFile.has(file)));
  console.log(`${measured.size} of ${codes.size} coded frames have geometry; ${new Set(faces.map((f) => f.subject)).size} people`);

  const mapping = aucPerActionUnit(measured, ACTION_UNITS, (file, au) => actionUnitFromBlendshapes(au as ActionUnit, byFile.get(file)!.blendshapes));
  const shipped = aucPerActionUnit(measured, ACTION_UNITS, (file, au) => byFile.get(file)!.shipped[au as ActionUnit]);
  const fitAus = SCORED_ACTION_UNITS.filter((au) => fittable(measured, faces, au));
  const cvFor = (lambda: number): AuScore[] => fitAus.map((au) => {
    const predicted = crossValidated(faces, measured, au, lambda);
    return aucPerActionUnit(measured, [au], (file) => predicted.get(file))[0]!;
  });
  const tried = LAMBDAS.map((lambda) => ({ lambda, scores: cvFor(lambda) }));
  const best = tried.reduce((a, b) => (meanAuc(b.scores, fitAus).mean > meanAuc(a.scores, fitAus).mean ? b : a));
  console.log(`L2 strength by mean cross-validated AUC: ${tried.map((t) => `${t.lambda}: ${meanAuc(t.scores, fitAus).mean.toFixed(3)}`).join(', ')} -> ${best.lambda}`);
  const cv = new Map(best.scores.map((s) => [s.au, s.auc]));
  const chosen = new Set(fitAus.filter((au) => (cv.get(au) ?? 0) > (mapping.find((m) => m.au === au)!.auc || 0) + MARGIN));

  const rows = ACTION_UNITS.map((au) => {
    const m = mapping.find((s) => s.au === au)!;
    const fitted = cv.get(au);
    const final = chosen.has(au) ? fitted! : m.auc;
    return [auLabel(au), String(m.positives), fmt(m.auc), fitted === undefined ? '' : fmt(fitted), chosen.has(au) ? 'fitted' : 'blendshapes', fmt(final), fmt(shipped.find((s) => s.au === au)!.auc)];
  });
  console.log(table(['AU', 'coded', 'mapping AUC', 'fitted AUC (CV by person)', 'uses', 'AUC (CV where fitted)', 'shipped stage AUC'], rows));
  const chosenScores: AuScore[] = mapping.map((m) => (chosen.has(m.au as ActionUnit) ? { ...m, auc: cv.get(m.au as ActionUnit)! } : m));
  const summary = (scores: AuScore[]) => { const r = meanAuc(scores, SCORED_ACTION_UNITS); return `${r.mean.toFixed(3)} over ${r.used} AUs`; };
  console.log(`mean AUC over AUs ${SCORED_ACTION_UNITS.join(', ')}: mapping ${summary(mapping)}; with the fitted AUs cross-validated ${summary(chosenScores)}; shipped stage (in-sample for fitted AUs) ${summary(shipped)}`);
  console.log(`AU12: mapping ${fmt(mapping.find((s) => s.au === 12)!.auc)}; AU12 goal 0.85, mean goal 0.75 (judged on other people's frames)`);

  if (values.write) {
    const models: Record<string, LogisticModel> = {};
    for (const au of [...chosen].sort((a, b) => a - b)) models[String(au)] = round(fitLogistic(faces.map((f) => f.features), faces.map((f) => measured.get(f.file)!.has(au)), best.lambda));
    const fitted: FittedActionUnits = {
      provenance: {
        script: 'scripts/evaluation/actionUnits.ts --write',
        models: `${FACE_MESH_MODEL_ID} ${manifestSha(FACE_MESH_MODEL_ID)}, ${FACE_BLENDSHAPES_MODEL_ID} ${manifestSha(FACE_BLENDSHAPES_MODEL_ID)} (YuNet faces, ROI from its 5 points)`,
        data: `faces/ckplus-dev: ${faces.length} of the ${codes.size} frames CK+ FACS-coded (facs.csv sha256 ${createHash('sha256').update(csv).digest('hex')}), ${new Set(faces.map((f) => f.subject)).size} people`,
        method: `L2 logistic regression (lambda ${best.lambda}, standardised features), chosen per AU when its leave-one-person-out AUC beats the blendshape mapping by more than ${MARGIN}`,
        crossValidatedAuc: Object.fromEntries([...chosen].map((au) => [auLabel(au), Number(cv.get(au)!.toFixed(3))])),
        mappingAuc: Object.fromEntries([...chosen].map((au) => [auLabel(au), Number(mapping.find((m) => m.au === au)!.auc.toFixed(3))])),
      },
      features: [...AU_FEATURE_NAMES],
      models,
    };
    writeFileSync(MODELS_JSON, compactJson(fitted));
    console.log(`wrote ${path.relative(process.cwd(), MODELS_JSON)}: fitted AUs ${[...chosen].join(', ') || 'none'}`);
  }
}

/** Indented JSON with every array of numbers or strings on one line (a few dozen lines instead of two thousand). */
function compactJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/\[\s*([^[\]{}]*?)\s*\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`)}\n`;
}

function fmt(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(3);
}

/** Six significant digits: the file stays readable and the same fit writes the same bytes. */
function round(model: LogisticModel): LogisticModel {
  const r = (v: number) => Number(v.toPrecision(6));
  return { intercept: r(model.intercept), coefficients: model.coefficients.map(r), mean: model.mean.map(r), std: model.std.map(r) };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
