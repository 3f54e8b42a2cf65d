/**
 * `emotion-lens adapt`: learns from the human corrections of a set of documents and writes the adapted model's
 * suggestions into each of them (atomically), or says why it will not. The corrections are never changed.
 */
import { parseArgs } from 'node:util';
import type { AnnotationDocument } from '../shared/annotationDocument';
import { readAnnotationDocument, writeAnnotationDocument } from '../core/document/annotationFile';
import { errorMessage } from '../core/errors';
import { AdaptationInputError, CorrectionSet, learnAdaptation, MIN_CORRECTIONS } from '../core/adaptation/learnAdaptation';
import type { AdaptationFit } from '../core/adaptation/learnAdaptation';
import { withAdaptation } from '../core/adaptation/documentAdaptation';
import { UsageError } from './analyzeOptions';
import type { CommandIo } from './analyzeCommand';
import { expandDocuments } from './documentInputs';
import { formatShare } from '../shared/textFormat';
import { expectedEffectText } from '../shared/adaptationAdvice';

export const ADAPT_USAGE = `Usage: emotion-lens adapt <documents or folders>... [options]

Learns from every human correction in the documents (folders are searched for *.emotion.json) how the
expression model should be adapted to this data: a recalibration of its probabilities, or a stacked model
that learns which of the ensemble's models (and which facial movements) to trust, pulled toward the model as
it is so a handful of corrections cannot wreck it. It is cross-validated on the corrections
themselves (faces of one person in one video stay in one fold) and applied only when it is clearly better
than the model there. Then every document gets the adapted labels as suggestions: exports and the review
panel rank them human > adapted > model. Corrections are never changed. Needs at least ${MIN_CORRECTIONS}
corrections of at least two labels; confirm right labels too (press the model's own label in the panel), or
the adaptation only ever sees the model's mistakes.

Options:
  --dry-run    print what it learnt and what would change; write nothing
  --apply-anyway  write the adaptation even when it is not clearly better in cross-validation (for evaluation)
  --remove     take the adaptation and its suggestions out of the documents
  --json       print one JSON object instead of text
  -h, --help   show this help`;

interface AdaptArgs {
  inputs: string[];
  dryRun: boolean;
  remove: boolean;
  json: boolean;
  applyAnyway: boolean;
}

export function parseAdaptArgs(args: string[]): AdaptArgs | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      'dry-run': { type: 'boolean' },
      remove: { type: 'boolean' },
      json: { type: 'boolean' },
      'apply-anyway': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError('adapt needs at least one annotation document or folder');
  return { inputs: positionals, dryRun: values['dry-run'] ?? false, remove: values.remove ?? false, json: values.json ?? false, applyAnyway: values['apply-anyway'] ?? false };
}

/**
 * Exit code: 0 done (adapted, or refused with the reason), 1 a document could not be read or written, 130
 * cancelled. Two passes over the documents, one in memory at a time (a dataset of hour-long videos does not fit
 * at once): the first gathers the corrections and fits, the second reads each again and writes its suggestions.
 */
