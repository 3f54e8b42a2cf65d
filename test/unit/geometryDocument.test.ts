// Face geometry in the annotation document: version 4 documents open as before, the schema holds the compact
// per-face measures, a corrections merge keeps the sidecar link, the document and its sidecar are put in place
// together (or neither), and the sidecar's Parquet reads back in DuckDB (an independent reader) and in ours,
// which turns a missing or changed sidecar into a one-line warning.
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseAnnotationDocument, readAnnotationDocument, serialiseAnnotationDocument } from '../../src/core/document/annotationFile';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { mergeCorrections } from '../../src/core/document/correctionsMerge';
import { commitDocument } from '../../src/core/document/documentCommit';
import { MESH_COLUMNS, meshListType, meshSidecarPathFor, MeshSidecarWriter, meshWriterOptions } from '../../src/core/document/meshSidecar';
import { readMeshSidecar } from '../../src/core/document/meshSidecarReader';
import { loadMeshLandmarks } from '../../src/core/export/meshLandmarks';
import { IBUG68_FROM_MESH } from '../../src/core/geometry/ibug68';
import { parquetLibraries, ParquetStreamWriter, writeParquetOnce } from '../../src/core/parquet/parquetStreamWriter';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { geometryLayout } from '../../src/shared/faceGeometry';
import { faceKey } from '../../src/shared/labelPrecedence';
import { correction, makeDocument, makeFrames } from '../helpers/documentBuilder';
import { exportFixture } from '../helpers/exportFixture';
import { makeTempDir } from '../helpers/testEnvironment';

/** A made-up but distinct mesh per face: point p of face f at (f + p / 7, 2f - p / 3, -p / 11), in 1/64 px steps once stored. */
function meshOf(face: number): Float32Array {
  return Float32Array.from({ length: 478 * 3 }, (_, i) => {
    const [p, axis] = [Math.floor(i / 3), i % 3];
    return axis === 0 ? 100 + face + p / 7 : axis === 1 ? 200 + 2 * face - p / 3 : -p / 11;
  });
}

/** A document of `frames` frames with one face each, its sidecar written and both committed into `dir`. */
async function analyzedPair(dir: string, frames = 6): Promise<{ documentPath: string; doc: AnnotationDocument }> {
  const documentPath = path.join(dir, 'clip.mp4.emotion.json');
  const doc = makeDocument(makeFrames(frames, 0.2, [1]));
  const writer = new MeshSidecarWriter(meshSidecarPathFor(documentPath));
  for (const frame of doc.frames) {
    await writer.add(frame.index, frame.timeSec, 1, meshOf(frame.index));
    frame.faces[0]!.geometry = exportFixture().frames[0]!.faces[0]!.geometry!;
  }
  const sidecar = await writer.finish();
  assert.ok(sidecar);
  doc.provenance.settings.geometry = true;
  doc.geometry = { status: 'ok', layout: geometryLayout(), mesh: sidecar.link };
  await commitDocument(documentPath, doc, sidecar);
  return { documentPath, doc };
}

