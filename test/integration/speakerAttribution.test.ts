// Who is speaking, through the whole engine on made-up conversations (scripts/evaluation/speakerConversations.ts):
// the Obama and Reagan clips side by side, each audible only in its turns, the silent Pexels face under the jfk
// speech, and single faces with their own voice or the other's. Prints the shares of speech time; the exports
// carry the speaker. The conversations run with the default settings (`auto`: two faces, so who speaks runs), the
// single faces with `on`, and one single face again with the default (one face: not run, and says why).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AnnotationDocument, SpeakersMode } from '../../src/shared/annotationDocument';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { makeRequest } from '../../src/core/engine/analysisRequest';
import { AnalysisSession } from '../../src/core/engine/analysisSession';
import { SPEAKERS_AUTO_SKIPPED } from '../../src/core/engine/pipeline/speakerStage';
import { webVtt } from '../../src/core/export/webVtt';
import { CONVERSATIONS, makeConversation, makeSingleFace, makeVoiceOver, sharesText, SINGLE_FACES, speakerShares, VOICE_OVER } from '../../scripts/evaluation/speakerConversations';
import type { SpeakerShares } from '../../scripts/evaluation/speakerConversations';
import { noFfmpegReason } from '../helpers/mediaFixtures';
import { makeTempDir, mediaDir, modelsDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';

const skip = skipUnless(noFfmpegReason, noModelsReason, noMediaReason);

describe('who is speaking, through the engine', skip, () => {
  const temp = makeTempDir('emotion-lens-speaker-');
  const session = new AnalysisSession();
  const conversations: { doc: AnnotationDocument; segments: SpeakerShares; utterances: SpeakerShares }[] = [];
  let voiceOver: AnnotationDocument;
  let voiceOverFile: string;
  const singles: { name: string; offscreen: boolean; shares: SpeakerShares }[] = [];
  after(async () => {
    await session.close();
    temp.cleanup();
  });

  /** Without a mode: the default settings. */
  async function analyse(input: string, speakers?: SpeakersMode): Promise<AnnotationDocument> {
    const outcome = await session.analyze(makeRequest(input, { outDir: temp.dir, models: { modelsDir }, existingDocument: 'replace', ...(speakers ? { settings: { speakers } } : {}) }));
    const doc = await readAnnotationDocument(outcome.outputPath);
    assert.deepEqual(annotationProblems(doc), [], 'the document is valid against the schema');
    return doc;
  }

  before(async () => {
    for (const c of CONVERSATIONS) {
      const doc = await analyse(await makeConversation(mediaDir!, temp.dir, c));
      const shares = { doc, segments: speakerShares(doc, c.turns), utterances: speakerShares(doc, c.turns, doc.transcript.utterances) };
      console.log(`${c.name}: voice segments ${sharesText(shares.segments)}; utterances ${sharesText(shares.utterances)}`);
      conversations.push(shares);
    }
    voiceOverFile = await makeVoiceOver(mediaDir!, temp.dir);
    voiceOver = await analyse(voiceOverFile, 'on');
    console.log(`${VOICE_OVER.name}: voice segments ${sharesText(speakerShares(voiceOver, VOICE_OVER.turns))}`);
    // Each face alone with its own voice, and one with the other's voice (a second voice-over, over a talking face).
    for (const c of SINGLE_FACES.filter((s) => s.name !== 'obama-face-reagan-voice')) {
      const doc = await analyse(await makeSingleFace(mediaDir!, temp.dir, c), 'on');
      const shares = speakerShares(doc, c.turns);
      console.log(`${c.name}: voice segments ${sharesText(shares)}`);
      singles.push({ name: c.name, offscreen: c.turns[0]!.speaker === 'offscreen', shares });
    }
  });

  it('attributes speakers in a video with two faces and speech by default, and gives nobody a turn that is not theirs', () => {
    for (const [i, { doc, segments }] of conversations.entries()) {
      const turnSec = CONVERSATIONS[i]!.turns.reduce((sum, t) => sum + t.endSec - t.startSec, 0);
      assert.equal(doc.provenance.settings.speakers, 'auto', 'the default settings');
      assert.equal(doc.tracks.length, 2, 'two faces, one track each');
      assert.deepEqual(doc.voice.speakers, { status: 'ok', method: 'mouth-voice-synchrony' });
      assert.ok(doc.voice.segments.every((s) => s.speaker !== undefined) && doc.transcript.utterances.every((u) => u.speaker !== undefined), 'every segment and utterance says who speaks');
      assert.ok(segments.speechSec > 0.6 * turnSec, `most of the turns are found as speech (${segments.speechSec.toFixed(1)} of ${turnSec.toFixed(1)} s)`);
      assert.ok(segments.wrongFace <= 0.05, `at most 5 % of the speech time given to the face that is not speaking: ${sharesText(segments)}`);
    }
  });

  it('gives at least 95 % of the speech time to the right face in the conversations of 4 and 5 turns', () => {
    for (const [i, { segments }] of conversations.entries()) if (CONVERSATIONS[i]!.turns.length <= 5) assert.ok(segments.right >= 0.95, `${CONVERSATIONS[i]!.name}: ${sharesText(segments)}`);
  });

  it('gives at least 95 % of the speech time to the right face in the conversation of 7 short turns', { todo: 'not reached: one of its segments stays unknown (docs/voice.md, "Who is speaking")' }, () => {
    for (const [i, { segments }] of conversations.entries()) if (CONVERSATIONS[i]!.turns.length > 5) assert.ok(segments.right >= 0.95, `${CONVERSATIONS[i]!.name}: ${sharesText(segments)}`);
  });

  it('calls a voice-over off screen when the only face does not speak', () => {
    const shares = speakerShares(voiceOver, VOICE_OVER.turns);
    assert.ok(shares.speechSec > 7, `jfk's speech is found (${shares.speechSec.toFixed(1)} s)`);
    assert.equal(shares.wrongFace, 0, 'no speech given to the face');
    assert.ok(shares.right >= 0.95, `at least 95 % of the speech is off screen: ${sharesText(shares)}`);
  });

  it('gives a face talking alone its own speech, and calls another voice over it off screen', () => {
    for (const { name, offscreen, shares } of singles) {
      assert.ok(shares.speechSec > 10, `${name}: the speech is found (${shares.speechSec.toFixed(1)} s)`);
      if (offscreen) assert.ok(shares.right >= 0.95 && shares.wrongFace === 0, `${name}: off screen, ${sharesText(shares)}`);
      else assert.ok(shares.right >= 0.85 && shares.offscreen === 0, `${name}: at least 85 % to the face, none off screen: ${sharesText(shares)}`);
    }
  });

  it('names nobody by default on a single face, and says how to ask for it', async () => {
    const doc = await analyse(voiceOverFile);
    assert.equal(doc.provenance.settings.speakers, 'auto');
    assert.equal(doc.tracks.length, 1, 'one face');
    assert.equal(doc.voice.speakers?.status, 'unavailable');
    assert.ok(doc.voice.speakers.status === 'unavailable' && doc.voice.speakers.reason.includes(`one face on screen during the speech: ${SPEAKERS_AUTO_SKIPPED}`), JSON.stringify(doc.voice.speakers));
    assert.ok(doc.voice.segments.length > 0, 'the voice is still measured');
    assert.ok(doc.voice.segments.every((s) => s.speaker?.kind === 'unknown'), 'every segment is unknown');
  });

  it('carries the speaker into the subtitles', () => {
    const vtt = webVtt(conversations[0]!.doc);
    const tagged = conversations[0]!.doc.transcript.utterances.filter((u) => u.speaker?.kind === 'face' || u.speaker?.kind === 'offscreen').length;
    assert.ok(tagged > 0, 'some utterance has a known speaker');
    assert.equal((vtt.match(/^<v (Person \d+|Off screen)>/gm) ?? []).length, tagged, 'one voice tag per utterance with a known speaker');
  });
});
