// Reads a Py-Feat CSV the way feat.utils.io.read_feat does, without Python: pandas.read_csv of the whole file,
// au_columns = every column whose name holds "AU", and a Fex whose accessors select columns by name
// (FEAT_EMOTION_COLUMNS, FEAT_FACEBOX_COLUMNS, the 68 landmarks' x_/y_ columns, Pitch/Roll/Yaw, frame), so a
// missing one is a KeyError there and an error here. Numbers parse as pandas parses them: an empty cell is NaN,
// anything else must be a float, and a column with an empty cell is float64, else int64 when every value is whole.
import { parseCsv } from './exportParsers';

export const FEAT_EMOTION_COLUMNS = ['anger', 'disgust', 'fear', 'happiness', 'sadness', 'surprise', 'neutral'];
export const FEAT_FACEBOX_COLUMNS = ['FaceRectX', 'FaceRectY', 'FaceRectWidth', 'FaceRectHeight', 'FaceScore'];
export const OPENFACE_2D_LANDMARK_COLUMNS = [...Array.from({ length: 68 }, (_, i) => `x_${i}`), ...Array.from({ length: 68 }, (_, i) => `y_${i}`)];
export const FEAT_FACEPOSE_COLUMNS = ['Pitch', 'Roll', 'Yaw'];
export const FEAT_TIME_COLUMNS = ['frame'];

export type PandasDtype = 'float64' | 'int64' | 'object';

export interface FexLike {
  columns: string[];
  dtypes: Record<string, PandasDtype>;
  auColumns: string[];
  /** Column values by name: numbers (NaN for empty) in numeric columns, strings (null for empty) otherwise. */
  column(name: string): (number | string | null)[];
  /** The accessor's columns as a matrix of numbers; throws like pandas when a column is missing or not numeric. */
  select(names: readonly string[]): number[][];
  rows: number;
}

const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(inf|nan)$/i;

export function readFeatLike(text: string): FexLike {
  const [header, ...body] = parseCsv(text);
  if (!header) throw new Error('empty file');
  if (new Set(header).size !== header.length) throw new Error('duplicate column names (pandas would rename them)');
  for (const [i, row] of body.entries()) if (row.length !== header.length) throw new Error(`row ${i + 1} has ${row.length} fields for ${header.length} columns`);
  const dtypes: Record<string, PandasDtype> = {};
  header.forEach((name, c) => {
    const cells = body.map((r) => r[c]!);
    const present = cells.filter((v) => v !== '');
    if (present.length > 0 && present.every((v) => FLOAT.test(v))) dtypes[name] = present.length === cells.length && present.every((v) => /^[-+]?\d+$/.test(v)) ? 'int64' : 'float64';
    else dtypes[name] = present.length === 0 ? 'float64' : 'object';
  });
  const index = (name: string) => {
    const c = header.indexOf(name);
    if (c < 0) throw new Error(`KeyError: '${name}' not in columns`);
    return c;
  };
  const column = (name: string) => {
    const c = index(name);
    return body.map((r) => (dtypes[name] === 'object' ? (r[c] === '' ? null : r[c]!) : r[c] === '' ? NaN : Number(r[c])));
  };
  return {
    columns: header,
    dtypes,
    auColumns: header.filter((name) => name.includes('AU')),
    column,
    select(names) {
      for (const name of names) {
        index(name);
        if (dtypes[name] === 'object') throw new Error(`column ${name} is not numeric`);
      }
      const values = names.map((name) => column(name) as number[]);
      return body.map((_, r) => values.map((v) => v[r]!));
    },
    rows: body.length,
  };
}
