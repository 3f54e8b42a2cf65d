/**
 * The SLURM batch scripts of `emotion-lens slurm`: an array job whose task i runs `emotion-lens analyze
 * --shard i/N` with the user's options (every task agrees on its share without talking to the others), and a
 * job that writes the dataset table once the array is over. Plain, commented bash a cluster user can read and
 * edit; every path is absolute, so the tool can live on shared storage. Pure: it only builds text.
 */

export interface SlurmJobSpec {
  /** Inputs to analyse, absolute. */
  inputs: string[];
  /** Where the documents go (and the scripts, logs and the dataset table, under it), absolute. */
  outDir: string;
  tasks: number;
  /** The `analyze` options besides inputs, --out and --shard, as given. */
  analyzeOptions: string[];
  partition?: string;
  /** HH:MM:SS (or D-HH:MM:SS), SLURM's own format. */
  time?: string;
  cpusPerTask: number;
  /** e.g. 8G. */
  memory?: string;
  jobName: string;
  /** The Node.js and the CLI bundle each task runs, absolute, and their versions (written into the scripts). */
  node: string;
  nodeVersion: string;
  cli: string;
  toolVersion: string;
  /** For the scripts' header. */
  createdAt: string;
}

export const SLURM_FOLDER = 'slurm';

/** A shell word: single-quoted, with any single quote written as '\'' (safe for every byte but NUL). */
export function shellQuote(word: string): string {
  if (word.includes('\0')) throw new Error('a path or option with a NUL byte cannot be passed to a shell script');
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** A bash line of words, continued over several lines when long. */
function commandLine(words: readonly string[]): string {
  const quoted = words.map((w) => (w.startsWith('"$') ? w : shellQuote(w)));
  const lines: string[] = [];
  let line = '';
  for (const word of quoted) {
    if (line && line.length + word.length > 100) {
      lines.push(`${line} \\`);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join('\n');
}

function header(spec: SlurmJobSpec, what: string): string[] {
  return [
    '#!/bin/bash',
    `# ${what}`,
    `# Written by \`emotion-lens slurm\` (Emotion Lens ${spec.toolVersion}, Node.js ${spec.nodeVersion}) on ${spec.createdAt}.`,
  ];
}

function directives(spec: SlurmJobSpec, extra: string[]): string[] {
  return [
    ...extra,
    ...(spec.partition ? [`#SBATCH --partition=${spec.partition}`] : []),
    ...(spec.time ? [`#SBATCH --time=${spec.time}`] : []),
    ...(spec.memory ? [`#SBATCH --mem=${spec.memory}`] : []),
  ];
}

function runtime(spec: SlurmJobSpec): string[] {
  return [
    'set -euo pipefail',
    '',
    '# The Node.js and Emotion Lens this job was written for (absolute paths: shared storage works).',
    `NODE=${shellQuote(spec.node)}`,
    `EMOTION_LENS=${shellQuote(spec.cli)}`,
    `if [ "$("$NODE" --version)" != ${shellQuote(spec.nodeVersion)} ]; then`,
    `  echo "warning: $NODE is $("$NODE" --version), this job was written with ${spec.nodeVersion}" >&2`,
    'fi',
  ];
}

/** The array job: task i analyses shard i of N; rerun it, or one task of it, to resume. */
export function analyzeScript(spec: SlurmJobSpec, logsDir: string): string {
  const threads = spec.analyzeOptions.includes('--threads') ? [] : ['--threads', '"${SLURM_CPUS_PER_TASK:-1}"'];
  return [
    ...header(spec, `Emotion Lens: analyse ${spec.inputs.length} input folder(s)/file(s) in ${spec.tasks} array task(s).`),
    '# Task i analyses shard i/N of the inputs (a stable share: their sorted paths, dealt round-robin).',
    '# Documents are written atomically and up-to-date ones are skipped, so a task that was killed or ran out',
    '# of time is resumed by submitting it again, alone:  sbatch --array=<i> <this file>',
    ...directives(spec, [
      `#SBATCH --job-name=${spec.jobName}`,
      `#SBATCH --array=0-${spec.tasks - 1}`,
      `#SBATCH --cpus-per-task=${spec.cpusPerTask}`,
      `#SBATCH --output=${logsDir}/analyze-%A_%a.out`,
    ]),
    ...runtime(spec),
    '',
    `echo "Emotion Lens ${spec.toolVersion}: task \${SLURM_ARRAY_TASK_ID} of ${spec.tasks} on $(hostname), $("$NODE" --version)"`,
    commandLine([
      '"$NODE"', '"$EMOTION_LENS"', 'analyze', ...spec.inputs, '--out', spec.outDir,
      '--shard', `"\${SLURM_ARRAY_TASK_ID}/${spec.tasks}"`, ...threads, ...spec.analyzeOptions,
    ]),
    '',
  ].join('\n');
}

/** The job run after the array (whatever became of its tasks): the dataset table over every document. */
export function tableScript(spec: SlurmJobSpec, logsDir: string, tableDir: string): string {
  return [
    ...header(spec, 'Emotion Lens: the dataset table of the array job\'s documents.'),
    '# Submitted with --dependency=afterany:<array job>: it runs once every task has ended, and tables what',
    '# was analysed (a failed input is missing from it and named in its task\'s log).',
    ...directives(spec, [
      `#SBATCH --job-name=${spec.jobName}-table`,
      '#SBATCH --cpus-per-task=1',
      `#SBATCH --output=${logsDir}/table-%j.out`,
    ]),
    ...runtime(spec),
    '',
    commandLine(['"$NODE"', '"$EMOTION_LENS"', 'export', spec.outDir, '--format', 'dataset', '--out', tableDir]),
    '',
  ].join('\n');
}
