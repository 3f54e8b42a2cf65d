/** The track summary strip (each person: dominant expression, reviewed share) and the keyboard legend. */
import { el, replaceChildren } from './dom';
import { formatCount, plural } from '../shared/textFormat';
import { formatPercent } from './formatting';
import { keyLegend } from './keyboardModel';
import { labelColorVariables } from './labelColors';
import type { TrackSummaryRow } from './trackSummaryModel';

export function renderSummary(container: HTMLElement, rows: readonly TrackSummaryRow[], labels: readonly string[], selectTrack: (trackId: number) => void, emptyText = 'No faces were found.', adapted = false): void {
  const colors = labelColorVariables(labels);
  if (rows.length === 0) {
    replaceChildren(container, el('p', { class: 'empty-note' }, emptyText));
    return;
  }
  replaceChildren(container, ...rows.map((r) => {
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = `var(${colors[labels.indexOf(r.dominantLabel)] ?? '--vscode-foreground'})`;
    const meter = el('span', { class: 'meter', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(r.reviewedShare * 100), 'aria-label': `Person ${r.trackId} reviewed` },
      el('span', { class: 'meter-fill' }));
    (meter.firstElementChild as HTMLElement).style.width = `${Math.max(r.reviewed > 0 ? 2 : 0, Math.round(r.reviewedShare * 100))}%`;
    const card = el('button', { class: 'track-card', type: 'button', title: `Show only person ${r.trackId} in the table` },
      el('span', { class: 'track-name' }, `Person ${r.trackId}`),
      el('span', { class: 'track-dominant' }, swatch, r.dominantLabel || '—', el('span', { class: 'muted' }, ` ${formatPercent(r.dominantShare)}`)),
      el('span', { class: 'track-reviewed' }, meter, el('span', { class: 'muted' }, `${formatCount(r.reviewed)} / ${formatCount(r.frames)} reviewed (${formatPercent(r.reviewedShare)})`)),
      adapted ? el('span', { class: 'track-adapted', title: 'Faces without a human label whose adapted label differs from the model\'s: the review queue (Q) starts with them' }, el('span', { class: 'adapted-mark', 'aria-hidden': 'true' }, '◇'), ` ${plural(r.adaptedChanges, 'adapted change')} to review`) : undefined,
    );
    card.addEventListener('click', () => selectTrack(r.trackId));
    return card;
  }));
}

export function renderLegend(container: HTMLElement, labels: readonly string[], faces = true, landmarks = false): void {
  const colors = labelColorVariables(labels);
  replaceChildren(container, el('h2', { class: 'legend-title' }, 'Keys'), el('dl', { class: 'legend' }, ...keyLegend(labels, faces, landmarks).flatMap((entry, i) => {
    const swatch = faces && i < labels.length ? el('span', { class: 'swatch', 'aria-hidden': 'true' }) : undefined;
    if (swatch) swatch.style.backgroundColor = `var(${colors[i]})`;
    return [el('dt', {}, el('kbd', {}, entry.keys)), el('dd', {}, swatch, entry.what)];
  })));
}
