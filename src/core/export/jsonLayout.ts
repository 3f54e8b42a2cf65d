/**
 * JSON laid out for people and diffs: containers are expanded one member per line down to `expandDepth`,
 * anything deeper stays on one line (a record, a region), so large exports stay compact yet diff line by line.
 */
export function layoutJson(value: unknown, expandDepth: number): string {
  return layout(value, expandDepth, 0, '') + '\n';
}

function layout(value: unknown, expandDepth: number, depth: number, indent: string): string {
  if (depth >= expandDepth || value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    // Lists of plain values (labels, probabilities) read best on one line.
    if (value.every((item) => item === null || typeof item !== 'object')) return JSON.stringify(value);
    return `[\n${value.map((item) => inner + layout(item, expandDepth, depth + 1, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${layout(v, expandDepth, depth + 1, inner)}`).join(',\n')}\n${indent}}`;
}
