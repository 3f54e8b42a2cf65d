/**
 * The review panel's header: the file and what its media is, the unsaved marker, the Learn and Export buttons,
 * a notice line, the analysis's own warnings and the adapted model's line.
 */
import type { Adaptation, AnnotationDocument } from '../shared/annotationDocument';
import type { NoticeLevel } from '../shared/reviewProtocol';
import { expectedEffectText } from '../shared/adaptationAdvice';
import { formatCount, formatDuration, formatSeconds, plural } from '../shared/textFormat';
import { el, replaceChildren } from './dom';
import { formatPercent } from './formatting';

/** How long an informational notice stays; warnings and errors stay until dismissed. */
const INFO_NOTICE_MS = 6000;

export class ReviewHeader {
  /** The header's parts, in page order. */
  readonly elements: HTMLElement[];
  private readonly title = el('h1', { class: 'title' });
  private readonly meta = el('span', { class: 'meta' });
  private readonly dirty = el('span', { class: 'dirty', hidden: true, title: 'Unsaved corrections: save with Ctrl+S' }, '● unsaved');
  private readonly learn: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly noticeText = el('span', { class: 'notice-text' });
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The document's own warnings (a truncated file, no face found, speech unavailable): shown while it is open. */
  private readonly warnings = el('ul', { class: 'doc-warnings', 'aria-label': 'Analysis warnings', hidden: true });
  /** What the adaptation learnt from and how it did, when the document has one. */
  private readonly adaptation = el('section', { class: 'adaptation-bar', 'aria-label': 'Adapted model', hidden: true });

  constructor(actions: { export(): void; learnFromCorrections(): void }) {
    const exportButton = el('vscode-button', { title: 'Export annotations (JSON, CSV, ELAN, WebVTT, Label Studio)' }, 'Export…');
    exportButton.addEventListener('click', () => actions.export());
    this.learn = el('vscode-button', { secondary: true, class: 'learn-button', title: 'Adapt the expression model to your corrections (this document or its folder); its suggestions rank between your labels and the model\'s' }, 'Learn from my corrections');
    this.learn.addEventListener('click', () => actions.learnFromCorrections());
    const dismiss = el('vscode-button', { secondary: true, 'aria-label': 'Dismiss message' }, 'Dismiss');
    this.notice = el('div', { class: 'notice', role: 'status', hidden: true }, this.noticeText, dismiss);
    dismiss.addEventListener('click', () => (this.notice.hidden = true));
    const titleRow = el('header', { class: 'title-row' }, this.title, this.dirty, this.meta, el('span', { class: 'spacer' }), this.learn, exportButton);
    this.elements = [titleRow, this.notice, this.warnings, this.adaptation];
  }

  /** The file, its media and warnings; an audio recording has no faces to learn from. */
  show(fileName: string, doc: AnnotationDocument): void {
    this.title.textContent = fileName;
    this.meta.textContent = mediaSummary(doc);
    replaceChildren(this.warnings, ...doc.warnings.map((warning) => el('li', {}, el('span', { class: 'warning-mark', 'aria-hidden': 'true' }, '⚠'), ' ', warning)));
    this.warnings.hidden = doc.warnings.length === 0;
    this.learn.hidden = doc.media.kind === 'audio';
  }

  setDirty(dirty: boolean): void {
    this.dirty.hidden = !dirty;
  }

  showNotice(level: NoticeLevel, text: string): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.notice.className = `notice notice-${level}`;
    this.noticeText.textContent = text;
    this.notice.hidden = false;
    if (level === 'info') this.noticeTimer = setTimeout(() => (this.notice.hidden = true), INFO_NOTICE_MS);
  }

  /** One line on the adaptation: what it learnt from, how it did in cross-validation, what is left to review. */
  showAdaptation(adaptation: Adaptation | undefined, pendingChanges: number): void {
    const bar = this.adaptation;
    bar.hidden = adaptation === undefined;
    if (!adaptation) {
      replaceChildren(bar);
      return;
    }
    const { trainedOn, crossValidation } = adaptation;
    replaceChildren(bar,
      el('span', { class: 'adapted-mark', 'aria-hidden': 'true' }, '◇'),
      el('strong', {}, 'Adapted model'),
      ` learnt from ${plural(trainedOn.corrections, 'correction')} in ${plural(trainedOn.documents, 'document')}: cross-validated accuracy model ${formatPercent(crossValidation.baseAccuracy)} → adapted ${formatPercent(crossValidation.adaptedAccuracy)}, ${expectedEffectText(crossValidation)}. `,
      el('span', { class: 'muted' }, `${plural(pendingChanges, 'face')} not yet reviewed ${pendingChanges === 1 ? 'gets' : 'get'} another label than the model's. `),
      el('span', { class: 'muted' }, 'A accepts the selected suggestions; Q opens the review queue.'),
    );
  }
}

/** "clip.mp4 · 1:05 · 1280×720 · sampled at 5 fps · 325 frames", or for a recording its length and voice. */
export function mediaSummary(doc: AnnotationDocument): string {
  const { media, provenance } = doc;
  const parts = [media.path];
  if (media.kind === 'audio') {
    parts.push(formatDuration(media.durationSec), 'audio recording');
    const analyzedTo = media.analysedUntilSec?.audio;
    if (analyzedTo !== undefined && media.durationSec - analyzedTo > 1) parts.push(`analysed to ${formatSeconds(analyzedTo)} only`);
    const segments = (doc.voice as AnnotationDocument['voice'] | undefined)?.segments.length ?? 0;
    if (segments > 0) parts.push(plural(segments, 'voice segment'));
    return parts.join(' · ');
  }
  if (media.kind === 'video') parts.push(formatDuration(media.durationSec));
  const analyzedTo = media.analysedUntilSec?.video;
  if (analyzedTo !== undefined && media.durationSec - analyzedTo > 1) parts.push(`analysed to ${formatSeconds(analyzedTo)} only`);
  parts.push(`${media.width}×${media.height}`);
  const fps = provenance.settings.sampleFps;
  if (media.kind === 'video') parts.push(fps > 0 ? `sampled at ${fps} fps` : 'every frame analysed');
  parts.push(`${formatCount(doc.frames.length)} frames`);
  return parts.join(' · ');
}
