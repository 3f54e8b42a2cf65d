// Two rules of the source tree that lint cannot see: no import circle in src (resolved by TypeScript itself,
// with the options of the tsconfig that compiles each file, type-only imports included: a circle of types is
// still two files a reader must understand together), and no file in src over 450 lines, stylesheets included.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../helpers/testEnvironment';

const src = path.join(repoRoot, 'src');
const MAX_LINES = 450;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Every TypeScript file of src with the compiler options of the tsconfig that compiles it. */
function compiledFiles(): Map<string, ts.CompilerOptions> {
  const byFile = new Map<string, ts.CompilerOptions>();
  for (const name of ['tsconfig.json', 'tsconfig.webview.json']) {
    const configPath = path.join(repoRoot, name);
    const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot, undefined, configPath);
    for (const file of parsed.fileNames) if (path.resolve(file).startsWith(src + path.sep)) byFile.set(path.resolve(file), parsed.options);
  }
  return byFile;
}

/** Each src file -> the src files it imports (imports, re-exports, dynamic imports and requires). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, options] of compiledFiles()) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((imported) => ts.resolveModuleName(imported.fileName, file, options, ts.sys).resolvedModule?.resolvedFileName)
      .filter((target): target is string => target !== undefined && path.resolve(target).startsWith(src + path.sep))
      .map((target) => path.resolve(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components with more than one file (or a file importing itself): Tarjan's algorithm. */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** One concrete circle through the component's first file, as "a.ts -> b.ts -> a.ts" (shortest, by breadth-first search). */
function describeCircle(component: string[], graph: Map<string, string[]>): string {
  const inside = new Set(component);
  const start = component[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const next of graph.get(file) ?? []) {
      if (!inside.has(next) || cameFrom.has(next)) continue;
      cameFrom.set(next, file);
      if (next === start) queue.length = 0;
      else queue.push(next);
    }
  }
  const chain = [start];
  for (let file = cameFrom.get(start)!; file !== start; file = cameFrom.get(file)!) chain.unshift(file);
  chain.unshift(start);
  return chain.map((file) => path.relative(repoRoot, file)).join(' -> ');
}

function lineCount(file: string): number {
  const text = readFileSync(file, 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('the source tree', () => {
  test('has no import circle', () => {
    const graph = importGraph();
    assert.ok(graph.size > 150, `the import graph covers src (${graph.size} files)`);
    const found = circles(graph).map((component) => describeCircle(component, graph));
    assert.deepEqual(found, [], `import circles in src:\n${found.join('\n')}`);
  });

  test('the circle check finds a circle when there is one', () => {
    const graph = new Map([['/a.ts', ['/b.ts']], ['/b.ts', ['/c.ts']], ['/c.ts', ['/a.ts', '/d.ts']], ['/d.ts', []], ['/e.ts', ['/e.ts']]]);
    const found = circles(graph);
    assert.deepEqual(found.map((c) => [...c].sort()), [['/a.ts', '/b.ts', '/c.ts'], ['/e.ts']]);
    const chain = describeCircle(found[0]!, graph).split(' -> ').map((file) => path.basename(file));
    assert.equal(chain.length, 4);
    assert.equal(chain[0], chain[3], 'the chain ends where it starts');
    assert.deepEqual(chain.slice(0, 3).sort(), ['a.ts', 'b.ts', 'c.ts']);
  });

  test(`has no file over ${MAX_LINES} lines`, () => {
    const files = filesUnder(src);
    assert.ok(files.some((file) => file.endsWith('.css')), 'stylesheets are counted too');
    const tooLong = files
      .map((file) => ({ name: path.relative(repoRoot, file).split(path.sep).join('/'), lines: lineCount(file) }))
      .filter(({ lines }) => lines > MAX_LINES);
    assert.deepEqual(tooLong, [], `split these files by what they hold:\n${tooLong.map((f) => `${f.name}: ${f.lines} lines`).join('\n')}`);
  });
});
