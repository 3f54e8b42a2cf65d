// Runs the built CLI (dist/cli.js) as a user does, with the shared models, and collects what it prints.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { modelsDir, repoRoot } from './testEnvironment';

export const cliPath = path.join(repoRoot, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to the environment (which already points EMOTION_LENS_MODELS at the shared models). */
  env?: NodeJS.ProcessEnv;
  /** Called with all of stdout so far after each chunk, with the child (to interrupt it mid-run). */
  onStdout?: (text: string, child: ChildProcess) => void;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, EMOTION_LENS_MODELS: modelsDir, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'close', not 'exit': the output may still be on its way when the process has exited.
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