export async function runAdapt(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseAdaptArgs(args);
  if (parsed === 'help') {
    io.out.write(ADAPT_USAGE + '\n');
    return 0;
  }
  const { documents: found, failures } = await expandDocuments(parsed.inputs);
  for (const failure of failures) io.err.write(`✗ ${failure}\n`);
  const read = async (path: string): Promise<AnnotationDocument | undefined> => {
    try {
      return await readAnnotationDocument(path);
    } catch (error) {
      const message = errorMessage(error);
      failures.push(message.includes(path) ? message : `${path}: ${message}`);
      io.err.write(`✗ ${failures[failures.length - 1]}\n`);
      return undefined;
    }
  };
  if (parsed.remove) return remove(found.map((d) => d.path), read, parsed, io, failures);

  const corrections = new CorrectionSet();
  const readable: string[] = [];
  for (const { path } of found) {
    const document = await read(path);
    if (!document) continue;
    try {
      corrections.add(path, document);
    } catch (error) {
      if (!(error instanceof AdaptationInputError)) throw error;
      io.err.write(`✗ ${error.message}\n`);
      return 1;
    }
    readable.push(path);
  }
  if (readable.length === 0) return 1;
  const fit = learnAdaptation(corrections.labels, corrections.faces, corrections.documents);

  const now = new Date();
  const changes: { document: string; changedLabels: number; faces: number }[] = [];
  const written: string[] = [];
  // --apply-anyway overrides only the safeguard's verdict (a fit was cross-validated), never too few corrections.
  const apply = !fit.refusal || (parsed.applyAnyway && fit.folds > 0);
  for (const path of apply ? readable : []) {
    if (io.signal.aborted) {
      io.err.write('cancelled\n');
      return 130;
    }
    const document = await read(path);
    if (!document) continue;
    const adapted = withAdaptation(document, fit, now);
    changes.push({ document: path, changedLabels: adapted.changedLabels, faces: adapted.document.adaptation?.suggestions.length ?? 0 });
    if (parsed.dryRun) continue;
    try {
      await writeAnnotationDocument(path, adapted.document);
      written.push(path);
    } catch (error) {
      failures.push(`${path}: ${errorMessage(error)}`);
      io.err.write(`✗ ${path}: ${errorMessage(error)}\n`);
    }
  }
  if (parsed.json) {
    io.out.write(JSON.stringify({ ...summaryOf(fit), applied: apply && !parsed.dryRun, dryRun: parsed.dryRun, documents: changes, written, failures }) + '\n');
  } else {
    io.out.write(describeFit(fit));
    for (const change of changes) {
      const verb = parsed.dryRun ? 'would change' : 'changed';
      io.out.write(`${parsed.dryRun ? '·' : '✓'} ${change.document}: ${change.changedLabels} of ${change.faces} face label(s) ${verb}\n`);
    }
    const total = changes.reduce((sum, c) => sum + c.changedLabels, 0);
    if (apply) io.out.write(parsed.dryRun ? `\ndry run: ${total} label(s) would change in ${changes.length} document(s); nothing written\n` : `\n${written.length} document(s) adapted, ${total} label(s) changed\n`);
  }
  return failures.length > 0 ? 1 : 0;
}

function summaryOf(fit: AdaptationFit): Record<string, unknown> {
  const { parameters, ...rest } = fit;
  return { ...rest, weights: parameters.weights, bias: parameters.bias };
}

function describeFit(fit: AdaptationFit): string {
  const labels = Object.entries(fit.labelCounts).map(([label, n]) => `${label} ${n}`).join(', ');
  const lines = [`corrections: ${fit.corrections} from ${fit.documents} document(s) (${labels || 'none'}); ${fit.confirmations} confirm the model's label`];
  if (fit.folds > 0) {
    lines.push(`cross-validated accuracy on the corrections (${fit.folds} folds): model ${formatShare(fit.baseAccuracy)}, adapted ${formatShare(fit.adaptedAccuracy)} (form: ${fit.form})`);
    lines.push(`expected effect: ${expectedEffectText(fit)}`);
  }
  if (fit.corrections >= MIN_CORRECTIONS && fit.confirmations < 0.2 * fit.corrections) {
    lines.push(`warning: only ${fit.confirmations} of ${fit.corrections} corrections confirm the model's label; if only its mistakes were corrected the adaptation over-corrects: confirm right labels too`);
  }
  if (fit.refusal) lines.push(`not adapted: ${fit.refusal}; the documents are unchanged`);
  return lines.join('\n') + '\n';
}

async function remove(paths: readonly string[], read: (path: string) => Promise<AnnotationDocument | undefined>, args: AdaptArgs, io: CommandIo, failures: string[]): Promise<number> {
  let readable = 0;
  for (const path of paths) {
    const document = await read(path);
    if (!document) continue;
    readable++;
    if (!document.adaptation) {
      io.out.write(`· ${path}: no adaptation\n`);
      continue;
    }
    if (args.dryRun) {
      io.out.write(`· ${path}: its adaptation would be removed\n`);
      continue;
    }
    const { adaptation: _removed, ...rest } = document;
    try {
      await writeAnnotationDocument(path, rest);
      io.out.write(`✓ ${path}: adaptation removed\n`);
    } catch (error) {
      failures.push(`${path}: ${errorMessage(error)}`);
      io.err.write(`✗ ${path}: ${errorMessage(error)}\n`);
    }
  }
  return readable === 0 || failures.length > 0 ? 1 : 0;
}
