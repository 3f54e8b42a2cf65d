// Each expression model alone (a "member" of the ensemble) on every labelled set, through the product's path
// (`analyze` on a folder, documents written and read back), its probabilities kept uncalibrated (the manifest's
// temperature undone) so that any calibration and any weighting can then be scored without running the models
// again. Runs are cached in the temp folder, keyed by everything that changes them (models, engine code,
// settings, files); `--fresh` ignores the cache.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnalysisSettings, AnnotationDocument } from '../../src/shared/annotationDocument';
import { temper } from '../../src/core/calibration/calibrationMath';
import { loadManifest } from '../../src/core/models/modelManifest';
import type { ImageSet, LabelledClip } from './labelledImages';
import { analyzeClips, analyzeImageSet } from './productRuns';
import type { ImageOutcome } from './productRuns';

/** One model with the two engine settings that change what it sees: 5-point alignment and mirror averaging. */
export interface Member {
  model: string;
  /** false: a plain crop of the box (changes only models trained on aligned faces). */
  align: boolean;
  flip: boolean;
}

/** One sampled frame of a clip's main track: its time and the model's uncalibrated probabilities. */
export interface ClipFrame {
  timeSec: number;
  probs: number[];
}

export interface ClipRun {
  file: string;
  label: number;
  /** The main face track (most frames); empty when no face was found. */
  frames: ClipFrame[];
}

/** A member's uncalibrated outcomes per image set and per clip set. */
export interface MemberRun {
  images: Map<string, ImageOutcome[]>;
  clips: Map<string, ClipRun[]>;
}

export interface ClipSet {
  name: string;
  clips: LabelledClip[];
}

const cacheDir = path.join(os.tmpdir(), 'emotion-lens-eval-cache');
const engineFolders = ['vision', 'engine', 'timeline', 'tracking', 'media'].map((f) => path.resolve(__dirname, '..', '..', 'src', 'core', f));

/** The member's name; `align` is left out for a model that is never aligned (it gets the same crop either way). */
export function memberName(m: Member): string {
  const aligned = loadManifest().models.find((e) => e.id === m.model)?.alignment === 'arcface5';
  return `${m.model}${aligned && !m.align ? ' box' : ''}${m.flip ? ' flip' : ''}`;
}

/** The member's settings as a one-model analysis. */
export function memberSettings(m: Member): Partial<AnalysisSettings> {
  return { expressionModels: [m.model], expressionWeights: [1], ensembleTemperature: 1, alignFaces: m.align, flipAverage: m.flip, smoothingSec: 0 };
}

/** Runs (or reads from the cache) every member on every image set and clip set. */
export async function runMembers(members: readonly Member[], sets: readonly ImageSet[], clipSets: readonly ClipSet[], modelsDir: string, fresh: boolean): Promise<Map<string, MemberRun>> {
  const runs = new Map<string, MemberRun>();
  for (const member of members) {
    const run: MemberRun = { images: new Map(), clips: new Map() };
    for (const set of sets) {
      const key = cacheKey(member, set.name, set.images.map((i) => i.file));
      run.images.set(set.name, await cached(key, fresh, async () => uncalibratedImages(member, (await analyzeImageSet(set, memberSettings(member), modelsDir)).outcomes)));
    }
    for (const clipSet of clipSets) {
      const key = cacheKey(member, clipSet.name, clipSet.clips.map((c) => c.file));
      run.clips.set(clipSet.name, await cached(key, fresh, async () => {
        const docs = await analyzeClips(clipSet.clips.map((c) => c.file), memberSettings(member), modelsDir);
        return clipSet.clips.map((clip, i) => ({ file: clip.file, label: clip.label, frames: mainTrack(docs[i]!, member.model) }));
      }));
    }
    runs.set(memberName(member), run);
    process.stderr.write(`  measured ${memberName(member)}\n`);
  }
  return runs;
}

/** The current calibration undone: softmax(log p * T) gives back the model's own softmax. */
function uncalibrate(probs: readonly number[], model: string): number[] {
  const t = loadManifest().models.find((m) => m.id === model)?.calibration?.temperature ?? 1;
  return temper(probs, 1 / t);
}

function uncalibratedImages(member: Member, outcomes: readonly ImageOutcome[]): ImageOutcome[] {
  return outcomes.map((o) => (o.probs ? { ...o, probs: uncalibrate(o.probs, member.model) } : o));
}

/** The track with the most frames (a clip is about one person; stray detections make short tracks). */
function mainTrack(doc: AnnotationDocument, model: string): ClipFrame[] {
  const counts = new Map<number, number>();
  for (const frame of doc.frames) for (const face of frame.faces) counts.set(face.trackId, (counts.get(face.trackId) ?? 0) + 1);
  const main = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return doc.frames.flatMap((frame) => frame.faces.filter((f) => f.trackId === main).map((f) => ({ timeSec: frame.timeSec, probs: uncalibrate(f.probs, model) })));
}

async function cached<T>(key: string, fresh: boolean, compute: () => Promise<T>): Promise<T> {
  const file = path.join(cacheDir, `${key}.json`);
  if (!fresh && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
  const value = await compute();
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, JSON.stringify(value));
  return value;
}

/** Changes with the member, the model entries (files, preprocessing; not the calibration it undoes), the engine's code and the inputs. */
function cacheKey(member: Member, setName: string, files: readonly string[]): string {
  const hash = createHash('sha256');
  const entries = loadManifest().models.filter((m) => m.role !== 'speech').map(({ calibration: _calibration, ...entry }) => entry);
  hash.update(JSON.stringify({ member, setName, files, entries }));
  // Every file below each folder (engine/ has pipeline/, batch/ and childProcess/ inside).
  for (const folder of engineFolders) {
    const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => statSync(path.join(folder, name)).isFile());
    for (const name of files.sort()) hash.update(name).update(readFileSync(path.join(folder, name)));
  }
  return `${setName}-${hash.digest('hex').slice(0, 16)}`;
}
