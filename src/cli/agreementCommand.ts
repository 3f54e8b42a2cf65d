import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AgreementInput, AgreementReport, AgreementStats } from '../core/agreement/annotatorAgreement';
import { annotatorAgreement } from '../core/agreement/annotatorAgreement';
import { DOCUMENT_SUFFIX } from '../shared/annotationDocument';
import { readDocumentForExport } from '../core/export/exportFormats';
import { formatCount, formatClock } from '../shared/textFormat';
import { UsageError } from './analyzeOptions';
import type { CommandIo } from './analyzeCommand';

const DEFAULT_MAX_DIFFERENCES = 50;

export const AGREEMENT_USAGE = `Usage: emotion-lens agreement <document${DOCUMENT_SUFFIX}> <document${DOCUMENT_SUFFIX}>... [options]

How far annotators agree: each document is one annotator's review of the same media (same sha256). A face
(frame + track) is compared when every document has a human label (a correction) for it. Cohen's kappa for
two annotators, Fleiss' kappa for more, overall and per track, with the observed and expected agreement, the
confusion matrix (two) or the per-label shares p_j (more), and the faces where the labels differ. An annotator
is named by their corrections' "annotator" (the most common one), else by the document's file name.
See docs/agreement.md.

Options:
  --max-differences N   list at most N differing faces in the text (default ${DEFAULT_MAX_DIFFERENCES}; --json lists all)
  --json                one JSON object with the whole report
  -h, --help            show this help`;

interface AgreementArgs {
  documents: string[];
  json: boolean;
  maxDifferences: number;
}

export function parseAgreementArgs(args: string[]): AgreementArgs | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      'max-differences': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length < 2) throw new UsageError(`agreement compares at least two reviews of the same media: give two or more *${DOCUMENT_SUFFIX} documents (got ${positionals.length})`);
  const twice = positionals.find((p, i) => positionals.indexOf(p) !== i);
  if (twice !== undefined) throw new UsageError(`${twice} is given twice: give each annotator's document once`);
  const raw = values['max-differences'];
  const maxDifferences = raw === undefined ? DEFAULT_MAX_DIFFERENCES : Number(raw);
  if (!Number.isSafeInteger(maxDifferences) || maxDifferences < 0) throw new UsageError(`--max-differences wants a whole number ≥ 0, not '${raw}'`);
  return { documents: positionals, json: values.json ?? false, maxDifferences };
}

/**
 * `emotion-lens agreement`: reads every document first (a missing or invalid one, or other media, is one line
 * naming it and exit 1), then prints the report. Returns 0.
 */
export async function runAgreement(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseAgreementArgs(args);
  if (parsed === 'help') {
    io.out.write(AGREEMENT_USAGE + '\n');
    return 0;
  }
  const inputs: AgreementInput[] = [];
  for (const file of parsed.documents) inputs.push({ file, document: await readDocumentForExport(file) });
  const report = annotatorAgreement(inputs);
  io.out.write(parsed.json ? JSON.stringify(report) + '\n' : formatAgreementReport(report, parsed.maxDifferences));
  return 0;
}

