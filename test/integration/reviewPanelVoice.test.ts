// The review panel with the voice, in a real headless Chromium (the page harness of reviewPanel.test.ts): the
// speech chart's voice band (arousal and pitch, read back from the chart's data and from its pixels), the
// transcript's voice badges, the face vs words and face vs voice flags and the key that jumps between them;
// an audio-only recording (the shared jfk.wav) played by an <audio> where the video would be, in sync with the
// transcript and the chart; a document without a voice baseline; a version 2 document upgraded in memory; and
// real documents made by the engine (the Obama and Reagan clips, jfk.wav) rendered beside their media.
// Screenshots go to test-results/review/ (paths printed).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { upgradeDocument } from '../../src/core/document/documentUpgrade';
import { makeRequest } from '../../src/core/engine/analysisRequest';
import { AnalysisSession } from '../../src/core/engine/analysisSession';
import { mediaSourceFor } from '../../src/extension/editor/reviewSnapshot';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { arousalSeries, pitchSeries, sentimentSeries } from '../../src/webview/chartSeriesModel';
import { LABEL_PALETTES, themeKindOf } from '../../src/webview/labelPalette';
import { voiceBadge } from '../../src/webview/voiceModel';
import { noFfmpegReason } from '../helpers/mediaFixtures';
import { eventually } from '../helpers/eventually';
import { asVersionTwo, hourDocument, hourWithVoice, jfkAudioDocument, SEGMENT_SEC } from '../helpers/reviewDocuments';
import { mediaFile, modelsDir, noMediaReason, noModelsReason, repoRoot, skipUnless } from '../helpers/testEnvironment';
import type { PanelBrowser } from './reviewPanelHarness';
import { framePainted, launchPanelBrowser, noBundleReason, noChromiumReason, results, selectedKey, snapshotOf, THEMES, waitInPage } from './reviewPanelHarness';

/** A voice line's colour in a theme: the panel's own palette, chosen apart from the seven labels' colours. */
function voiceColour(theme: string, line: 'arousal' | 'pitch'): string {
  const classes = THEMES[theme]!.bodyClass.split(' ');
  return LABEL_PALETTES[themeKindOf({ contains: (name) => classes.includes(name) })][line];
}

let panels: PanelBrowser | undefined;

/** The speech chart's series as the page drew them: point counts (figure data) per series. */
async function speechPoints(page: Page): Promise<Record<string, number>> {
  return JSON.parse((await page.getAttribute('figure.chart-speech', 'data-points')) ?? '{}') as Record<string, number>;
}

/** Pixels of the speech chart's canvas within a few steps of a CSS colour (`#rrggbb`): is that series drawn? */
async function pixelsOfColor(page: Page, hex: string): Promise<number> {
  return page.evaluate(`(() => {
    const canvas = document.querySelector('figure.chart-speech canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const want = [1, 3, 5].map((i) => parseInt(${JSON.stringify(hex)}.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 200 && Math.abs(data[i] - want[0]) < 24 && Math.abs(data[i + 1] - want[1]) < 24 && Math.abs(data[i + 2] - want[2]) < 24) n++;
    }
    return n;
  })()`);
}

