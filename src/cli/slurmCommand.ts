/**
 * `emotion-lens slurm <inputs>... --out DIR --tasks N [...]`: writes a SLURM array job that analyses the
 * inputs in N shards (the same `analyze` options in every task), and a job that writes the dataset table once
 * the array is over; with --submit, submits both (sbatch, argument arrays only) and says how to watch them.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeScript, SLURM_FOLDER, tableScript } from '../core/cluster/slurmScripts';
import type { SlurmJobSpec } from '../core/cluster/slurmScripts';
import { writeFileAtomic } from '../core/document/annotationFile';
import { TOOL } from '../core/engine/toolInfo';
import { runProcess } from '../core/media/childProcess';
import { ANALYZE_OPTIONS, parseAnalyzeArgs, UsageError } from './analyzeOptions';
import type { CommandIo } from './analyzeCommand';

export const SLURM_USAGE = `Usage: emotion-lens slurm <files or folders>... --out DIR --tasks N [options] [analyze options]

Writes DIR/${SLURM_FOLDER}/analyze.sbatch, a SLURM array job of N tasks (task i runs \`emotion-lens analyze
--shard i/N\` with the analyze options given here), and DIR/${SLURM_FOLDER}/table.sbatch, which writes the
dataset table (DIR/dataset/) once the array is over. Resubmit a task alone to resume it:
documents already written are skipped.

Options:
  --out DIR            where the documents go (required; shared storage every node can reach)
  --tasks N            array tasks (required)
  --partition P        SLURM partition
  --time T             time limit per task, HH:MM:SS or D-HH:MM:SS
  --cpus C             CPUs per task (default 2; the task's analysis threads)
  --mem M              memory per task, e.g. 8G
  --job-name NAME      (default emotion-lens)
  --node PATH          the Node.js the tasks run (default: this one, ${process.execPath})
  --submit             submit both jobs with sbatch and print their ids
  -h, --help           show this help
Every other option is passed to \`analyze\` (see emotion-lens analyze --help).`;

interface SlurmArgs {
  spec: SlurmJobSpec;
  submit: boolean;
}

/** Splits the slurm command's own options from the analyze options, and checks both. */
export function parseSlurmArgs(args: string[], env: NodeJS.ProcessEnv, cli: string): SlurmArgs | 'help' {
  const own = ['out', 'tasks', 'partition', 'time', 'cpus', 'mem', 'job-name', 'node'];
  const ownValues: Record<string, string> = {};
  const rest: string[] = [];
  let submit = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : '';
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--submit') submit = true;
    else if (own.includes(name)) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      ownValues[name] = value;
    } else rest.push(arg);
  }
  if (!ownValues.out) throw new UsageError('slurm needs --out DIR: the documents of every task go there');
  const tasks = Number(ownValues.tasks);
  if (!Number.isInteger(tasks) || tasks < 1 || tasks > 100_000) throw new UsageError(`--tasks must be a whole number of array tasks, got '${ownValues.tasks ?? ''}'`);
  const cpus = ownValues.cpus === undefined ? 2 : Number(ownValues.cpus);
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > 256) throw new UsageError(`--cpus must be a whole number of CPUs, got '${ownValues.cpus}'`);
  check('partition', ownValues.partition, /^[\w.,-]+$/, 'a partition name');
  check('time', ownValues.time, /^(\d+-)?\d{1,3}:\d{2}(:\d{2})?$|^\d+$/, 'HH:MM:SS or D-HH:MM:SS');
  check('mem', ownValues.mem, /^\d+[KMGT]?$/i, 'a size such as 8G');
  check('job-name', ownValues['job-name'], /^[\w.-]+$/, 'letters, digits, . _ -');
  // The analyze options must parse as they would in each task (an error now, not in N jobs later).
  const analyze = parseAnalyzeArgs(rest, env);
  if (analyze === 'help') return 'help';
  const { tokens } = parseArgs({ args: rest, options: ANALYZE_OPTIONS, allowPositionals: true, strict: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && (t.name === 'shard' || t.name === 'out'))) throw new UsageError('--shard and --out are set by the slurm command itself; leave them out of the analyze options');
  const inputs = tokens.filter((t) => t.kind === 'positional').map((t) => path.resolve(t.value));
  const analyzeOptions = tokens.flatMap((t) => (t.kind === 'option' ? (t.inlineValue ? [t.rawName + '=' + (t.value ?? '')] : [t.rawName, ...(t.value !== undefined ? [t.value] : [])]) : t.kind === 'option-terminator' ? ['--'] : []));
  return {
    submit,
    spec: {
      inputs,
      outDir: path.resolve(ownValues.out),
      tasks,
      analyzeOptions,
      cpusPerTask: cpus,
      jobName: ownValues['job-name'] ?? 'emotion-lens',
      node: path.resolve(ownValues.node ?? process.execPath),
      nodeVersion: process.version,
      cli: path.resolve(cli),
      toolVersion: TOOL.version,
      createdAt: new Date().toISOString(),
      ...(ownValues.partition ? { partition: ownValues.partition } : {}),
      ...(ownValues.time ? { time: ownValues.time } : {}),
      ...(ownValues.mem ? { memory: ownValues.mem } : {}),
    },
  };
}