/** The report as text: who, how many faces, kappa overall and per track, the matrix, the differing faces. */
export function formatAgreementReport(report: AgreementReport, maxDifferences = DEFAULT_MAX_DIFFERENCES): string {
  const lines: string[] = [];
  const names = report.annotators.map((a) => a.name);
  lines.push(`Agreement between ${report.annotators.length} annotators on ${path.basename(report.media.path)} (sha256 ${report.media.sha256.slice(0, 12)}…)`);
  lines.push(...table(
    ['', 'annotator', 'human labels', 'document'],
    report.annotators.map((a, i) => [letter(i), a.name, formatCount(a.humanLabels), a.file]),
    [false, false, true, false],
  ).map((l) => '  ' + l));
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  lines.push('');
  const { overall } = report;
  lines.push(`Faces compared: ${formatCount(overall.compared)} (labelled by every annotator); ${formatCount(overall.partial)} labelled by only some, not compared`);
  lines.push(`${methodName(report)}: ${kappaLine(overall)}`);
  lines.push('');
  lines.push('Per track:');
  lines.push(...table(
    ['track', 'compared', 'not compared', 'differing', 'kappa', 'observed', 'expected', ''],
    report.tracks.map((t) => [String(t.trackId), formatCount(t.compared), formatCount(t.partial), formatCount(t.differing), fixed(t.kappa.kappa), fixed(t.kappa.observed), fixed(t.kappa.expected), t.kappa.reason ?? '']),
    [true, true, true, true, true, true, true, false],
  ).map((l) => '  ' + l));
  lines.push('');
  if (overall.confusion) {
    lines.push(`Confusion matrix (rows ${names[0]}, columns ${names[1]}):`);
    const columnTotals = report.categories.map((_, j) => overall.confusion!.reduce((s, row) => s + row[j]!, 0));
    lines.push(...table(
      ['', ...report.categories, 'total'],
      [
        ...report.categories.map((c, i) => [c, ...overall.confusion![i]!.map(String), String(overall.confusion![i]!.reduce((s, n) => s + n, 0))]),
        ['total', ...columnTotals.map(String), String(overall.compared)],
      ],
      [false, ...report.categories.map(() => true), true],
    ).map((l) => '  ' + l));
  } else if (overall.fleiss) {
    lines.push(`Per label (Fleiss' p_j: the share of all ${formatCount(overall.compared * names.length)} ratings of the compared faces):`);
    const ratings = report.categories.map((c) => report.faces.reduce((s, f) => s + f.labels.filter((l) => l === c).length, 0));
    lines.push(...table(
      ['label', 'ratings', 'p_j'],
      report.categories.map((c, j) => [c, formatCount(ratings[j]!), fixed(overall.fleiss!.categoryShares[j] ?? 0)]),
      [false, true, true],
    ).map((l) => '  ' + l));
    lines.push(`  P̄ (mean of the per-face agreement P_i) = ${fixed(overall.kappa.observed)}, P̄e = Σ p_j² = ${fixed(overall.kappa.expected)}`);
  }
  lines.push('');
  const shown = report.differences.slice(0, maxDifferences);
  const more = report.differences.length - shown.length;
  lines.push(`Differences: ${formatCount(report.differences.length)} of ${formatCount(overall.compared)} compared faces${more > 0 ? ` (first ${formatCount(shown.length)}; --max-differences N for more)` : ''}`);
  if (shown.length > 0) {
    const fleiss = report.method === 'fleiss';
    lines.push(...table(
      ['time', 'frame', 'track', ...names, 'model', ...(fleiss ? ['P_i'] : [])],
      shown.map((d) => [formatClock(d.timeSec), String(d.frameIndex), String(d.trackId), ...d.labels, d.modelLabel, ...(fleiss ? [fixed(d.agreement)] : [])]),
      [true, true, true, ...names.map(() => false), false, ...(fleiss ? [true] : [])],
    ).map((l) => '  ' + l));
  }
  return lines.join('\n') + '\n';
}

function methodName(report: AgreementReport): string {
  return report.method === 'cohen' ? "Cohen's kappa" : `Fleiss' kappa (${report.annotators.length} annotators)`;
}

function kappaLine(stats: AgreementStats): string {
  const { kappa, observed, expected, reason } = stats.kappa;
  const agreements = `observed agreement ${fixed(observed)}, expected by chance ${fixed(expected)}; ${formatCount(stats.compared)} faces`;
  return kappa === null ? `undefined: ${reason} (${agreements})` : `${fixed(kappa)} (${agreements})`;
}


function fixed(value: number | null): string {
  return value === null ? '–' : value.toFixed(3);
}

function letter(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : String(i + 1);
}

/** Rows aligned under a header: numbers right-aligned, text left-aligned; trailing blanks trimmed. */
function table(header: string[], rows: string[][], rightAligned: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
