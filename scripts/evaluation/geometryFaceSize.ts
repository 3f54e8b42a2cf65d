/**
 * Whether the face geometry still says something on small face crops (FER2013's 48x48): the dev sets' face
 * crops (faces/ckplus-dev 128 px, faces/jaffe-dev 256 px) analysed as they are and again reduced to 96 and 48 px
 * (lanczos3, PNG), all through the batch engine `analyze` runs (productRuns.ts, default settings); per measure,
 * the Pearson r across faces between the full-size and the reduced crop's value. A measure that keeps r near 1
 * at 48 px is worth its CPU on such crops; one near 0 is noise there.
 *
 *   node --import tsx scripts/evaluation/geometryFaceSize.ts
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { AnnotationDocument, FaceRecord } from '../../src/shared/annotationDocument';
import { geometryLayout } from '../../src/shared/faceGeometry';
import { pearson } from './praatAgreement';
import { analyzeClips, mainFace } from './productRuns';
import { table } from './tables';

const shared = path.resolve(__dirname, '..', '..', '..', 'shared');
const modelsDir = process.env.EMOTION_LENS_MODELS ?? path.join(shared, 'models');
const mediaDir = process.env.EMOTION_LENS_MEDIA ?? path.join(shared, 'media');
const SETS = ['ckplus-dev', 'jaffe-dev'];
const SIDES = [96, 48];
const GROUPS = ['pose', 'actionUnits', 'mouth', 'blendshapes', 'gaze'] as const;

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-face-size-'));
  try {
    const sources = SETS.flatMap((set) => {
      const folder = path.join(mediaDir, 'faces', set);
      return readdirSync(folder).filter((f) => /\.(png|jpe?g|tiff?)$/i.test(f)).sort().map((f) => path.join(folder, f));
    });
    const full = await analyze(sources);
    const rows: string[][] = [];
    for (const side of SIDES) {
      const folder = path.join(work, `${side}px`);
      mkdirSync(folder);
      const reduced = await Promise.all(sources.map(async (file, i) => {
        const out = path.join(folder, `${i}.png`);
        await sharp(file).removeAlpha().resize(side, side, { fit: 'fill', kernel: 'lanczos3' }).png().toFile(out);
        return out;
      }));
      rows.push(...groupRows(`${side} px`, full, await analyze(reduced)));
    }
    console.log(`${sources.length} face crops of ${SETS.join(', ')}: each measure's Pearson r (across faces) between the crop as it is and reduced`);
    console.log(table(['size', 'group', 'faces', 'median r', 'lowest r (measure)', 'label agreement'], rows));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function analyze(files: readonly string[]): Promise<(FaceRecord | undefined)[]> {
  const docs: AnnotationDocument[] = await analyzeClips(files, {}, modelsDir);
  return docs.map(mainFace);
}

function groupRows(size: string, full: readonly (FaceRecord | undefined)[], reduced: readonly (FaceRecord | undefined)[]): string[][] {
  const layout = geometryLayout();
  const pairs = full.flatMap((face, i) => {
    const other = reduced[i];
    return face?.geometry && 'pose' in face.geometry && other?.geometry && 'pose' in other.geometry ? [{ a: face, b: other }] : [];
  });
  const agreement = pairs.filter((p) => p.a.label === p.b.label).length / Math.max(1, pairs.length);
  return GROUPS.map((group) => {
    const names = layout[group];
    const rs = names.map((name, m) => ({
      name,
      r: pearson(pairs.map((p) => valueOf(p.a, group, m)), pairs.map((p) => valueOf(p.b, group, m))),
    })).filter((x) => Number.isFinite(x.r));
    const sorted = [...rs].sort((x, y) => x.r - y.r);
    const median = sorted[Math.floor(sorted.length / 2)]?.r ?? Number.NaN;
    const lowest = sorted[0];
    return [size, group, String(pairs.length), median.toFixed(2), lowest ? `${lowest.r.toFixed(2)} (${lowest.name})` : '', `${(100 * agreement).toFixed(1)} %`];
  });
}

function valueOf(face: FaceRecord, group: (typeof GROUPS)[number], index: number): number {
  const geometry = face.geometry as unknown as Record<string, number[]>;
  return geometry[group]?.[index] ?? Number.NaN;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
