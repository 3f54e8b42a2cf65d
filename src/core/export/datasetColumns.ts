/**
 * A dataset table built row by row: each row goes out at once as a CSV line (so a table of millions of faces
 * is never held as text), and into typed columns for the Parquet file written at the end. Empty cells are
 * nulls in Parquet and empty fields in CSV (pandas reads both as NaN).
 */
import { csvField } from './frameCsv';
import { formatNumber } from './finalLabels';

export type ColumnType = 'string' | 'int32' | 'float64';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

export type Cell = string | number | null;

/** Growable typed storage for one column, with a null mask. */
class Column {
  private numbers: Float64Array | Int32Array;
  private readonly strings: (string | null)[] = [];
  private valid = new Uint8Array(1024);
  length = 0;

  constructor(readonly spec: ColumnSpec) {
    this.numbers = spec.type === 'int32' ? new Int32Array(1024) : new Float64Array(spec.type === 'float64' ? 1024 : 0);
  }

  push(cell: Cell): void {
    if (this.spec.type === 'string') {
      this.strings.push(cell === null ? null : String(cell));
    } else {
      if (this.length === this.numbers.length) this.numbers = grow(this.numbers);
      this.numbers[this.length] = cell === null ? 0 : Number(cell);
    }
    if (this.length === this.valid.length) this.valid = grow(this.valid);
    this.valid[this.length] = cell === null ? 0 : 1;
    this.length++;
  }

  get(i: number): Cell {
    if (!this.valid[i]) return null;
    return this.spec.type === 'string' ? this.strings[i]! : this.numbers[i]!;
  }

  set(i: number, cell: Cell): void {
    if (this.spec.type === 'string') this.strings[i] = cell === null ? null : String(cell);
    else this.numbers[i] = cell === null ? 0 : Number(cell);
    this.valid[i] = cell === null ? 0 : 1;
  }

  /** The values, nulls as null (what apache-arrow's vectorFromArray takes). */
  values(): (string | number | null)[] {
    const out = new Array<string | number | null>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.valid[i] ? (this.spec.type === 'string' ? this.strings[i]! : this.numbers[i]!) : null;
    return out;
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(array: T): T {
  const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}

export class DatasetTable {
  private readonly columns: Column[];

  constructor(readonly specs: readonly ColumnSpec[]) {
    this.columns = specs.map((spec) => new Column(spec));
  }

  get rowCount(): number {
    return this.columns[0]?.length ?? 0;
  }

  csvHeader(): string {
    return this.specs.map((s) => csvField(s.name)).join(',') + '\n';
  }

  /** Stores the row and returns it as a CSV line. */
  add(row: readonly Cell[]): string {
    if (row.length !== this.columns.length) throw new Error(`row has ${row.length} cells for ${this.columns.length} columns`);
    row.forEach((cell, i) => this.columns[i]!.push(cell));
    return row.map((cell, i) => csvCell(cell, this.specs[i]!.type)).join(',') + '\n';
  }

  /** A cell of a stored row, by column name. */
  get(row: number, column: string): Cell {
    return this.column(row, column).get(row);
  }

  /** Fills in a cell of a stored row (a value known only once every row is in, such as a normalised score). */
  set(row: number, column: string, cell: Cell): void {
    this.column(row, column).set(row, cell);
  }

  /** A stored row as a CSV line. */
  csvLine(row: number): string {
    return this.columns.map((c) => csvCell(c.get(row), c.spec.type)).join(',') + '\n';
  }

  private column(row: number, name: string): Column {
    const column = this.columns.find((c) => c.spec.name === name);
    if (!column) throw new Error(`no column ${name}`);
    if (!(row >= 0 && row < this.rowCount)) throw new Error(`no row ${row}`);
    return column;
  }

  /** Each column's values in order, for the Parquet writer. */
  columnValues(): { spec: ColumnSpec; values: (string | number | null)[] }[] {
    return this.columns.map((c) => ({ spec: c.spec, values: c.values() }));
  }
}

function csvCell(cell: Cell, type: ColumnType): string {
  if (cell === null) return '';
  if (type === 'float64') return formatNumber(Number(cell));
  return csvField(String(cell));
}
