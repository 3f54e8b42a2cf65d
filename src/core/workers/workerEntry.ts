/**
 * Where a worker thread's script lives: `dist/<name>.js` beside the bundle that starts it, or the
 * TypeScript source when running under tsx (tests, scripts), where workers need tsx registered first.
 */
import path from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';

export type WorkerName = 'frameWorker' | 'speechWorker' | 'voiceWorker' | 'adaptationWorker';

const sourceFiles: Record<WorkerName, string> = {
  frameWorker: path.join('..', 'vision', 'frameWorker.ts'),
  speechWorker: path.join('..', 'speech', 'speechWorker.ts'),
  voiceWorker: path.join('..', 'voice', 'voiceWorker.ts'),
  adaptationWorker: path.join('..', 'adaptation', 'adaptationWorker.ts'),
};

/** True when this module runs from its .ts source (tsx), false inside an esbuild bundle. */
export function runningFromSource(): boolean {
  return __filename.endsWith('.ts');
}

/** Absolute path of the worker script for `name`. */
export function workerEntry(name: WorkerName): string {
  return runningFromSource() ? path.resolve(__dirname, sourceFiles[name]) : path.join(__dirname, `${name}.js`);
}

/**
 * Starts a worker for `name`. From source, `--import tsx` inherited through execArgv does not reach the
 * worker's loader on Node 20, so a one-line CommonJS bootstrap registers tsx and then requires the .ts file.
 */
export function startWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  const file = workerEntry(name);
  if (!runningFromSource()) return new Worker(file, options);
  const tsx = require.resolve('tsx/cjs', { paths: [process.cwd(), __dirname] });
  const bootstrap = `require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`;
  return new Worker(bootstrap, { ...options, eval: true });
}
