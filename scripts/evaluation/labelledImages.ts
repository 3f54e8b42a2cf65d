// The labelled face-image sets of ../shared/media/faces: which file shows which expression.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CANONICAL_LABELS, canonicalLabel } from '../../src/core/models/modelManifest';

export interface LabelledImage {
  file: string;
  /** Index into CANONICAL_LABELS. */
  label: number;
}

export interface ImageSet {
  name: string;
  /** What the set is for: choosing and calibrating, or reporting only. */
  role: 'tune' | 'report';
  folder: string;
  images: LabelledImage[];
}

/** faces/fer2013 (100, labels in faces/labels.csv: report only) and faces/fer2013-val (1,200: tune and calibrate). */
export function imageSets(mediaDir: string): ImageSet[] {
  const faces = path.join(mediaDir, 'faces');
  const sets: ImageSet[] = [];
  const val = path.join(faces, 'fer2013-val');
  if (existsSync(path.join(val, 'labels.csv'))) sets.push({ name: 'fer2013-val', role: 'tune', folder: val, images: readLabels(path.join(val, 'labels.csv'), val) });
  if (existsSync(path.join(faces, 'labels.csv'))) sets.push({ name: 'fer2013', role: 'report', folder: path.join(faces, 'fer2013'), images: readLabels(path.join(faces, 'labels.csv'), faces) });
  return sets;
}

function readLabels(csv: string, base: string): LabelledImage[] {
  return readFileSync(csv, 'utf8').trim().split(/\r?\n/).slice(1).map((line) => {
    const [file = '', label = ''] = line.split(',');
    const canonical = canonicalLabel(label);
    if (!canonical) throw new Error(`${csv}: unknown label ${label}`);
    // faces/labels.csv names files as fer2013/x.jpg, the val set's as x.jpg.
    const full = path.join(base, file);
    return { file: full, label: CANONICAL_LABELS.indexOf(canonical) };
  });
}