describe('geometry in the document', () => {
  it('a version 4 document opens as before: geometry not analysed, the setting off, every face and label unchanged', () => {
    const current = makeDocument();
    const v4 = JSON.parse(JSON.stringify({ ...current, schemaVersion: 4 })) as Record<string, unknown> & { provenance: { settings: Record<string, unknown> } };
    delete v4.geometry;
    delete v4.provenance.settings.geometry;
    assert.notDeepEqual(annotationProblems(v4), [], 'as written, a version 4 document is not a valid current one');
    const opened = parseAnnotationDocument(JSON.stringify(v4), '/data/old.mp4.emotion.json');
    assert.equal(opened.geometry.status, 'not-analysed');
    assert.match(opened.geometry.reason ?? '', /analyse again/);
    assert.equal(opened.provenance.settings.geometry, false);
    assert.deepEqual(opened.frames, current.frames);
    assert.deepEqual(annotationProblems(opened), []);
  });

  it('the schema takes a face\'s measures or its failure, and refuses arrays of the wrong length or values out of range', () => {
    const doc = exportFixture();
    assert.deepEqual(annotationProblems(doc), []);
    const measured = doc.frames[0]!.faces[0]!;
    assert.ok(measured.geometry && !('status' in measured.geometry));
    measured.geometry.blendshapes = measured.geometry.blendshapes.slice(1);
    measured.geometry.actionUnits[3] = 1.5;
    doc.frames[1]!.faces[0]!.geometry = { status: 'failed' } as never;
    const problems = annotationProblems(doc).join('\n');
    assert.match(problems, /\/frames\/0\/faces\/0\/geometry/);
    assert.match(problems, /\/frames\/1\/faces\/0\/geometry/);
    const layout = exportFixture();
    layout.geometry.layout.pose = ['pitchDeg', 'yawDeg', 'rollDeg', 'xCm', 'yCm', 'zCm'];
    assert.match(annotationProblems(layout).join('\n'), /\/geometry\/layout\/pose/);
  });

  it('a corrections merge keeps the new analysis\'s geometry and its sidecar link', () => {
    const previous = exportFixture();
    const next = exportFixture();
    next.geometry.mesh = { ...next.geometry.mesh!, sha256: '1'.repeat(64), rows: 11 };
    previous.corrections = [correction(previous.frames[2]!, 1, 'sad')];
    const { document } = mergeCorrections(previous, next);
    assert.deepEqual(document.geometry, next.geometry);
    assert.equal(document.corrections.length, 1);
    assert.deepEqual(document.frames.map((f) => f.faces.map((face) => face.geometry)), next.frames.map((f) => f.faces.map((face) => face.geometry)));
  });
});

