// Made-up conversations for telling who speaks: the Obama and Reagan face clips side by side (ffmpeg hstack), each
// audible only in its own turns (the other's sound muted there; both faces keep moving their lips throughout),
// the silent Pexels face with the jfk speech as a voice-over, and single faces with their own voice or the other's
// (the dev clips the mouth measure was chosen on). Used by the integration test and `npm run eval`.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AnnotationDocument, Speaker } from '../../src/shared/annotationDocument';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { runCli } from './voiceArousal';

const run = promisify(execFile);

export type Side = 'left' | 'right';

/** A turn: who speaks (the face on that side, the only face of a single-face clip, or nobody visible) from when to when, seconds. */
export interface Turn {
  startSec: number;
  endSec: number;
  speaker: Side | 'face' | 'offscreen';
}

export interface Conversation {
  name: string;
  /** The clip shown on the left and on the right (files under the media folder's video/). */
  left: string;
  right: string;
  /** Gaps of about 0.8 s between turns: both sounds muted, as people pause before they answer. */
  turns: Turn[];
  durationSec: number;
}

const OBAMA = 'Obama_clip1_face_speech.mp4';
const REAGAN = 'reagan_clip1_face_speech.mp4';

export const CONVERSATIONS: readonly Conversation[] = [
  {
    name: 'obama-left',
    left: OBAMA,
    right: REAGAN,
    durationSec: 20,
    turns: [turn(0, 4.5, 'left'), turn(5.3, 10, 'right'), turn(10.8, 15, 'left'), turn(15.8, 20, 'right')],
  },
  {
    name: 'reagan-left',
    left: REAGAN,
    right: OBAMA,
    durationSec: 20,
    turns: [turn(0, 3.5, 'left'), turn(4.3, 8, 'right'), turn(8.8, 12.5, 'left'), turn(13.3, 16.5, 'right'), turn(17.3, 20, 'left')],
  },
  {
    name: 'obama-left-short-turns',
    left: OBAMA,
    right: REAGAN,
    durationSec: 20,
    turns: [turn(0, 2.5, 'right'), turn(3.1, 5.5, 'left'), turn(6.1, 8.3, 'right'), turn(8.9, 11, 'left'), turn(11.6, 14, 'right'), turn(14.6, 17, 'left'), turn(17.6, 20, 'right')],
  },
];

function turn(startSec: number, endSec: number, speaker: Turn['speaker']): Turn {
  return { startSec, endSec, speaker };
}

/** Writes the conversation's video into `dir`; returns its path. */
export async function makeConversation(mediaDir: string, dir: string, c: Conversation): Promise<string> {
  const out = path.join(dir, `${c.name}.mp4`);
  const audible = (side: Side) => c.turns.filter((t) => t.speaker === side).map((t) => `between(t,${t.startSec},${t.endSec})`).join('+') || '0';
  const video = (input: number, label: string) => `[${input}:v]trim=0:${c.durationSec},setpts=PTS-STARTPTS,scale=256:256[${label}]`;
  const audio = (input: number, side: Side) => `[${input}:a]atrim=0:${c.durationSec},asetpts=PTS-STARTPTS,aresample=16000,volume='if(${audible(side)},1,0)':eval=frame[${side}a]`;
  const graph = [video(0, 'l'), video(1, 'r'), '[l][r]hstack[v]', audio(0, 'left'), audio(1, 'right'), '[lefta][righta]amix=inputs=2:normalize=0[a]'].join(';');
  await run('ffmpeg', ['-v', 'error', '-y', '-i', path.join(mediaDir, 'video', c.left), '-i', path.join(mediaDir, 'video', c.right), '-filter_complex', graph, '-map', '[v]', '-map', '[a]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-c:a', 'aac', '-ac', '1', '-ar', '16000', out]);
  return out;
}

/** The silent Pexels face with jfk.wav starting 2 s in: every word is spoken by nobody visible. */
export const VOICE_OVER: Conversation = { name: 'pexels-jfk-voice-over', left: 'WolfgangLanger_Pexels_face_silent.mp4', right: '', durationSec: 19.7, turns: [turn(2, 13, 'offscreen')] };

export async function makeVoiceOver(mediaDir: string, dir: string): Promise<string> {
  const out = path.join(dir, `${VOICE_OVER.name}.mp4`);
  await run('ffmpeg', ['-v', 'error', '-y', '-i', path.join(mediaDir, 'video', VOICE_OVER.left), '-i', path.join(mediaDir, 'speech', 'jfk.wav'), '-filter_complex', '[1:a]adelay=2000:all=1,apad[a]', '-map', '0:v', '-map', '[a]', '-t', String(VOICE_OVER.durationSec), '-c:v', 'copy', '-c:a', 'aac', '-ar', '16000', '-ac', '1', out]);
  return out;
}

/** A single face over the first 20 s, with its own voice (`own`: every turn its) or the other clip's (a voice-over). */
export interface SingleFace {
  name: string;
  face: string;
  voice: string;
  turns: Turn[];
}

export const SINGLE_FACES: readonly SingleFace[] = [
  { name: 'obama-alone', face: OBAMA, voice: OBAMA, turns: [turn(0, 20, 'face')] },
  { name: 'reagan-alone', face: REAGAN, voice: REAGAN, turns: [turn(0, 20, 'face')] },
  { name: 'obama-face-reagan-voice', face: OBAMA, voice: REAGAN, turns: [turn(0, 20, 'offscreen')] },
  { name: 'reagan-face-obama-voice', face: REAGAN, voice: OBAMA, turns: [turn(0, 20, 'offscreen')] },
];

