/**
 * The CLI package carries the native runtimes of the platform it was packed on (dist/native-target.json,
 * written by scripts/packaging/cliPackage.mjs). On another platform they cannot load: say so in one line
 * before any of them is touched, instead of a missing `.node` file deep in a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Why this installation cannot run here, or undefined (a source checkout has no target file). */
export function packagedTargetProblem(distDir: string, here = `${process.platform}-${process.arch}`): string | undefined {
  const file = path.join(distDir, 'native-target.json');
  if (!existsSync(file)) return undefined;
  let target: unknown;
  try {
    target = (JSON.parse(readFileSync(file, 'utf8')) as { target?: unknown }).target;
  } catch {
    return `${file} is damaged: install the package again`;
  }
  if (target === here) return undefined;
  return `this Emotion Lens package was packed for ${String(target)} and cannot run on ${here}: run \`npm pack\` in a checkout on a ${here} machine and install that package`;
}
