/**
 * Renders a compare snapshot: who compared, the kappa figures, per track a strip per annotator (their human
 * labels) under the model's strip with the disagreements marked, the confusion matrix (two annotators) or the
 * per-label shares (more), and the list of differing faces, each label a link to that annotator's document.
 */
import type { CompareSnapshot, CompareTrack, CompareWebviewMessage, DifferenceMark, StripRun } from '../../shared/compareProtocol';
import { el, replaceChildren } from '../dom';
import { labelColorVariables } from '../labelColors';
import { formatClock } from '../../shared/textFormat';
import { formatFigure, kappaSummary, kappaWords, stripBox } from './compareLayout';

export class CompareView {
  constructor(
    private readonly root: HTMLElement,
    private readonly post: (message: CompareWebviewMessage) => void,
  ) {}

  render(snapshot: CompareSnapshot): void {
    const colours = new Map(snapshot.categories.map((c, i) => [c, labelColorVariables(snapshot.categories)[i]!]));
    replaceChildren(
      this.root,
      this.header(snapshot),
      this.legend(snapshot, colours),
      el('section', { class: 'tracks', 'aria-label': 'Timelines per track' }, ...snapshot.tracks.map((t) => this.track(snapshot, t, colours))),
      snapshot.confusion ? this.confusion(snapshot, snapshot.confusion) : this.shares(snapshot),
      this.differences(snapshot),
    );
  }

  private header(s: CompareSnapshot): HTMLElement {
    const method = s.method === 'cohen' ? "Cohen's kappa" : `Fleiss' kappa (${s.annotators.length} annotators)`;
    const words = kappaWords(s.overall.kappa);
    return el(
      'header',
      {},
      el('h1', {}, `Compare reviews: ${s.mediaName}`),
      el('ul', { class: 'annotators' }, ...s.annotators.map((a, i) => el('li', {}, this.openButton(i, `${a.name}`), el('span', { class: 'muted' }, ` ${a.fileName}, ${a.humanLabels} human label(s)`)))),
      el('p', { class: 'overall', 'data-kappa': s.overall.kappa === null ? 'null' : s.overall.kappa.toFixed(3) }, el('strong', {}, `${method}: `), kappaSummary(s.overall), words && el('span', { class: 'muted' }, ` — ${words}`)),
      el('p', { class: 'muted' }, `${s.compared} face(s) compared (labelled by every annotator); ${s.partial} labelled by only some, not compared; ${s.totalDifferences} differ.`),
      ...s.warnings.map((w) => el('p', { class: 'warning' }, `Warning: ${w}`)),
    );
  }

  private legend(s: CompareSnapshot, colours: Map<string, string>): HTMLElement {
    return el(
      'p',
      { class: 'legend', 'aria-label': 'Label colours' },
      ...s.categories.map((c) => {
        const swatch = el('span', { class: 'swatch' });
        swatch.style.backgroundColor = `var(${colours.get(c)})`;
        return el('span', { class: 'legend-item' }, swatch, c);
      }),
      el('span', { class: 'legend-item' }, el('span', { class: 'swatch difference' }), 'labels differ'),
    );
  }

  private track(s: CompareSnapshot, t: CompareTrack, colours: Map<string, string>): HTMLElement {
    const rows = [
      this.stripRow('model', t.model, s.durationSec, colours, 'model'),
      ...t.annotators.map((runs, i) => this.stripRow(s.annotators[i]!.name, runs, s.durationSec, colours, 'annotator')),
      this.differenceRow(t.differences, s.durationSec),
    ];
    return el(
      'section',
      { class: 'track', 'data-track': t.trackId },
      el('h2', {}, `Track ${t.trackId}`, el('span', { class: 'muted' }, ` — kappa ${kappaSummary(t.figures)}; ${t.compared} compared, ${t.partial} not compared, ${t.differing} differ`)),
      el('div', { class: 'strips' }, ...rows),
    );
  }

  private stripRow(name: string, runs: readonly StripRun[], durationSec: number, colours: Map<string, string>, kind: 'model' | 'annotator'): HTMLElement {
    const strip = el('div', { class: `strip ${kind}`, role: 'img', 'aria-label': `${name}: ${runs.length} labelled stretch(es)` });
    for (const run of runs) {
      const box = stripBox(run.startSec, run.endSec, durationSec);
      const part = el('span', { class: 'run', title: `${name}: ${run.label}, ${formatClock(run.startSec)}–${formatClock(run.endSec)}` });
      part.style.left = `${box.leftPercent}%`;
      part.style.width = `${box.widthPercent}%`;
      part.style.backgroundColor = `var(${colours.get(run.label) ?? '--vscode-charts-lines'})`;
      strip.append(part);
    }
    return el('div', { class: 'strip-row' }, el('span', { class: 'strip-name' }, name), strip);
  }

