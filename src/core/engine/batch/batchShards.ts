// `--shard K/N`: every task of a cluster job takes a stable share of the same inputs without talking to the
// others. Inputs are ordered by their path relative to the input they were found from (so the order does not
// depend on where the dataset is mounted), then dealt round-robin: shards differ by at most one input.

export interface Shard {
  /** 0 .. count-1. */
  index: number;
  count: number;
}

/** Parses "K/N" (K from 0 to N-1), or returns why the text is not one. */
export function parseShard(text: string): Shard | string {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return `--shard must look like K/N (e.g. 0/4), got '${text}'`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) return `--shard needs at least one shard, got '${text}'`;
  if (index >= count) return `--shard K/N takes K from 0 to N-1, got '${text}'`;
  return { index, count };
}

/** The files of one shard, in their shared order. `keyOf` gives each file's path relative to its input. */
export function shardFiles<T>(files: readonly T[], keyOf: (file: T) => string, shard: Shard): T[] {
  const ordered = [...files].sort((a, b) => compare(keyOf(a), keyOf(b)));
  return ordered.filter((_, i) => i % shard.count === shard.index);
}

/** Code-unit order, not the locale's: every machine of a cluster sorts alike. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
