/**
 * `emotion-lens`: the command-line face of the analysis engine, for batch work on whole datasets.
 */
import { EmotionLensError, errorMessage } from '../core/errors';
import { TOOL } from '../core/engine/toolInfo';
import { ANALYZE_USAGE, parseAnalyzeArgs, UsageError } from './analyzeOptions';
import { runAnalyze } from './analyzeCommand';
import { runAgreement } from './agreementCommand';
import { runExport } from './exportCommand';
import { runAdapt } from './adaptCommand';
import { MODELS_USAGE, runModels } from './modelsCommand';
import { packagedTargetProblem } from './packagedTarget';
import { runSlurm } from './slurmCommand';

const USAGE = `Emotion Lens ${TOOL.version}: faces, expressions, speech and sentiment on one timeline.

Usage:
  emotion-lens analyze <files or folders>... [options]   analyse videos and images
  emotion-lens export <documents>... [--format F]        export labels: JSON, CSV, ELAN, WebVTT, Label Studio,
                                                         or one dataset table (CSV + Parquet)
  emotion-lens adapt <documents>... [--dry-run]          learn from the corrections: suggest adapted labels
  emotion-lens agreement <documents>...                  how far annotators agree (Cohen's / Fleiss' kappa)
  emotion-lens slurm <inputs>... --out DIR --tasks N     a SLURM array job over a dataset, then its table
  emotion-lens models [--verify] [--download]            list, verify and fetch models
  emotion-lens --version

Run "emotion-lens <command> --help" for the options of a command.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const wrongPlatform = packagedTargetProblem(__dirname);
  if (wrongPlatform) throw new EmotionLensError('internal', wrongPlatform);
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    // First Ctrl-C stops cleanly (no partial file); a second one leaves at once.
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping… (press Ctrl-C again to quit at once)\n');
    controller.abort();
  });
  process.on('SIGTERM', () => controller.abort());
  const io = {
    out: { isTTY: Boolean(process.stdout.isTTY), columns: process.stdout.columns, write: (t: string) => void process.stdout.write(t) },
    err: { write: (t: string) => void process.stderr.write(t) },
    signal: controller.signal,
  };
  switch (command) {
    case 'analyze': {
      const options = parseAnalyzeArgs(rest, process.env);
      if (options === 'help') return print(ANALYZE_USAGE);
      return runAnalyze(options, io);
    }
    case 'export':
      return runExport(rest, io);
    case 'adapt':
      return runAdapt(rest, io);
    case 'agreement':
      return runAgreement(rest, io);
    case 'slurm':
      return runSlurm(rest, process.env, io, __filename);
    case 'models':
      if (rest.includes('--help') || rest.includes('-h')) return print(MODELS_USAGE);
      return runModels(rest, process.env, io);
    case '--version':
    case '-v':
      return print(TOOL.version);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return print(USAGE);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function print(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`emotion-lens: ${error.message}\nRun "emotion-lens --help" for usage.\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`emotion-lens: ${error instanceof EmotionLensError ? error.message : errorMessage(error)}\n`);
    process.exitCode = 1;
  },
);
