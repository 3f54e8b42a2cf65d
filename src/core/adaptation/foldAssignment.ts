/**
 * Cross-validation folds for corrections. Faces of one person in one video are near copies of each other
 * (consecutive frames), so a fold that holds some of a track's frames while training on the rest would
 * flatter the adaptation. Folds therefore split by group (a document's track): whole groups go to one fold.
 * With fewer groups than folds, each group is cut into contiguous runs in time order instead, so a fold still
 * tests on a stretch the fit did not see.
 */
export interface GroupedItem {
  /** Items of one group are kept together (a document and track). */
  group: string;
  /** Order within the group (time). */
  order: number;
}

/** The fold (0..folds-1) of each item, in the items' order. */
export function assignFolds(items: readonly GroupedItem[], folds: number): number[] {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const members = groups.get(item.group) ?? [];
    members.push(i);
    groups.set(item.group, members);
  });
  const fold = new Array<number>(items.length).fill(0);
  if (groups.size >= folds) {
    // Largest groups first, each to the currently smallest fold: folds of similar size.
    const sizes = new Array<number>(folds).fill(0);
    const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    for (const [, members] of ordered) {
      const target = sizes.indexOf(Math.min(...sizes));
      for (const i of members) fold[i] = target;
      sizes[target]! += members.length;
    }
    return fold;
  }
  for (const members of groups.values()) {
    const sorted = [...members].sort((a, b) => items[a]!.order - items[b]!.order);
    sorted.forEach((i, position) => (fold[i] = Math.min(folds - 1, Math.floor((position * folds) / sorted.length))));
  }
  return fold;
}