function expectedPoints(doc: AnnotationDocument, range = { startSec: 0, endSec: doc.media.durationSec }): Record<string, number> {
  const out: Record<string, number> = {};
  if (doc.transcript.utterances.length > 0) out.sentiment = sentimentSeries(doc.transcript.utterances, range).length;
  const arousal = arousalSeries(doc.voice.segments, range).length;
  if (arousal > 0) out.arousal = arousal;
  const pitch = pitchSeries(doc.voice.segments, range).length;
  if (pitch > 0) out.pitch = pitch;
  return out;
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.textContent.trim())`);
}

async function playheadX(page: Page): Promise<number> {
  const transform: string = await page.evaluate("document.querySelector('figure.chart-speech .playhead').style.transform");
  return Number(/translateX\((-?[\d.]+)px\)/.exec(transform)?.[1] ?? NaN);
}

async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(results, { recursive: true });
  const file = path.join(results, name);
  await page.screenshot({ path: file });
  console.log(`screenshot: ${path.relative(repoRoot, file)}`);
  return file;
}

describe('review panel with the voice, in headless Chromium', { concurrency: false }, () => {
  before(async () => {
    if (noChromiumReason || noBundleReason) return;
    panels = await launchPanelBrowser('emotion-lens-panel-voice-');
  });

  after(async () => {
    await panels?.close();
  });

  it('draws arousal and pitch on the speech chart, badges each utterance and names both kinds of flag (a video)', skipUnless(noChromiumReason, noBundleReason), async () => {
    const doc = hourWithVoice(300); // one minute, two people
    const { page, errors } = await panels!.open(snapshotOf(doc, mediaSourceFor({ mediaPath: doc.media.path, exists: false })), { theme: 'dark' });
    try {
      assert.equal(await page.locator('canvas').count(), 3, 'two people and the speech chart');
      const points = await speechPoints(page);
      console.log(`voice (video): speech chart points ${JSON.stringify(points)}; ${doc.voice.segments.length} voice segments, ${doc.transcript.utterances.length} utterances`);
      assert.deepEqual(points, expectedPoints(doc));
      // 7 voice segments: 6 over utterances, one laugh (no pitch): 7 arousal steps, 6 pitch steps, a break between each.
      assert.deepEqual(points, { sentiment: 6 * 3 - 1, arousal: 7 * 3 - 1, pitch: 6 * 3 - 1 });
      // Drawn, not only handed over: the palette's arousal and pitch colours are on the canvas.
      const arousal = await pixelsOfColor(page, voiceColour('dark', 'arousal'));
      const pitch = await pixelsOfColor(page, voiceColour('dark', 'pitch'));
      console.log(`voice (video): ${arousal} arousal-coloured and ${pitch} pitch-coloured pixels on the speech chart`);
      assert.ok(arousal > 100 && pitch > 20, `arousal ${arousal}, pitch ${pitch} pixels`);
      assert.deepEqual(await texts(page, 'figure.chart-speech .legend-item'), ["words' sentiment (−1 to 1)", "voice arousal (z vs the speaker's usual)", 'pitch (st re 27.5 Hz), right axis']);
      assert.equal(await page.locator('figure.chart-speech .chart-note').count(), 0, 'nothing missing to mention');

      // A badge per utterance: lively, flat, usual in turn; pitch and the rest in the tooltip.
      assert.deepEqual(await texts(page, '.utterance .voice-badge'), ['lively +1.3', 'flat −1.1', 'usual +0.2', 'lively +1.3', 'flat −1.1', 'usual +0.2']);
      const title = (await page.locator('.utterance .voice-badge').first().getAttribute('title'))!;
      assert.match(title, /^Voice livelier than this speaker's usual: arousal \+1\.30 SD\nPitch 30\.0 st re 27\.5 Hz \(≈ 156 Hz\), 20–80 %: 28\.2–31\.9 st\nIntensity 68 dB\n2\.1 words\/s$/);

      // D jumps from one flagged segment to the next (not row by row), face vs words and face vs voice alike.
      await page.locator('.label-table').focus();
      await page.keyboard.press('Home');
      const stops: { key: string; flags: string }[] = [];
      for (let i = 0; i < 5; i++) {
        await page.keyboard.press('d');
        stops.push({ key: (await selectedKey(page))!, flags: (await texts(page, '.table-row.focused .flag-disagree')).join(', ') });
      }
      const segmentOf = (key: string): number => Math.floor((Number(key.split(':')[0]) * 0.2 + 1e-6) / SEGMENT_SEC);
      console.log(`voice (video): D stops ${stops.map((s) => `${s.key} (segment ${segmentOf(s.key)}: ${s.flags})`).join(', ')}`);
      assert.deepEqual(stops.map((s) => segmentOf(s.key)), [3, 7, 13, 17, 23]);
      assert.deepEqual(stops.map((s) => s.flags), ['face vs words', 'face vs voice', 'face vs words', 'face vs voice', 'face vs words']);
      assert.deepEqual(stops.map((s) => s.key.split(':')[1]), ['1', '1', '1', '1', '1'], 'the first row of each segment');
      await page.keyboard.press('Shift+D');
      assert.equal(segmentOf((await selectedKey(page))!), 17, 'Shift+D goes back one flagged segment');
      assert.match((await page.locator('.table-row.focused .flag-disagree').getAttribute('title'))!, /face and the voice point opposite ways/);
      assert.deepEqual(await texts(page, '.legend dd'), [...doc.labels, 'clear correction', 'previous / next row', 'select a range', 'next / previous low confidence (queue: unreviewed)', 'accept suggestion (selected faces)', 'review queue on / off', 'next / previous flag (face vs words or voice)', 'play / pause', 'label menu', 'zoom charts', 'undo (VS Code)']);

      // A word seeks the panel's clock (no video file here): the row and the playhead follow.
      const before = await playheadX(page);
      await page.locator('.utterance').nth(3).locator('.word').first().click();
      await eventually(async () => {
        assert.equal(Math.round(Number((await selectedKey(page))!.split(':')[0]) * 2) / 10, 31, 'the row at the word (31 s)');
        const after = await playheadX(page);
        assert.ok(after < before && after > 0, `the playhead moved back from 34 s (Shift+D) to 31 s: ${before} -> ${after} px`);
      });
      await page.locator('.utterance').first().hover();
      await framePainted(page);
      await screenshot(page, 'panel-voice-video-dark.png');
      assert.deepEqual(await page.evaluate('window.__host.violations'), [], 'no CSP violations');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
    const light = await panels!.open(snapshotOf(doc, mediaSourceFor({ mediaPath: doc.media.path, exists: false })), { theme: 'light' });
    try {
      assert.ok((await pixelsOfColor(light.page, voiceColour('light', 'arousal'))) > 100, 'arousal drawn in the light theme');
      await screenshot(light.page, 'panel-voice-video-light.png');
      assert.deepEqual(light.errors, []);
    } finally {
      await light.page.close();
    }
  });

  it('plays an audio recording where the video would be, in sync with transcript and chart (jfk.wav)', skipUnless(noChromiumReason, noBundleReason, noMediaReason), async () => {
    const wav = path.join(panels!.dir, 'jfk.wav');
    copyFileSync(mediaFile('speech', 'jfk.wav'), wav);
    const doc = jfkAudioDocument();
    const media = mediaSourceFor({ mediaPath: doc.media.path, exists: true, webviewUri: pathToFileURL(wav).href });
    assert.deepEqual(media, { status: 'available', kind: 'audio', uri: pathToFileURL(wav).href, mimeType: 'audio/wav' });
    for (const theme of ['dark', 'light', 'high-contrast']) {
      const { page, errors } = await panels!.open(snapshotOf(doc, media, 'jfk.wav.emotion.json'), { theme });
      try {
        await waitInPage(page, "(document.querySelector('audio')?.readyState ?? 0) >= 1 || document.querySelector('.media-problem') !== null");
        assert.equal(await page.locator('.media-problem').count(), 0, 'the wav plays here');
        assert.equal(await page.locator('video').count(), 0);
        assert.equal(await page.evaluate("Math.round(document.querySelector('audio').duration * 10) / 10"), 11);
        // No faces: no face charts, no table, no thumbnails; a plain note instead.
        assert.equal(await page.locator('canvas').count(), 1, 'the speech chart only');
        assert.equal(await page.locator('figure.chart-speech.chart-big').count(), 1, 'the speech chart is the main view');
        assert.equal(await page.locator('.label-table').isVisible(), false);
        assert.equal(await page.locator('.filter-bar').isVisible(), false);
        assert.equal(await page.locator('.track-strip').innerText(), 'No faces: audio recording.');
        assert.match(await page.locator('.meta').innerText(), /^jfk\.wav · 0:11 · audio recording · 4 voice segments$/);
        assert.deepEqual(await texts(page, '.legend dt'), ['Space', '+ / −'], 'only the keys that do something here');
        const points = await speechPoints(page);
        assert.deepEqual(points, { sentiment: 3 * 3 - 1, arousal: 4 * 3 - 1, pitch: 4 * 3 - 1 });
        assert.deepEqual(points, expectedPoints(doc));
        assert.ok((await pixelsOfColor(page, voiceColour(theme, 'arousal'))) > 100, 'arousal drawn');
        assert.deepEqual(await texts(page, '.utterance .voice-badge'), ['lively +1.3', 'usual +0.2', 'flat −1.1']);
        if (theme !== 'dark') {
          await screenshot(page, `panel-voice-audio-${theme}.png`);
          assert.deepEqual(errors, []);
          continue;
        }

        // A word seeks the audio; the playhead follows.
        const x0 = await playheadX(page);
        await page.locator('.utterance').nth(1).locator('.word', { hasText: 'country' }).click();
        await waitInPage(page, "Math.abs(document.querySelector('audio').currentTime - 5.12) < 0.05");
        const x1 = await playheadX(page);
        assert.ok(x1 > x0, `playhead ${x0} -> ${x1}`);
        await page.locator('.utterance').nth(2).locator('.seek').click();
        await waitInPage(page, "Math.abs(document.querySelector('audio').currentTime - 8.2) < 0.05");
        const x2 = await playheadX(page);
        // Linear time axis: the playhead's steps are proportional to the times (5.12 -> 8.2 s against 0 -> 5.12 s).
        assert.ok(Math.abs((x2 - x1) / (x1 - x0) - (8.2 - 5.12) / 5.12) < 0.05, `playhead at ${x0}, ${x1}, ${x2}`);
        assert.equal(await page.locator('.word.current').innerText(), 'ask', 'the word at the playhead is highlighted');

        // A click on the chart seeks the audio there.
        const canvas = (await page.locator('figure.chart-speech canvas').boundingBox())!;
        await page.mouse.click(canvas.x + canvas.width * 0.5, canvas.y + canvas.height * 0.5);
        const clicked = await eventually(async () => {
          const t: number = await page.evaluate("document.querySelector('audio').currentTime");
          assert.ok(t > 4 && t < 7, `a click in the middle of the chart seeks to ${t} s`);
          return t;
        });

        // Space plays the audio; the clock of the page follows it. Starting the audio takes a while on a loaded
        // machine: wait until it has played on, then pause.
        await page.locator('.meta').click();
        await page.keyboard.press(' ');
        const playing = await eventually(async () => {
          const now: { paused: boolean; t: number } = await page.evaluate("({ paused: document.querySelector('audio').paused, t: document.querySelector('audio').currentTime })");
          assert.equal(now.paused, false, 'Space started the audio');
          assert.ok(now.t > clicked + 0.2, `played on from ${clicked} to ${now.t}`);
          return now;
        });
        await page.keyboard.press(' ');
        console.log(`audio: clicked the chart at ${clicked.toFixed(2)} s; Space played to ${playing.t.toFixed(2)} s (paused ${playing.paused})`);
        await eventually(async () => assert.ok((await playheadX(page)) > x1, 'the playhead followed the playback'));
        const firstWord = page.locator('.utterance').first().locator('.word').first();
        await firstWord.click();
        // The screenshot shows the audio at that word.
        await waitInPage(page, `(() => { const a = document.querySelector('audio'); return !a.seeking && Math.abs(a.currentTime - ${Number(await firstWord.getAttribute('data-seek'))}) < 0.05; })()`);
        await framePainted(page);
        await screenshot(page, 'panel-voice-audio-dark.png');
        assert.deepEqual(await page.evaluate('window.__host.violations'), [], 'no CSP violations (media-src serves the audio)');
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    }
  });

  it('says why there is no arousal when the voice has no baseline, and still draws pitch', skipUnless(noChromiumReason, noBundleReason), async () => {
    const doc = jfkAudioDocument({ baseline: false });
    const { page, errors } = await panels!.open(snapshotOf(doc, mediaSourceFor({ mediaPath: doc.media.path, exists: false }), 'jfk.wav.emotion.json'));
    try {
      assert.deepEqual(await speechPoints(page), { sentiment: 8, pitch: 11 });
      assert.match(await page.locator('figure.chart-speech .chart-note').innerText(), /^voice arousal not scored: less than 10 s of speech/);
      assert.deepEqual(await texts(page, '.utterance .voice-badge'), ['voice: no baseline', 'voice: no baseline', 'voice: no baseline']);
      const title = (await page.locator('.utterance .voice-badge').first().getAttribute('title'))!;
      assert.match(title, /^Voice arousal not scored: less than 10 s of speech.*\nPitch 29\.8 st re 27\.5 Hz/);
      assert.doesNotMatch(title, /arousalRaw|0\.\d{2} raw/);
      // No file beside the document: the panel's clock plays instead, with no still (there is no picture).
      assert.match(await page.locator('.media-problem').innerText(), /^No playback: jfk\.wav was not found/);
      assert.equal(await page.locator('.still-frame').count(), 0);
      await screenshot(page, 'panel-voice-no-baseline-dark.png');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it('opens a version 2 document upgraded in memory: voice not analysed, flags face vs words only', skipUnless(noChromiumReason, noBundleReason), async () => {
    const upgraded = upgradeDocument(asVersionTwo(hourDocument(300)));
    assert.ok(upgraded.ok && upgraded.fromVersion === 2);
    const doc = upgraded.value as AnnotationDocument;
    const { page, errors } = await panels!.open(snapshotOf(doc, mediaSourceFor({ mediaPath: doc.media.path, exists: false })));
    try {
      assert.equal(await page.locator('canvas').count(), 3);
      assert.deepEqual(await speechPoints(page), { sentiment: 17 });
      const note = await page.locator('figure.chart-speech .chart-note').innerText();
      console.log(`version 2: speech chart says "${note}"`);
      assert.match(note, /^voice not analysed: /);
      assert.equal(await page.locator('.voice-badge').count(), 0);
      await page.locator('.label-table').focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('d');
      assert.deepEqual(await texts(page, '.table-row.focused .flag-disagree'), ['face vs words']);
      await screenshot(page, 'panel-voice-version2-dark.png');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});

describe('review panel with the voice of real documents made by the engine, in headless Chromium', { concurrency: false }, () => {
  const skip = skipUnless(noChromiumReason, noBundleReason, noModelsReason, noMediaReason, noFfmpegReason);
  let real: PanelBrowser | undefined;
  let session: AnalysisSession | undefined;

  before(async () => {
    if (skip.skip) return;
    real = await launchPanelBrowser('emotion-lens-panel-voice-real-');
    session = new AnalysisSession();
  });

  after(async () => {
    await session?.close();
    await real?.close();
  });

  /**
   * Copies the media into the panel's work folder and analyses the copy there, so the document sits beside
   * its media (media.path is relative to the document's folder, as the extension resolves it).
   */
  async function analyzedBeside(source: string, name: string): Promise<{ doc: AnnotationDocument; docName: string; mediaPath: string }> {
    const out = path.join(real!.dir, path.parse(name).name);
    mkdirSync(out, { recursive: true });
    const input = path.join(out, name);
    copyFileSync(source, input);
    const outcome = await session!.analyze(makeRequest(input, { outDir: out, models: { modelsDir }, existingDocument: 'replace' }));
    const doc = await readAnnotationDocument(outcome.outputPath);
    assert.deepEqual(annotationProblems(doc), [], 'the document is valid against the schema');
    assert.equal(path.dirname(outcome.outputPath), out);
    const mediaPath = path.join(out, ...doc.media.path.split('/'));
    assert.equal(mediaPath, input, `media.path ${doc.media.path} names the copy beside the document`);
    assert.ok(existsSync(mediaPath));
    return { doc, docName: path.basename(outcome.outputPath), mediaPath };
  }

  /** Renders a real document with its media; checks the voice band and badges; saves the screenshot. */
  async function renderReal(label: string, source: string, name: string, check: (page: Page, doc: AnnotationDocument) => Promise<void>): Promise<void> {
    const { doc, docName, mediaPath } = await analyzedBeside(source, name);
    assert.equal(doc.voice.status, 'ok', `${label}: voice ${doc.voice.status} ${doc.voice.reason ?? ''}`);
    assert.ok(doc.voice.segments.length > 0, `${label}: voice segments found`);
    assert.equal(doc.transcript.status, 'ok', `${label}: a transcript`);
    const media = mediaSourceFor({ mediaPath: doc.media.path, exists: true, webviewUri: pathToFileURL(mediaPath).href });
    assert.equal(media.status, 'available');
    const { page, errors } = await real!.open(snapshotOf(doc, media, docName), { theme: 'dark' });
    try {
      const element = doc.media.kind === 'audio' ? 'audio' : 'video';
      // A video waits for its first frame (HAVE_CURRENT_DATA), or Chromium's loading spinner is in the screenshot.
      const ready = element === 'video' ? 2 : 1;
      await waitInPage(page, `(document.querySelector('${element}')?.readyState ?? 0) >= ${ready} || document.querySelector('.media-problem') !== null`);
      const problem = (await page.locator('.media-problem').count()) > 0 ? await page.locator('.media-problem').innerText() : undefined;

      // The voice band: one step (two points, a break before the next) per scored voice segment.
      const points = await speechPoints(page);
      const scored = doc.voice.segments.filter((s) => s.arousal !== null).length;
      const pitched = doc.voice.segments.filter((s) => s.f0MeanSemitones !== null).length;
      const withVoice = doc.transcript.utterances.filter((u) => u.voice);
      console.log(`${label}: ${doc.voice.segments.length} voice segments (${scored} with arousal, ${pitched} with pitch), baseline ${doc.voice.baseline.scope}, ${doc.transcript.utterances.length} utterances (${withVoice.length} with voice); speech chart points ${JSON.stringify(points)}; ${element} ${problem ? `not played: ${problem}` : 'loaded'}`);
      assert.deepEqual(points, expectedPoints(doc));
      if (scored > 0) assert.equal(points.arousal, scored * 3 - 1, 'one arousal step per scored voice segment');
      if (pitched > 0) assert.equal(points.pitch, pitched * 3 - 1, 'one pitch step per voiced segment');
      assert.ok((await pixelsOfColor(page, voiceColour('dark', 'pitch'))) > 20, 'pitch drawn');

      // A badge for each utterance with a voice, as the voice model words it.
      const badges = await texts(page, '.utterance .voice-badge');
      console.log(`${label}: badges ${JSON.stringify(badges)}`);
      assert.ok(withVoice.length > 0, `${label}: utterances with a voice`);
      assert.deepEqual(badges, withVoice.map((u) => voiceBadge(u.voice, doc.voice.baseline)!.text));
      await check(page, doc);

      // The first utterance's time seeks the media there (and settles Chromium's loading spinner on a video).
      await page.locator('.utterance').first().locator('.seek').click();
      const start = doc.transcript.utterances[0]!.startSec;
      await waitInPage(page, `Math.abs(document.querySelector('${element}').currentTime - ${start}) < 0.05 && !document.querySelector('${element}').seeking`);
      await page.locator('.utterance').first().hover();
      await framePainted(page);
      await screenshot(page, `panel-voice-real-${label}-dark.png`);
      assert.deepEqual(await page.evaluate('window.__host.violations'), [], 'no CSP violations');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  }

  /** A video with a recording baseline: arousal drawn, badges say lively / flat / usual with a value. */
  async function videoWithBaseline(page: Page, doc: AnnotationDocument): Promise<void> {
    assert.notEqual(doc.voice.baseline.scope, 'none', 'a baseline of the recording');
    assert.ok(doc.voice.segments.every((s) => s.arousal !== null), 'every voice segment has arousal');
    assert.equal((await speechPoints(page)).arousal, doc.voice.segments.length * 3 - 1, 'one arousal step per voice segment');
    assert.ok((await pixelsOfColor(page, voiceColour('dark', 'arousal'))) > 100, 'arousal drawn');
    assert.equal(await page.locator('figure.chart-speech .chart-note').count(), 0, 'nothing missing to mention');
    for (const text of await texts(page, '.utterance .voice-badge')) assert.match(text, /^(lively|flat|usual) [+−]?\d+\.\d$/);
    assert.equal(await page.locator('video, .media-problem').count() > 0, true, 'the video, or why it does not play');
  }

  it('the Obama clip: arousal and pitch over each voice segment, a badge per utterance (screenshot)', skip, async () => {
    await renderReal('obama', mediaFile('video', 'Obama_clip1_face_speech.mp4'), 'Obama_clip1_face_speech.mp4', videoWithBaseline);
  });

  it('the Reagan clip: arousal and pitch over each voice segment, a badge per utterance (screenshot)', skip, async () => {
    await renderReal('reagan', mediaFile('video', 'reagan_clip1_face_speech.mp4'), 'reagan_clip1_face_speech.mp4', videoWithBaseline);
  });

  it('jfk.wav: pitch without a baseline, "voice: no baseline" badges, played by an <audio> (screenshot)', skip, async () => {
    await renderReal('jfk', mediaFile('speech', 'jfk.wav'), 'jfk.wav', async (page, doc) => {
      assert.equal(doc.media.kind, 'audio');
      assert.equal(doc.voice.baseline.scope, 'none');
      const points = await speechPoints(page);
      assert.equal(points.arousal, undefined, 'no arousal without a baseline');
      assert.equal(points.pitch, doc.voice.segments.length * 3 - 1, 'one pitch step per voice segment');
      assert.match(await page.locator('figure.chart-speech .chart-note').innerText(), /^voice arousal not scored: /);
      const badges = await texts(page, '.utterance .voice-badge');
      assert.ok(badges.length > 0 && badges.every((t) => t === 'voice: no baseline'), JSON.stringify(badges));
      assert.equal(await page.locator('audio').count(), 1, 'an <audio> where the video would be');
      assert.equal(await page.locator('video').count(), 0);
      assert.equal(await page.locator('.media-problem').count(), 0, 'the wav plays here');
      assert.equal(await page.evaluate("Math.round(document.querySelector('audio').duration)"), Math.round(doc.media.durationSec));
    });
  });
});
