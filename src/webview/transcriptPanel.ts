/**
 * The transcript: utterances with their times, a sentiment colour and a badge for how lively the voice sounds
 * (pitch and the rest in its tooltip); the word being spoken is highlighted
 * during playback; clicking a word (or an utterance's time) seeks there, and clicking who speaks (or Enter on it)
 * shows that person's face. Without a transcript it says why, and
 * offers the Vosk model folder when that is what is missing.
 */
import type { Transcript, VoiceBaseline } from '../shared/annotationDocument';
import { el, replaceChildren } from './dom';
import { formatClock } from './formatting';
import { offersVoskModelChoice, transcriptStatusText, wordIndexAt } from './transcriptModel';
import { voiceBadge } from './voiceModel';
import { speakerName } from '../shared/speakerNames';
import type { Utterance } from '../shared/annotationDocument';

export interface TranscriptCallbacks {
  seek(timeSec: number): void;
  chooseVoskModel(): void;
  /** Selects the speaker's face when the utterance starts. */
  showSpeaker(trackId: number, timeSec: number): void;
}

export class TranscriptPanel {
  private transcript: Transcript | undefined;
  private wordElements: HTMLElement[] = [];
  private utteranceOfWord: Int32Array = new Int32Array(0);
  private utteranceElements: HTMLElement[] = [];
  private current = -1;

  constructor(
    private readonly container: HTMLElement,
    private readonly callbacks: TranscriptCallbacks,
  ) {
    container.addEventListener('click', (event) => {
      const speaker = (event.target as HTMLElement).closest<HTMLElement>('[data-speaker]');
      if (speaker?.dataset.speaker) return this.callbacks.showSpeaker(Number(speaker.dataset.speaker), Number(speaker.dataset.at));
      const target = (event.target as HTMLElement).closest<HTMLElement>('[data-seek]');
      if (target?.dataset.seek) this.callbacks.seek(Number(target.dataset.seek));
    });
  }

  /** `baseline`: what the voice's arousal is measured against (its reason is the badge's, when there is none). */
  show(transcript: Transcript, baseline: VoiceBaseline): void {
    this.transcript = transcript;
    this.current = -1;
    this.wordElements = [];
    this.utteranceElements = [];
    const status = el('p', { class: 'transcript-status' }, transcriptStatusText(transcript));
    if (transcript.status !== 'ok' || transcript.utterances.length === 0) {
      const choose = offersVoskModelChoice(transcript) ? el('vscode-button', {}, 'Choose Vosk Model Folder…') : undefined;
      choose?.addEventListener('click', () => this.callbacks.chooseVoskModel());
      const after = choose ? el('p', { class: 'hint' }, 'After choosing a model, analyse the video again to get the transcript.') : undefined;
      replaceChildren(this.container, el('div', { class: 'transcript-empty', role: 'note' }, status, choose, after));
      return;
    }
    const { words, utterances } = transcript;
    this.utteranceOfWord = new Int32Array(words.length).fill(-1);
    const list = el('ol', { class: 'utterances' });
    utterances.forEach((u, ui) => {
      const spans: (HTMLElement | string)[] = [];
      for (let w = u.wordStart; w < u.wordEnd && w < words.length; w++) {
        const word = words[w]!;
        const span = el('span', { class: 'word', 'data-seek': word.startSec }, word.text);
        this.wordElements[w] = span;
        this.utteranceOfWord[w] = ui;
        spans.push(span, ' ');
      }
      const time = el('button', { class: 'seek', type: 'button', 'data-seek': u.startSec, 'aria-label': `Play from ${formatClock(u.startSec)}` }, formatClock(u.startSec));
      const tone = el('span', { class: 'tone', title: `Sentiment ${u.sentiment.label} (${u.sentiment.compound.toFixed(2)})` }, u.sentiment.label);
      const badge = voiceBadge(u.voice, baseline);
      const voice = badge && el('span', { class: `voice-badge voice-${badge.tone}`, title: badge.title }, badge.text);
      const item = el('li', { class: `utterance sentiment-${u.sentiment.label}` }, time, speakerElement(u), tone, voice, el('span', { class: 'words' }, ...(spans.length > 0 ? spans : [u.text])));
      this.utteranceElements.push(item);
      list.append(item);
    });
    replaceChildren(this.container, status, list);
  }

  /** Highlights the word at `timeSec`; while playing, keeps its utterance in view. */
  setTime(timeSec: number, follow: boolean): void {
    const words = this.transcript?.words;
    if (!words || this.wordElements.length === 0) return;
    const index = wordIndexAt(words, timeSec);
    if (index === this.current) return;
    this.wordElements[this.current]?.classList.remove('current');
    this.current = index;
    const span = this.wordElements[index];
    if (!span) return;
    span.classList.add('current');
    const utterance = this.utteranceElements[this.utteranceOfWord[index] ?? -1];
    if (follow && utterance) utterance.scrollIntoView({ block: 'nearest' });
  }
}

/** Who says the utterance: a button that shows the person's face, "Off screen", or nothing when unknown. */
function speakerElement(u: Utterance): HTMLElement | undefined {
  const name = speakerName(u.speaker);
  if (!name || !u.speaker || u.speaker.kind === 'unknown') return undefined;
  const sure = `confidence ${u.speaker.confidence.toFixed(2)}`;
  if (u.speaker.kind === 'offscreen') return el('span', { class: 'speaker offscreen', title: `Nobody visible speaks this (${sure})` }, name);
  return el('button', { class: 'speaker', type: 'button', 'data-speaker': u.speaker.trackId, 'data-at': u.startSec, title: `${name} says this (${sure}): show their face` }, name);
}
