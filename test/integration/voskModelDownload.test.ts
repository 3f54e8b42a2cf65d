// Download + unzip + per-file verification of a Vosk model, against a zip built here and served on 127.0.0.1.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EmotionLensError } from '../../src/core/errors';
import { VOSK_SMALL_EN_ID } from '../../src/core/models/speechModelSelection';
import { downloadVoskModel, VOSK_SMALL_EN_BLOB_IDS, verifyVoskModel } from '../../src/core/models/voskModelDownload';
import { makeTempDir, modelFile, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { buildSlipZip, buildZip } from '../helpers/zipWriter';

/** `git hash-object`, computed independently of the code under test. */
function blobId(content: string | Buffer): string {
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

/** A fake model with the real model's file names but made-up contents. */
const fakeFiles: Record<string, string | Buffer> = Object.fromEntries(
  Object.keys(VOSK_SMALL_EN_BLOB_IDS).map((file, i) => [file, file.endsWith('.mdl') ? Buffer.alloc(50000 + i, i) : `fake ${file}\n`]),
);
const fakeExpected = Object.fromEntries(Object.entries(fakeFiles).map(([file, content]) => [file, blobId(content)]));

function modelZip(files: Record<string, string | Buffer>, top = `${VOSK_SMALL_EN_ID}/`): Promise<Buffer> {
  return buildZip([
    { name: top },
    ...Object.entries(files).map(([file, data], i) => ({ name: top + file, data, store: i % 2 === 0 })),
  ]);
}

const temp = makeTempDir();
const routes = new Map<string, Buffer>();
let hits = 0;
let baseUrl = '';
const server = http.createServer((req, res) => {
  hits++;
  const body = routes.get(req.url ?? '');
  if (!body) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length }).end(body);
});

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes.set('/fake.zip', await modelZip(fakeFiles));
  routes.set('/flat.zip', await buildZip(Object.entries(fakeFiles).map(([name, data]) => ({ name, data }))));
  routes.set('/slip.zip', await buildSlipZip(`${VOSK_SMALL_EN_ID}/../../escaped.txt`, 'pwned', [{ name: `${VOSK_SMALL_EN_ID}/README`, data: 'x' }]));
  routes.set('/garbage.zip', Buffer.from('this is not a zip file at all'.repeat(10)));
});
after(() => {
  server.close();
  temp.cleanup();
});

/** A fresh parent folder per test, so "nothing left behind" can be checked by listing it. */
function parent(name: string): string {
  const dir = path.join(temp.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function assertError(error: unknown, code: string, pattern: RegExp): true {
  assert.ok(error instanceof EmotionLensError, String(error));
  assert.equal(error.code, code);
  assert.doesNotMatch(error.message, /\n/);
  assert.match(error.message, pattern);
  return true;
}

describe('downloadVoskModel', () => {
  it('rejects a model whose files do not match the published git blob ids and leaves nothing behind', async () => {
    const root = parent('mismatch');
    const dest = path.join(root, VOSK_SMALL_EN_ID);
    let progressBytes = 0;
    await assert.rejects(
      downloadVoskModel(dest, { url: `${baseUrl}/fake.zip`, onProgress: (p) => (progressBytes = p.receivedBytes) }),
      (e: unknown) => assertError(e, 'model-checksum', /downloaded Vosk model rejected: README git blob id [0-9a-f]{40}, expected a7f79317/),
    );
    assert.equal(progressBytes, routes.get('/fake.zip')?.length, 'the whole zip was downloaded before checking');
    assert.deepEqual(readdirSync(root), [], 'no model folder, temp folder or partial file remains');
  });

  it('installs the model when every file matches (expected ids computed here), then skips a verified copy', async () => {
    const root = parent('match');
    const dest = path.join(root, VOSK_SMALL_EN_ID);
    const checks = await downloadVoskModel(dest, { url: `${baseUrl}/fake.zip`, expected: fakeExpected });
    assert.equal(checks.length, Object.keys(fakeFiles).length);
    assert.ok(checks.every((c) => c.ok));
    assert.deepEqual(readdirSync(root), [VOSK_SMALL_EN_ID]);
    for (const [file, content] of Object.entries(fakeFiles)) {
      assert.deepEqual(readFileSync(path.join(dest, ...file.split('/'))), Buffer.isBuffer(content) ? content : Buffer.from(content));
    }
    const before = hits;
    await downloadVoskModel(dest, { url: `${baseUrl}/fake.zip`, expected: fakeExpected });
    assert.equal(hits, before, 'no request for a copy that already verifies');
  });

  it('accepts a zip without a top folder', async () => {
    const root = parent('flat');
    const dest = path.join(root, 'model');
    const checks = await downloadVoskModel(dest, { url: `${baseUrl}/flat.zip`, expected: fakeExpected });
    assert.ok(checks.every((c) => c.ok));
    assert.ok(existsSync(path.join(dest, 'am', 'final.mdl')));
  });

  it('refuses a zip entry that climbs out of the folder (zip-slip), writing nothing outside', async () => {
    const root = parent('slip');
    const dest = path.join(root, VOSK_SMALL_EN_ID);
    await assert.rejects(downloadVoskModel(dest, { url: `${baseUrl}/slip.zip`, expected: fakeExpected }), (e: unknown) => assertError(e, 'model-corrupt', /unsafe path/));
    assert.deepEqual(readdirSync(root), []);
    assert.equal(existsSync(path.join(temp.dir, 'escaped.txt')), false);
    assert.equal(existsSync(path.join(root, 'escaped.txt')), false);
  });

  it('reports a download that is not a zip, and an HTTP error, leaving nothing behind', async () => {
    const root = parent('bad');
    const dest = path.join(root, VOSK_SMALL_EN_ID);
    await assert.rejects(downloadVoskModel(dest, { url: `${baseUrl}/garbage.zip` }), (e: unknown) => assertError(e, 'model-corrupt', /could not be read/));
    await assert.rejects(downloadVoskModel(dest, { url: `${baseUrl}/missing.zip` }), (e: unknown) => assertError(e, 'model-missing', /HTTP 404/));
    assert.deepEqual(readdirSync(root), []);
  });
});

describe('verifyVoskModel', () => {
  it('reports each file of the table: match, different content, missing', async () => {
    const dir = parent('verify');
    mkdirSync(path.join(dir, 'conf'), { recursive: true });
    writeFileSync(path.join(dir, 'README'), 'hello\n');
    writeFileSync(path.join(dir, 'conf', 'model.conf'), 'changed\n');
    const table = { 'README': blobId('hello\n'), 'conf/model.conf': blobId('original\n'), 'am/final.mdl': blobId('x') };
    const checks = await verifyVoskModel(dir, table);
    assert.deepEqual(checks.map((c) => [c.file, c.ok]), [['README', true], ['conf/model.conf', false], ['am/final.mdl', false]]);
    assert.equal(checks[1]?.actual, blobId('changed\n'));
    assert.match(checks[1]?.problem ?? '', /^git blob id [0-9a-f]{40}, expected [0-9a-f]{40}$/);
    assert.equal(checks[2]?.problem, 'missing');
    assert.equal(checks[0]?.problem, undefined);
  });

  it('uses the git blob ids listed in the shared models README', skipUnless(noModelsReason), () => {
    const readme = readFileSync(modelFile('README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\s*\| `([^`]+)` \| ([0-9a-f]{40}) \|/gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual(Object.fromEntries(rows), VOSK_SMALL_EN_BLOB_IDS);
  });
});