describe('the mesh sidecar', () => {
  it('is written with its document, holds one row per face, and reads back in DuckDB to 1/64 pixel', async () => {
    const temp = makeTempDir();
    try {
      // 600 faces: the writer's buffers grow from 8 rows, and a full batch of 512 is flushed before the rest.
      const { documentPath, doc } = await analyzedPair(temp.dir, 600);
      const sidecarPath = meshSidecarPathFor(documentPath);
      assert.equal(path.basename(sidecarPath), 'clip.mp4.emotion.mesh.parquet');
      assert.deepEqual(readdirSync(temp.dir).sort(), ['clip.mp4.emotion.json', 'clip.mp4.emotion.mesh.parquet'], 'no temporary file left');
      assert.deepEqual((await readAnnotationDocument(documentPath)).geometry.mesh, doc.geometry.mesh);
      const bytes = await fs.readFile(sidecarPath);
      assert.equal(bytes.length, doc.geometry.mesh!.bytes);
      const db = await DuckDBInstance.create(':memory:');
      const connection = await db.connect();
      const columns = (await connection.runAndReadAll(`describe select * from '${sidecarPath}'`)).getRowObjects().map((r) => `${String(r.column_name)} ${String(r.column_type)}`);
      assert.deepEqual(columns.slice(0, 3), ['frame INTEGER', 'time_sec DOUBLE', 'track_id INTEGER']);
      assert.deepEqual(columns.slice(3).map((c) => c.replace(/\[\d*\]$/, '[]')), ['mesh_x FLOAT[]', 'mesh_y FLOAT[]', 'mesh_z FLOAT[]']);
      const lengths = (await connection.runAndReadAll(`select distinct len(mesh_x), len(mesh_y), len(mesh_z) from '${sidecarPath}'`)).getRows();
      assert.deepEqual(lengths.map((r) => r.map(Number)), [[478, 478, 478]]);
      // DuckDB counts list elements from 1: point p is [p + 1].
      const rows = (await connection.runAndReadAll(`select frame, track_id, mesh_x[1], mesh_y[478], mesh_z[101], mesh_x[251] from '${sidecarPath}' order by frame`)).getRows();
      assert.equal(rows.length, doc.frames.length);
      for (const [frame, track, x0, y477, z100, x250] of rows) {
        const mesh = meshOf(Number(frame));
        assert.equal(Number(track), 1);
        for (const [value, expected] of [[x0, mesh[0]!], [y477, mesh[3 * 477 + 1]!], [z100, mesh[3 * 100 + 2]!], [x250, mesh[3 * 250]!]] as const) {
          assert.ok(Math.abs(Number(value) - expected) <= 1 / 128 + 1e-4, `${String(value)} vs ${expected}`);
        }
      }
      connection.closeSync();
    } finally {
      temp.cleanup();
    }
  });

  it('is the same bytes when the same faces are written again (its sha256 in the document is reproducible)', async () => {
    const [first, second] = [makeTempDir(), makeTempDir()];
    try {
      const shas = await Promise.all([first, second].map(async (temp) => (await analyzedPair(temp.dir, 20)).doc.geometry.mesh!.sha256));
      // Twice more in one folder: the writer's footer order once changed from one write to the next.
      for (let i = 0; i < 2; i++) shas.push((await analyzedPair(first.dir, 20)).doc.geometry.mesh!.sha256);
      assert.equal(new Set(shas).size, 1, shas.join(', '));
    } finally {
      first.cleanup();
      second.cleanup();
    }
  });

  it('gives the exports their 68 landmarks from the mesh, and a one-line warning naming the file when it is missing or changed', async () => {
    const temp = makeTempDir();
    try {
      const { documentPath, doc } = await analyzedPair(temp.dir);
      const { landmarks, warning } = await loadMeshLandmarks(doc, documentPath);
      assert.equal(warning, undefined);
      const mesh = meshOf(3);
      const nose = IBUG68_FROM_MESH[30]![0]!;
      assert.ok(Math.abs(landmarks!.get(faceKey(3, 1))![60]! - mesh[3 * nose]!) < 1 / 64);
      const sidecarPath = meshSidecarPathFor(documentPath);
      const bytes = await fs.readFile(sidecarPath);
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
      await fs.writeFile(sidecarPath, bytes);
      const changed = await loadMeshLandmarks(doc, documentPath);
      assert.equal(changed.landmarks, undefined);
      assert.ok(changed.warning && !changed.warning.includes('\n') && changed.warning.startsWith(`${sidecarPath}: `), changed.warning);
      assert.match(changed.warning, /does not match its document.*Analyse clip\.mp4 again/);
      await fs.rm(sidecarPath);
      const missing = await readMeshSidecar(doc, documentPath, MESH_COLUMNS.slice(0, 2), 'nothing read');
      assert.ok(missing.status === 'unusable' && /the mesh sidecar is missing; nothing read/.test(missing.warning), JSON.stringify(missing));
      assert.deepEqual(await readMeshSidecar(makeDocument(), documentPath, [], 'x'), { status: 'none' });
    } finally {
      temp.cleanup();
    }
  });

  it('a document that cannot be written leaves the previous pair as it was, and no temporary file', async () => {
    const temp = makeTempDir();
    try {
      const { documentPath } = await analyzedPair(temp.dir);
      const before = { doc: await fs.readFile(documentPath, 'utf8'), sidecar: await fs.readFile(meshSidecarPathFor(documentPath)) };
      const writer = new MeshSidecarWriter(meshSidecarPathFor(documentPath));
      await writer.add(0, 0, 1, meshOf(9));
      const sidecar = (await writer.finish())!;
      const invalid = makeDocument();
      invalid.frames[0]!.faces[0]!.score = 2;
      await assert.rejects(commitDocument(documentPath, invalid, sidecar), /invalid document/);
      // The rename of the document itself fails (a folder where the file should go): the old sidecar comes back.
      const blocked = path.join(temp.dir, 'blocked.emotion.json');
      await fs.mkdir(blocked);
      await fs.mkdir(path.join(blocked, 'inside'));
      await fs.copyFile(meshSidecarPathFor(documentPath), meshSidecarPathFor(blocked));
      const previousBlocked = await fs.readFile(meshSidecarPathFor(blocked));
      const writer2 = new MeshSidecarWriter(meshSidecarPathFor(blocked));
      await writer2.add(0, 0, 1, meshOf(5));
      const sidecar2 = (await writer2.finish())!;
      await assert.rejects(commitDocument(blocked, { ...makeDocument(), geometry: { status: 'ok', layout: geometryLayout(), mesh: sidecar2.link } }, sidecar2));
      assert.deepEqual(await fs.readFile(meshSidecarPathFor(blocked)), previousBlocked, 'the previous sidecar is back');
      assert.equal(await fs.readFile(documentPath, 'utf8'), before.doc);
      assert.deepEqual(await fs.readFile(meshSidecarPathFor(documentPath)), before.sidecar);
      await fs.rm(sidecar.tempPath, { force: true });
      assert.deepEqual(readdirSync(temp.dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
    } finally {
      temp.cleanup();
    }
  });

  it('faces that fit one batch are written at once, in the very bytes the streaming writer gives the same batch', async () => {
    const temp = makeTempDir();
    try {
      const { arrow } = await parquetLibraries();
      // With the sidecar's footer metadata (one key: several would come in a random order, see MESH_METADATA).
      const options = meshWriterOptions();
      for (const rows of [1, 300]) {
        const meshField = meshListType(arrow);
        const axis = (a: number) => Float32Array.from({ length: rows * 478 }, (_, i) => Math.round(meshOf(Math.floor(i / 478))[3 * (i % 478) + a]! * 64) / 64);
        const fields = [new arrow.Field('frame', new arrow.Int32(), false), new arrow.Field('time_sec', new arrow.Float64(), false), ...MESH_COLUMNS.map((name) => new arrow.Field(name, meshField, false))];
        const children = [
          arrow.makeData({ type: new arrow.Int32(), length: rows, data: Int32Array.from({ length: rows }, (_, r) => r) }),
          arrow.makeData({ type: new arrow.Float64(), length: rows, data: Float64Array.from({ length: rows }, (_, r) => r / 5) }),
          ...[0, 1, 2].map((a) => arrow.makeData({ type: meshField, length: rows, nullCount: 0, child: arrow.makeData({ type: new arrow.Float32(), length: rows * 478, data: axis(a) }) })),
        ];
        const batch = new arrow.RecordBatch(new arrow.Schema(fields), arrow.makeData({ type: new arrow.Struct(fields), length: rows, children, nullCount: 0 }));
        const once = await writeParquetOnce(path.join(temp.dir, `once${rows}.parquet`), batch, options);
        const streaming = await ParquetStreamWriter.open(path.join(temp.dir, `stream${rows}.parquet`), options);
        await streaming.write(batch);
        const streamed = await streaming.finish();
        assert.equal(once.rows, rows);
        assert.deepEqual({ ...once, tempPath: '' }, { ...streamed, tempPath: '' }, `${rows} row(s): sha256, bytes and rows`);
        assert.deepEqual(await fs.readFile(once.tempPath), await fs.readFile(streamed.tempPath));
      }
    } finally {
      temp.cleanup();
    }
  });

  it('a document analysed again without geometry keeps no sidecar of the earlier run; an abandoned writer leaves nothing', async () => {
    const temp = makeTempDir();
    try {
      const { documentPath } = await analyzedPair(temp.dir);
      await commitDocument(documentPath, makeDocument(), undefined);
      assert.equal(existsSync(meshSidecarPathFor(documentPath)), false);
      assert.match(serialiseAnnotationDocument(await readAnnotationDocument(documentPath)), /"status": "disabled"/);
      const writer = new MeshSidecarWriter(meshSidecarPathFor(documentPath));
      for (let i = 0; i < 600; i++) await writer.add(i, i / 5, 1, meshOf(i));
      await writer.abandon();
      assert.deepEqual(readdirSync(temp.dir), ['clip.mp4.emotion.json']);
    } finally {
      temp.cleanup();
    }
  });
});