  private differenceRow(marks: readonly DifferenceMark[], durationSec: number): HTMLElement {
    const strip = el('div', { class: 'strip differences', role: 'img', 'aria-label': `${marks.length} face(s) where the labels differ` });
    for (const mark of marks) {
      const box = stripBox(mark.startSec, mark.endSec, durationSec);
      const part = el('button', { class: 'difference-mark', type: 'button', title: `${formatClock(mark.startSec)}: ${mark.labels.join(' / ')} (model ${mark.modelLabel})` });
      part.style.left = `${box.leftPercent}%`;
      part.style.width = `${box.widthPercent}%`;
      part.addEventListener('click', () => this.post({ type: 'openDocument', annotator: 0, face: { frameIndex: mark.frameIndex, trackId: mark.trackId } }));
      strip.append(part);
    }
    return el('div', { class: 'strip-row' }, el('span', { class: 'strip-name' }, 'differ'), strip);
  }

  private confusion(s: CompareSnapshot, matrix: readonly (readonly number[])[]): HTMLElement {
    const [a, b] = [s.annotators[0]!.name, s.annotators[1]!.name];
    const columnTotals = s.categories.map((_, j) => matrix.reduce((sum, row) => sum + row[j]!, 0));
    return el(
      'section',
      { class: 'matrix' },
      el('h2', {}, `Confusion matrix: rows ${a}, columns ${b}`),
      el(
        'table',
        { class: 'confusion' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, `${a} \\ ${b}`), ...s.categories.map((c) => el('th', { scope: 'col' }, c)), el('th', { scope: 'col' }, 'total'))),
        el(
          'tbody',
          {},
          ...s.categories.map((c, i) =>
            el('tr', {}, el('th', { scope: 'row' }, c), ...matrix[i]!.map((n, j) => el('td', { class: n > 0 ? (i === j ? 'agree' : 'disagree') : 'zero' }, String(n))), el('td', {}, String(matrix[i]!.reduce((x, y) => x + y, 0)))),
          ),
          el('tr', {}, el('th', { scope: 'row' }, 'total'), ...columnTotals.map((n) => el('td', {}, String(n))), el('td', {}, String(s.compared))),
        ),
      ),
    );
  }

  private shares(s: CompareSnapshot): HTMLElement {
    return el(
      'section',
      { class: 'matrix' },
      el('h2', {}, "Per label: Fleiss' p_j (share of all ratings of the compared faces)"),
      el(
        'table',
        { class: 'shares' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'label'), el('th', { scope: 'col' }, 'p_j'))),
        el('tbody', {}, ...s.categories.map((c, j) => el('tr', {}, el('th', { scope: 'row' }, c), el('td', {}, formatFigure(s.categoryShares?.[j] ?? 0))))),
      ),
    );
  }

  private differences(s: CompareSnapshot): HTMLElement {
    const more = s.totalDifferences - s.differences.length;
    return el(
      'section',
      { class: 'difference-list' },
      el('h2', {}, `Faces where the labels differ (${s.totalDifferences})`),
      s.differences.length === 0
        ? el('p', { class: 'muted' }, 'Every compared face has the same label from every annotator.')
        : el(
            'table',
            {},
            el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'time'), el('th', { scope: 'col' }, 'track'), ...s.annotators.map((a) => el('th', { scope: 'col' }, a.name)), el('th', { scope: 'col' }, 'model'))),
            el(
              'tbody',
              {},
              ...s.differences.map((d) =>
                el(
                  'tr',
                  { class: 'difference', 'data-frame': d.frameIndex, 'data-track': d.trackId },
                  el('td', {}, formatClock(d.startSec)),
                  el('td', {}, String(d.trackId)),
                  ...d.labels.map((label, i) => el('td', {}, this.openButton(i, label, { frameIndex: d.frameIndex, trackId: d.trackId }))),
                  el('td', { class: 'muted' }, d.modelLabel),
                ),
              ),
            ),
          ),
      more > 0 && el('p', { class: 'muted' }, `…and ${more} more (emotion-lens agreement --json lists them all).`),
    );
  }

  /** A link-like button that opens annotator `index`'s document in the review editor. */
  private openButton(index: number, text: string, face?: { frameIndex: number; trackId: number }): HTMLElement {
    const button = el('button', { class: 'open-document', type: 'button', title: 'Open this review in the review editor' }, text);
    button.addEventListener('click', () => this.post({ type: 'openDocument', annotator: index, ...(face && { face }) }));
    return button;
  }
}