export async function makeSingleFace(mediaDir: string, dir: string, c: SingleFace): Promise<string> {
  const out = path.join(dir, `${c.name}.mp4`);
  await run('ffmpeg', ['-v', 'error', '-y', '-i', path.join(mediaDir, 'video', c.face), '-i', path.join(mediaDir, 'video', c.voice), '-map', '0:v', '-map', '1:a', '-t', '20', '-c', 'copy', out]);
  return out;
}

/** Shares of the speech time (voice segments within the turns) by what was attributed. */
export interface SpeakerShares {
  speechSec: number;
  right: number;
  wrongFace: number;
  offscreen: number;
  unknown: number;
}

/** How the document's voice segments (or utterances) were attributed against the turns; a track's side is where its box is on average. */
export function speakerShares(doc: AnnotationDocument, turns: readonly Turn[], spans: readonly { startSec: number; endSec: number; speaker?: Speaker }[] = doc.voice.segments): SpeakerShares {
  const side = trackSides(doc);
  const time = { speechSec: 0, right: 0, wrongFace: 0, offscreen: 0, unknown: 0 };
  for (const span of spans) {
    for (const t of turns) {
      const overlap = Math.max(0, Math.min(t.endSec, span.endSec) - Math.max(t.startSec, span.startSec));
      if (overlap === 0) continue;
      time.speechSec += overlap;
      const said = span.speaker;
      const answer = said?.kind === 'face' ? side.get(said.trackId) : said?.kind === 'offscreen' ? 'offscreen' : undefined;
      if (answer === undefined) time.unknown += overlap;
      else if (answer === t.speaker || (t.speaker === 'face' && answer !== 'offscreen')) time.right += overlap;
      else if (answer === 'offscreen') time.offscreen += overlap;
      else time.wrongFace += overlap;
    }
  }
  const share = (sec: number) => (time.speechSec > 0 ? sec / time.speechSec : 0);
  return { speechSec: time.speechSec, right: share(time.right), wrongFace: share(time.wrongFace), offscreen: share(time.offscreen), unknown: share(time.unknown) };
}

function trackSides(doc: AnnotationDocument): Map<number, Side> {
  const sums = new Map<number, { x: number; n: number }>();
  for (const frame of doc.frames) {
    for (const face of frame.faces) {
      const s = sums.get(face.trackId) ?? { x: 0, n: 0 };
      s.x += face.box[0] + face.box[2] / 2;
      s.n++;
      sums.set(face.trackId, s);
    }
  }
  return new Map([...sums].map(([id, s]) => [id, s.x / s.n < doc.media.width / 2 ? 'left' : 'right']));
}

export function sharesText(s: SpeakerShares): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  return `${s.speechSec.toFixed(1)} s of speech: right ${pct(s.right)}, wrong face ${pct(s.wrongFace)}, off screen ${pct(s.offscreen)}, unknown ${pct(s.unknown)}`;
}

/**
 * The figures of `npm run eval -- --only speakers` (and `voice`): the made-up conversations, the voice-over and the
 * single faces analysed by the built CLI (`analyze --profile`, default settings), then the share of speech time
 * given to the right face (or off screen), and what the extra pass costs per minute of speech and face.
 */
export async function speakerAttributionReport(cli: string, mediaDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'emotion-lens-eval-speakers-'));
  try {
    const cases: { name: string; turns: readonly Turn[]; file: string }[] = [];
    for (const c of CONVERSATIONS) cases.push({ name: c.name, turns: c.turns, file: await makeConversation(mediaDir, work, c) });
    cases.push({ name: VOICE_OVER.name, turns: VOICE_OVER.turns, file: await makeVoiceOver(mediaDir, work) });
    for (const c of SINGLE_FACES) cases.push({ name: c.name, turns: c.turns, file: await makeSingleFace(mediaDir, work, c) });
    const out = path.join(work, 'documents');
    const printed = await runCli(cli, ['analyze', ...cases.map((c) => c.file), '--out', out, '--profile', '--speakers'], env);
    const lines = ['Who is speaking (made-up conversations: Obama and Reagan side by side, each audible in its turns; the Pexels face under jfk.wav; single faces with their own or the other voice), analysed by dist/cli.js:'];
    let faceSpeechMin = 0;
    for (const c of cases) {
      const doc = await readAnnotationDocument(path.join(out, `${path.basename(c.file)}.emotion.json`));
      lines.push(`  ${c.name}: voice segments ${sharesText(speakerShares(doc, c.turns))}`);
      lines.push(`  ${' '.repeat(c.name.length)}  utterances ${sharesText(speakerShares(doc, c.turns, doc.transcript.utterances))}`);
      faceSpeechMin += (doc.tracks.length * doc.voice.segments.reduce((sum, s) => sum + s.endSec - s.startSec, 0)) / 60;
    }
    lines.push(`  cost (--profile, all inputs): ${costText(printed, faceSpeechMin)}`);
    return lines.join('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** CPU seconds of the who-speaks stages (from the --profile table) per minute of speech per face. */
function costText(printed: string, faceSpeechMin: number): string {
  const stages = printed.split('\n').flatMap((line) => {
    const m = /^\s+(who speaks: .*?)\s{2,}([\d.]+)\s/.exec(line);
    return m ? [{ stage: m[1]!, sec: Number(m[2]) }] : [];
  });
  const total = stages.reduce((sum, s) => sum + s.sec, 0);
  const parts = stages.map((s) => `${s.stage} ${s.sec.toFixed(1)} s`).join(', ');
  return `${parts}; ${(total / Math.max(1e-9, faceSpeechMin)).toFixed(1)} CPU s per minute of speech per face (${faceSpeechMin.toFixed(2)} face-minutes of speech)`;
}
