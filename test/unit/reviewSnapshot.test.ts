import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, makeNonce, reviewHtml } from '../../src/extension/editor/reviewHtml';
import { stillArgs, stillCrop } from '../../src/extension/editor/faceStill';
import { correctionsStateFor, DEFAULT_LOW_CONFIDENCE_THRESHOLD, mediaSourceFor, reviewSettingsFrom, servableMediaType, snapshotFor } from '../../src/extension/editor/reviewSnapshot';
import { REVIEW_PROTOCOL_VERSION } from '../../src/shared/reviewProtocol';
import { correction, makeDocument } from '../helpers/documentBuilder';
import { hourDocument } from '../helpers/reviewDocuments';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

describe('snapshotFor', () => {
  it('carries the document, settings, media and revision for the webview', () => {
    const doc = makeDocument();
    const media = mediaSourceFor({ mediaPath: doc.media.path, exists: true, webviewUri: `${cspSource}/videos/clip.mp4` });
    const snapshot = snapshotFor(doc, { revision: 7, fileName: 'clip.mp4.emotion.json', settings: { lowConfidenceThreshold: 0.4 }, media, dirty: true });
    assert.equal(snapshot.protocolVersion, REVIEW_PROTOCOL_VERSION);
    assert.equal(snapshot.revision, 7);
    assert.equal(snapshot.document, doc);
    assert.deepEqual(snapshot.media, { status: 'available', kind: 'video', uri: `${cspSource}/videos/clip.mp4`, mimeType: 'video/mp4' });
    assert.equal(snapshot.settings.lowConfidenceThreshold, 0.4);
    assert.equal(snapshot.dirty, true);
    // Snapshots cross a postMessage boundary: they must survive a JSON round trip unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });
});

describe('mediaSourceFor', () => {
  it('serves only video and image types, and only files that exist', () => {
    assert.deepEqual(servableMediaType('clips/Talk.MOV'), { kind: 'video', mimeType: 'video/quicktime' });
    assert.deepEqual(servableMediaType('still.jpeg'), { kind: 'image', mimeType: 'image/jpeg' });
    for (const path of ['../../.ssh/id_rsa', 'notes.txt', 'video', '.mp4']) assert.equal(servableMediaType(path), undefined, path);
    const missing = mediaSourceFor({ mediaPath: 'clip.mp4', exists: false });
    assert.equal(missing.status, 'unavailable');
    assert.match(missing.status === 'unavailable' ? missing.reason : '', /clip\.mp4 was not found/);
    const foreign = mediaSourceFor({ mediaPath: 'secret.key', exists: true, webviewUri: `${cspSource}/secret.key` });
    assert.equal(foreign.status, 'unavailable');
    assert.match(foreign.status === 'unavailable' ? foreign.reason : '', /is not a video, audio or image type/);
  });

  it('serves audio recordings for the <audio> player', () => {
    const expected: Record<string, string> = { wav: 'audio/wav', flac: 'audio/flac', mp3: 'audio/mpeg', m4a: 'audio/mp4', aac: 'audio/aac', ogg: 'audio/ogg', opus: 'audio/ogg; codecs=opus' };
    for (const [ext, mimeType] of Object.entries(expected)) {
      assert.deepEqual(servableMediaType(`talks/Interview.${ext.toUpperCase()}`), { kind: 'audio', mimeType }, ext);
    }
    const wav = mediaSourceFor({ mediaPath: 'jfk.wav', exists: true, webviewUri: `${cspSource}/speech/jfk.wav` });
    assert.deepEqual(wav, { status: 'available', kind: 'audio', uri: `${cspSource}/speech/jfk.wav`, mimeType: 'audio/wav' });
    assert.equal(mediaSourceFor({ mediaPath: 'jfk.wav', exists: false }).status, 'unavailable');
    for (const path of ['notes.wav.txt', 'audio.wma', 'x.mid']) assert.equal(servableMediaType(path), undefined, path);
  });
});

describe('reviewSettingsFrom', () => {
  it('clamps the threshold to 0..1 and falls back to the default for non-numbers', () => {
    assert.equal(reviewSettingsFrom({ lowConfidenceThreshold: 0.3 }).lowConfidenceThreshold, 0.3);
    assert.equal(reviewSettingsFrom({ lowConfidenceThreshold: 4 }).lowConfidenceThreshold, 1);
    assert.equal(reviewSettingsFrom({ lowConfidenceThreshold: -1 }).lowConfidenceThreshold, 0);
    for (const value of [undefined, '0.3', Number.NaN, null]) {
      assert.equal(reviewSettingsFrom({ lowConfidenceThreshold: value }).lowConfidenceThreshold, DEFAULT_LOW_CONFIDENCE_THRESHOLD);
    }
  });
});

describe('reviewHtml', () => {
  it('has a strict CSP: nonce scripts, no inline styles, no remote sources', () => {
    const nonce = makeNonce();
    const csp = contentSecurityPolicy(cspSource, nonce);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(directives.get('style-src'), [cspSource]);
    assert.deepEqual(directives.get('img-src'), [cspSource, 'blob:', 'data:']);
    // Video and audio alike, from the webview's own resource origin only.
    assert.deepEqual(directives.get('media-src'), [cspSource]);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('loads one script with the nonce and one stylesheet, and escapes the title', () => {
    const nonce = makeNonce();
    const html = reviewHtml({ cspSource, nonce, scriptUri: `${cspSource}/dist/webview.js`, styleUri: `${cspSource}/dist/webview.css`, title: '<b>"a&b".mp4</b>' });
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="${cspSource}/dist/webview.js">`]);
    assert.ok(html.includes(`<link rel="stylesheet" href="${cspSource}/dist/webview.css">`));
    assert.match(html, /<title>&lt;b&gt;"a&amp;b".mp4&lt;\/b&gt;<\/title>/);
    assert.doesNotMatch(html, /\sstyle=|<style|\son[a-z]+=/i, 'no inline styles or event handlers');
  });

  it('makes a different nonce every time', () => {
    const nonces = new Set(Array.from({ length: 50 }, makeNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{24}$/);
  });
});

describe('correctionsStateFor', () => {
  it('carries the corrections, not the frames: small enough to send per keystroke for an hour of video', () => {
    const doc = hourDocument();
    doc.corrections = doc.frames.slice(0, 100).map((frame) => correction(frame, 1, 'happy'));
    const state = correctionsStateFor(doc, { revision: 12, dirty: true });
    assert.deepEqual(Object.keys(state).sort(), ['corrections', 'dirty', 'revision']);
    assert.equal(state.corrections, doc.corrections);
    const stateBytes = JSON.stringify(state).length;
    const snapshotBytes = JSON.stringify(doc).length;
    console.log(`protocol: corrections message ${stateBytes} bytes vs ${(snapshotBytes / 1e6).toFixed(1)} MB snapshot (100 corrections)`);
    assert.ok(stateBytes * 100 < snapshotBytes, `${stateBytes} vs ${snapshotBytes}`);
  });
});

describe('face stills', () => {
  it('crops a square around the face with context, inside the frame', () => {
    assert.deepEqual(stillCrop([100, 50, 80, 100], 640, 360), { x: 50, y: 10, width: 180, height: 180 });
    // A face at the corner: the crop slides inside the frame instead of leaving it.
    assert.deepEqual(stillCrop([0, 0, 40, 40], 640, 360), { x: 0, y: 0, width: 72, height: 72 });
    assert.deepEqual(stillCrop([600, 330, 40, 30], 640, 360), { x: 568, y: 288, width: 72, height: 72 });
    // A face larger than the frame's height: the crop is clamped to the frame.
    assert.deepEqual(stillCrop([100, 0, 300, 360], 640, 360), { x: 70, y: 0, width: 360, height: 360 });
  });

  it('asks ffmpeg for one JPEG frame with an argument array, the file named with file:', () => {
    const args = stillArgs({ video: '/v/a b;rm -rf.mp4', timeSec: 12.3456, box: [100, 50, 80, 100], frameWidth: 640, frameHeight: 360, size: 160 });
    assert.deepEqual(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 4), ['-ss', '12.346', '-i', 'file:/v/a b;rm -rf.mp4']);
    assert.ok(args.includes('crop=180:180:50:10,scale=160:160:force_original_aspect_ratio=decrease'));
    assert.deepEqual(args.slice(-7), ['-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '4', 'pipe:1']);
    assert.equal(args[args.indexOf('-frames:v') + 1], '1');
  });
});
