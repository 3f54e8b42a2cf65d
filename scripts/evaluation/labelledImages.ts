// The labelled faces of ../shared/media: which image or clip shows which expression. The development sets
// (faces/fer2013-val, ckplus-dev, jaffe-dev, wild-dev, clips/mead-dev) are for choosing and calibrating;
// faces/fer2013 is reported only.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CANONICAL_LABELS, canonicalLabel } from '../../src/core/models/modelManifest';

/** The label index of a face whose label no model can output (CK+'s and MEAD's "contempt"). */
export const UNSCORED = -1;

export interface LabelledImage {
  file: string;
  /** Index into CANONICAL_LABELS, or UNSCORED. */
  label: number;
}

export interface ImageSet {
  name: string;
  /** What the set is for: choosing and calibrating, or reporting only. */
  role: 'tune' | 'report';
  /** The kind of face, in a few words (the evaluation's tables say it). */
  kind: string;
  folder: string;
  images: LabelledImage[];
}

/** A labelled video: the take's expression, scored by the dominant label of its main face track. */
export interface LabelledClip {
  file: string;
  label: number;
}

const DEV_IMAGE_SETS = [
  { name: 'fer2013-val', kind: 'FER2013 48x48 grey web crops' },
  { name: 'ckplus-dev', kind: 'CK+ posed lab crops, 128x128 grey' },
  { name: 'jaffe-dev', kind: 'JAFFE posed, 256x256 grey photos' },
  { name: 'wild-dev', kind: 'faces in the wild: LFW photos, film frames' },
];

/** Every development image set found (tune), then faces/fer2013 (100, labels in faces/labels.csv: report only). */
export function imageSets(mediaDir: string): ImageSet[] {
  const faces = path.join(mediaDir, 'faces');
  const sets: ImageSet[] = [];
  for (const { name, kind } of DEV_IMAGE_SETS) {
    const folder = path.join(faces, name);
    if (existsSync(path.join(folder, 'labels.csv'))) sets.push({ name, role: 'tune', kind, folder, images: readLabels(path.join(folder, 'labels.csv'), folder) });
  }
  if (existsSync(path.join(faces, 'labels.csv'))) {
    sets.push({ name: 'fer2013', role: 'report', kind: 'FER2013 48x48 grey web crops', folder: path.join(faces, 'fer2013'), images: readLabels(path.join(faces, 'labels.csv'), faces) });
  }
  return sets;
}

/** clips/mead-dev: one speaker talking with each expression (empty when the folder is missing). */
export function meadClips(mediaDir: string): LabelledClip[] {
  const folder = path.join(mediaDir, 'clips', 'mead-dev');
  const csv = path.join(folder, 'labels.csv');
  return existsSync(csv) ? readLabels(csv, folder) : [];
}

/** `file,label` rows; labels no model has (contempt) are kept as UNSCORED, anything else unknown is an error. */
function readLabels(csv: string, base: string): LabelledImage[] {
  return readFileSync(csv, 'utf8').trim().split(/\r?\n/).slice(1).map((line) => {
    const [file = '', label = ''] = line.split(',');
    const canonical = canonicalLabel(label);
    if (!canonical && label.trim() !== 'contempt') throw new Error(`${csv}: unknown label ${label}`);
    // faces/labels.csv names files as fer2013/x.jpg, the other sets' as x.jpg.
    return { file: path.join(base, file), label: canonical ? CANONICAL_LABELS.indexOf(canonical) : UNSCORED };
  });
}