function check(name: string, value: string | undefined, pattern: RegExp, expected: string): void {
  if (value !== undefined && !pattern.test(value)) throw new UsageError(`--${name} must be ${expected}, got '${value}'`);
}

export async function runSlurm(args: string[], env: NodeJS.ProcessEnv, io: CommandIo, cli: string): Promise<number> {
  const parsed = parseSlurmArgs(args, env, cli);
  if (parsed === 'help') {
    io.out.write(`${SLURM_USAGE}\n`);
    return 0;
  }
  const { spec } = parsed;
  const jobDir = path.join(spec.outDir, SLURM_FOLDER);
  const logs = path.join(jobDir, 'logs');
  await fs.mkdir(logs, { recursive: true });
  const analyzeFile = path.join(jobDir, 'analyze.sbatch');
  const tableFile = path.join(jobDir, 'table.sbatch');
  await writeFileAtomic(analyzeFile, analyzeScript(spec, logs));
  await writeFileAtomic(tableFile, tableScript(spec, logs, path.join(spec.outDir, 'dataset')));
  await Promise.all([fs.chmod(analyzeFile, 0o755), fs.chmod(tableFile, 0o755)]);
  io.out.write(`wrote ${analyzeFile} (${spec.tasks} array tasks, ${spec.cpusPerTask} CPUs each)\nwrote ${tableFile} (the dataset table, after the array)\n`);
  if (!parsed.submit) {
    io.out.write(`submit with:\n  jobid=$(sbatch --parsable ${analyzeFile})\n  sbatch --dependency=afterany:$jobid ${tableFile}\n`);
    return 0;
  }
  const array = await sbatch(['--parsable', analyzeFile], env);
  const table = await sbatch(['--parsable', `--dependency=afterany:${array}`, tableFile], env);
  io.out.write([
    `submitted: analysis array job ${array} (${spec.tasks} tasks), dataset table job ${table} (after it)`,
    `watch:     squeue -j ${array},${table}      logs: ${logs}/`,
    `resume a task i that failed or ran out of time:  sbatch --array=i ${analyzeFile}`,
    `the table: ${path.join(spec.outDir, 'dataset')}/ once job ${table} has run`,
    '',
  ].join('\n'));
  return 0;
}

/** Runs sbatch --parsable and returns the job id it prints (the cluster's name may follow a semicolon). */
async function sbatch(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runProcess(env.EMOTION_LENS_SBATCH || 'sbatch', args, { collectStdout: true, env }).catch((error: unknown) => {
    throw new Error(`could not run sbatch (${(error as Error).message}); is this a SLURM login node? Submit the scripts by hand`);
  });
  const id = result.stdout.toString('utf8').trim().split(';')[0] ?? '';
  if (result.code !== 0 || !/^\d+$/.test(id)) throw new Error(`sbatch failed: ${result.stderrTail.trim().split('\n').pop() ?? `exit ${result.code}`}`);
  return id;
}
