/**
 * WebVTT subtitles of the transcript: one cue per utterance (`HH:MM:SS.mmm` times, ids `utterance-<id>`), each
 * preceded by a NOTE block with its VADER sentiment. Without a transcript the file is still valid WebVTT, with
 * a NOTE saying why there are no cues.
 */
import type { AnnotationDocument, Utterance } from '../../shared/annotationDocument';
import { speakerName } from '../../shared/speakerNames';
import { formatNumber } from './finalLabels';

export function webVtt(doc: AnnotationDocument): string {
  const { transcript } = doc;
  const blocks = [`WEBVTT - ${safe(`Emotion Lens transcript of ${doc.media.path.split('/').pop() ?? doc.media.path}`)}`];
  if (transcript.status !== 'ok' || transcript.utterances.length === 0) {
    const why = transcript.status === 'ok' ? 'no speech was recognised' : `transcript ${transcript.status}${transcript.reason ? `: ${transcript.reason}` : ''}`;
    blocks.push(`NOTE\nNo cues: ${safe(why)}`);
    return blocks.join('\n\n') + '\n';
  }
  blocks.push(`NOTE\nOne cue per utterance (${safe(transcript.engine ?? 'speech')}${transcript.model ? ` model ${safe(transcript.model.id)}` : ''}); the NOTE before each cue gives its VADER sentiment.`);
  let lastStartMs = 0;
  for (const u of transcript.utterances) {
    // WebVTT wants cues ordered by start time, each ending after it starts.
    const startMs = Math.max(lastStartMs, Math.round(u.startSec * 1000));
    const endMs = Math.max(startMs + 1, Math.round(u.endSec * 1000));
    lastStartMs = startMs;
    blocks.push(`NOTE\n${sentimentNote(u)}`);
    blocks.push(`utterance-${u.id}\n${vttTimestamp(startMs)} --> ${vttTimestamp(endMs)}\n${voiceTag(u)}${cueText(u.text)}`);
  }
  return blocks.join('\n\n') + '\n';
}

/** WebVTT's voice span naming who speaks (its annotation ends at the tag's `>`, so it may hold no `>`); empty when unknown. */
function voiceTag(u: Utterance): string {
  const name = speakerName(u.speaker);
  return name ? `<v ${safe(name).replace(/[<>&]/g, '')}>` : '';
}

function sentimentNote(u: Utterance): string {
  const s = u.sentiment;
  const speaker = u.speaker && u.speaker.kind !== 'unknown' ? `; speaker ${speakerName(u.speaker)}, confidence ${formatNumber(u.speaker.confidence, 3)}` : '';
  return `sentiment ${s.label}, compound ${formatNumber(s.compound, 4)} (pos ${formatNumber(s.pos, 3)}, neu ${formatNumber(s.neu, 3)}, neg ${formatNumber(s.neg, 3)})${speaker}`;
}

/** `HH:MM:SS.mmm` (hours keep growing past 99). */
export function vttTimestamp(totalMs: number): string {
  const ms = Math.max(0, Math.round(totalMs));
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(ms % 1000, 3)}`;
}

/** Cue payload: one line, markup characters escaped, never a "-->" (which would start a new timing). */
function cueText(value: string): string {
  const line = safe(value) || '…';
  return line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Header, note and id text: one line, without the "-->" that WebVTT reserves for timings. */
function safe(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/-->/g, '→').trim();
}
