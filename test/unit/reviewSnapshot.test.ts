import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, makeNonce, reviewHtml } from '../../src/extension/editor/reviewHtml';
import { DEFAULT_LOW_CONFIDENCE_THRESHOLD, mediaSourceFor, reviewSettingsFrom, servableMediaType, snapshotFor } from '../../src/extension/editor/reviewSnapshot';
import { REVIEW_PROTOCOL_VERSION } from '../../src/shared/reviewProtocol';
import { makeDocument } from '../helpers/documentBuilder';

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
