// Face geometry on the product path: `emotion-lens analyze` on real clips with the real models, its documents
// and their mesh sidecars read back (the Parquet by DuckDB, an independent reader). Defaults give every face its
// measures and a sidecar whose meshes lie on the face; --no-geometry gives neither; the Pexels clip laughs (AU12,
// AU6) more than it cries; turning a clip in its plane by known angles changes the documents' roll by those
// angles and mirroring it flips yaw; re-analysis keeps corrections and writes a new sidecar; a damaged sidecar
// is one warning line on export; the dataset export carries the geometry and the meshes.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, promises as fs, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { readAnnotationDocument, writeAnnotationDocument } from '../../src/core/document/annotationFile';
import { meshSidecarPathFor } from '../../src/core/document/meshSidecar';
import type { AnnotationDocument, FaceRecord } from '../../src/shared/annotationDocument';
import type { FaceGeometryMeasures } from '../../src/shared/faceGeometry';
import { ACTION_UNIT_FIELDS, BLENDSHAPES, geometryMeasured } from '../../src/shared/faceGeometry';
import { runCli } from '../helpers/cliRunner';
import { parseCsv } from '../helpers/exportParsers';
import { noFfmpegReason, runFfmpeg, sharedVideos } from '../helpers/mediaFixtures';
import { readFeatLike } from '../helpers/pyFeatReader';
import { makeTempDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';

const canRun = skipUnless(noModelsReason, noMediaReason, noFfmpegReason);
const ROTATIONS = [-30, -15, 15, 30];
const AU = (au: string) => ACTION_UNIT_FIELDS.indexOf(`${au}_estimate`);

function measuredFaces(doc: AnnotationDocument): { timeSec: number; frame: number; face: FaceRecord; geometry: FaceGeometryMeasures }[] {
  return doc.frames.flatMap((f) => f.faces.flatMap((face) => (geometryMeasured(face.geometry) ? [{ timeSec: f.timeSec, frame: f.index, face, geometry: face.geometry }] : [])));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('face geometry through emotion-lens analyze', canRun, () => {
  const temp = makeTempDir();
  const defaults = path.join(temp.dir, 'defaults');
  const turned = path.join(temp.dir, 'turned');
  let db: DuckDBInstance;
  let sql: DuckDBConnection;
  let obama: AnnotationDocument;
  const obamaPath = path.join(defaults, 'obama.mp4');

  before(async () => {
    mkdirSync(defaults);
    mkdirSync(turned);
    await runFfmpeg(['-t', '8', '-i', sharedVideos.obama(), '-c', 'copy', obamaPath]);
    // The Pexels face: the whole clip, and 6 s of it turned in its plane and mirrored, all in one batch.
    copyFileSync(sharedVideos.pexels(), path.join(turned, 'pexels.mp4'));
    const plain = path.join(turned, 'plain.mp4');
    await runFfmpeg(['-t', '6', '-i', sharedVideos.pexels(), '-an', '-c:v', 'libx264', '-crf', '18', plain]);
    // ffmpeg's rotate turns clockwise for a positive angle; the document's roll counts counter-clockwise.
    for (const degrees of ROTATIONS) await runFfmpeg(['-i', plain, '-vf', `rotate=${degrees}*PI/180:fillcolor=black`, '-c:v', 'libx264', '-crf', '18', path.join(turned, `turned${degrees}.mp4`)]);
    await runFfmpeg(['-i', plain, '-vf', 'hflip', '-c:v', 'libx264', '-crf', '18', path.join(turned, 'mirrored.mp4')]);
    const [analysed, batch] = [await runCli(['analyze', obamaPath]), await runCli(['analyze', turned, '--no-speech', '--no-voice'])];
    assert.equal(analysed.code, 0, analysed.stderr);
    assert.equal(batch.code, 0, batch.stderr);
    obama = await readAnnotationDocument(`${obamaPath}.emotion.json`);
    db = await DuckDBInstance.create(':memory:');
    sql = await db.connect();
  });
  after(() => {
    sql?.closeSync();
    temp.cleanup();
  });

  it('with defaults, every face has pose, gaze, 51 blendshapes and 20 AU estimates, and the models are in the provenance', () => {
    assert.equal(obama.geometry.status, 'ok');
    assert.equal(obama.provenance.settings.geometry, true);
    assert.deepEqual(obama.provenance.models.filter((m) => m.role === 'faceMesh' || m.role === 'blendshapes').map((m) => m.id), ['mediapipe_face_mesh_v2', 'mediapipe_face_blendshapes_v2']);
    const faces = obama.frames.flatMap((f) => f.faces);
    const measured = measuredFaces(obama);
    assert.ok(faces.length >= 30, `${faces.length} faces`);
    assert.ok(measured.length >= 0.95 * faces.length, `${measured.length} of ${faces.length} faces have geometry`);
    for (const { geometry } of measured) {
      assert.equal(geometry.blendshapes.length, BLENDSHAPES.length);
      assert.equal(geometry.actionUnits.length, 20);
      assert.ok(geometry.presence >= 0.5 && geometry.pose.every(Number.isFinite) && geometry.gaze.every(Number.isFinite));
      assert.ok(Math.abs(geometry.pose[0]!) < 60 && geometry.pose[5]! < 0, 'a face in front of the camera');
    }
    for (const face of faces) if (!geometryMeasured(face.geometry)) assert.ok(face.geometry && face.geometry.reason.length > 0 && face.label, 'a failure has its reason and keeps its label');
  });

  it('the sidecar has a row of 478 x 3 points per measured face, as linked, and the meshes lie on their faces', async () => {
    const sidecar = meshSidecarPathFor(`${obamaPath}.emotion.json`);
    const link = obama.geometry.mesh!;
    assert.equal(path.basename(sidecar), link.path);
    assert.equal((await fs.stat(sidecar)).size, link.bytes);
    const lengths = (await sql.runAndReadAll(`select distinct len(mesh_x), len(mesh_y), len(mesh_z) from '${sidecar}'`)).getRows();
    assert.deepEqual(lengths.map((r) => r.map(Number)), [[478, 478, 478]], '478 points of x, y and z per face');
    const rows = (await sql.runAndReadAll(`select frame, track_id, mesh_x, mesh_y from '${sidecar}' order by frame, track_id`)).getRows();
    const points = (value: unknown) => (value as { items: unknown[] }).items.map(Number);
    const measured = measuredFaces(obama);
    assert.equal(rows.length, link.rows);
    assert.equal(rows.length, measured.length);
    for (const row of rows) {
      const face = measured.find((m) => m.frame === Number(row[0]) && m.face.trackId === Number(row[1]));
      assert.ok(face, `row of frame ${String(row[0])} track ${String(row[1])} has a face`);
      const [x, y, w, h] = face.face.box;
      let inside = 0;
      const [xs, ys] = [points(row[2]), points(row[3])];
      for (let p = 0; p < 478; p++) {
        const [px, py] = [xs[p]!, ys[p]!];
        if (px >= x && px <= x + w && py >= y && py <= y + h) inside++;
        assert.ok(px > x - 0.25 * w && px < x + 1.25 * w && py > y - 0.25 * h && py < y + 1.25 * h, 'no point far off the face');
      }
      assert.ok(inside >= 0.9 * 478, `only ${inside} of 478 points inside the box of frame ${String(row[0])}`);
    }
  });

  it('--no-geometry gives no geometry and no sidecar, also where an earlier analysis left one', async () => {
    const dir = path.join(temp.dir, 'no-geometry');
    mkdirSync(dir);
    const clip = path.join(dir, 'obama.mp4');
    copyFileSync(obamaPath, clip);
    copyFileSync(`${obamaPath}.emotion.json`, `${clip}.emotion.json`);
    copyFileSync(meshSidecarPathFor(`${obamaPath}.emotion.json`), meshSidecarPathFor(`${clip}.emotion.json`));
    const result = await runCli(['analyze', clip, '--no-geometry', '--no-speech', '--no-voice']);
    assert.equal(result.code, 0, result.stderr);
    const doc = await readAnnotationDocument(`${clip}.emotion.json`);
    assert.equal(doc.geometry.status, 'disabled');
    assert.equal(doc.geometry.mesh, undefined);
    assert.ok(doc.frames.some((f) => f.faces.length > 0) && doc.frames.every((f) => f.faces.every((face) => face.geometry === undefined)));
    assert.ok(!doc.provenance.models.some((m) => m.role === 'faceMesh'));
    assert.deepEqual((await fs.readdir(dir)).sort(), ['obama.mp4', 'obama.mp4.emotion.json']);
  });

  it('on the Pexels clip, the documents AU12 and AU6 are higher from 10 s (laughing) than in 0-6 s (crying)', async () => {
    const faces = measuredFaces(await readAnnotationDocument(path.join(turned, 'pexels.mp4.emotion.json')));
    const mean = (au: string, from: number, to: number) => {
      const values = faces.filter((f) => f.timeSec >= from && f.timeSec < to).map((f) => f.geometry.actionUnits[AU(au)]!);
      assert.ok(values.length >= 10, `${values.length} faces in ${from}-${to} s`);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    const [crying, laughing] = [{ au12: mean('AU12', 0, 6), au6: mean('AU06', 0, 6) }, { au12: mean('AU12', 10, 30), au6: mean('AU06', 10, 30) }];
    console.log(`Pexels: crying AU12 ${crying.au12.toFixed(3)} AU6 ${crying.au6.toFixed(3)}; laughing AU12 ${laughing.au12.toFixed(3)} AU6 ${laughing.au6.toFixed(3)}`);
    assert.ok(laughing.au12 > crying.au12 + 0.1, 'AU12');
    assert.ok(laughing.au6 > crying.au6 + 0.1, 'AU6');
  });

  it('turning the clip in its plane changes the documents roll by the angle (within 3 degrees); mirroring it flips yaw', async () => {
    const poses = async (name: string) => new Map(measuredFaces(await readAnnotationDocument(path.join(turned, `${name}.mp4.emotion.json`))).map((f) => [f.timeSec, f.geometry.pose]));
    const plain = await poses('plain');
    const paired = (other: Map<number, number[]>) => [...other].filter(([t]) => plain.has(t)).map(([t, pose]) => [plain.get(t)!, pose] as const);
    for (const degrees of ROTATIONS) {
      const pairs = paired(await poses(`turned${degrees}`));
      assert.ok(pairs.length >= 15, `${pairs.length} frames with a face in both`);
      const change = median(pairs.map(([a, b]) => b[2]! - a[2]!));
      console.log(`turned ${degrees}° clockwise: median roll change ${change.toFixed(2)}° over ${pairs.length} frames`);
      assert.ok(Math.abs(change + degrees) < 3, `roll changed by ${change.toFixed(2)}° for a ${degrees}° clockwise turn`);
    }
    const mirrored = paired(await poses('mirrored'));
    const [yaw, yawMirrored] = [median(mirrored.map(([a]) => a[0]!)), median(mirrored.map(([, b]) => b[0]!))];
    console.log(`mirrored: median yaw ${yaw.toFixed(1)}° -> ${yawMirrored.toFixed(1)}°`);
    assert.ok(Math.abs(yaw) > 3, `the face should be turned (yaw ${yaw})`);
    assert.equal(Math.sign(yawMirrored), -Math.sign(yaw));
    assert.ok(Math.abs(yaw + yawMirrored) < 3, 'the same size');
  });

  it('analysing again keeps the corrections and writes a new sidecar the document links', async () => {
    const dir = path.join(temp.dir, 'again');
    mkdirSync(dir);
    const clip = path.join(dir, 'obama.mp4');
    copyFileSync(obamaPath, clip);
    const documentPath = `${clip}.emotion.json`;
    const first = await runCli(['analyze', clip, '--no-speech', '--no-voice']);
    assert.equal(first.code, 0, first.stderr);
    const doc = await readAnnotationDocument(documentPath);
    const frame = doc.frames.find((f) => f.faces.length > 0 && f.index > 5)!;
    const face = frame.faces[0]!;
    const label = doc.labels.find((l) => l !== face.label)!;
    doc.corrections.push({ frameIndex: frame.index, timeSec: frame.timeSec, trackId: face.trackId, label, modelLabel: face.label, createdAt: new Date().toISOString(), annotator: 'tester' });
    await writeAnnotationDocument(documentPath, doc);
    await fs.writeFile(meshSidecarPathFor(documentPath), 'an older sidecar');
    const again = await runCli(['analyze', clip, '--no-speech', '--no-voice', '--force']);
    assert.equal(again.code, 0, again.stderr);
    const merged = await readAnnotationDocument(documentPath);
    assert.equal(merged.corrections.length, 1);
    assert.equal(merged.corrections[0]!.label, label);
    const bytes = await fs.readFile(meshSidecarPathFor(documentPath));
    assert.equal(bytes.length, merged.geometry.mesh!.bytes);
    const { createHash } = await import('node:crypto');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), merged.geometry.mesh!.sha256);
    const count = (await sql.runAndReadAll(`select count(*) from '${meshSidecarPathFor(documentPath)}'`)).getRows()[0]![0];
    assert.equal(Number(count), merged.geometry.mesh!.rows);
  });

  it('exports fill the landmark, pose and AU columns; a damaged sidecar is one warning line naming it, and the rest is exported', async () => {
    const out = path.join(temp.dir, 'exports');
    const documentPath = `${obamaPath}.emotion.json`;
    const good = await runCli(['export', documentPath, '--format', 'pyfeat,csv', '--out', out]);
    assert.equal(good.code, 0, good.stderr);
    assert.equal(good.stderr, '');
    const fex = readFeatLike(await fs.readFile(path.join(out, 'obama.mp4.pyfeat.csv'), 'utf8'));
    const filled = (name: string) => (fex.column(name) as number[]).filter((v) => !Number.isNaN(v)).length;
    for (const name of ['x_0', 'y_67', 'Pitch', 'Roll', 'Yaw', 'AU12']) assert.ok(filled(name) >= measuredFaces(obama).length, name);
    const [header, ...rows] = parseCsv(await fs.readFile(path.join(out, 'obama.mp4.frames.csv'), 'utf8'));
    for (const name of ['pose_Rx', 'gaze_angle_x', 'x_30', 'AU12_r']) assert.ok(rows.filter((r) => r[header!.indexOf(name)] !== '').length >= measuredFaces(obama).length, name);

    const damaged = path.join(temp.dir, 'damaged');
    mkdirSync(damaged);
    copyFileSync(documentPath, path.join(damaged, 'obama.mp4.emotion.json'));
    const sidecar = meshSidecarPathFor(path.join(damaged, 'obama.mp4.emotion.json'));
    const bytes = await fs.readFile(meshSidecarPathFor(documentPath));
    await fs.writeFile(sidecar, bytes.subarray(0, bytes.length - 1000));
    const warned = await runCli(['export', path.join(damaged, 'obama.mp4.emotion.json'), '--format', 'pyfeat', '--out', damaged]);
    assert.equal(warned.code, 0, warned.stderr);
    const lines = warned.stderr.trim().split('\n');
    assert.equal(lines.length, 1, warned.stderr);
    assert.ok(lines[0]!.startsWith(`warning: ${sidecar}: `) && /does not match its document.*again/.test(lines[0]!), lines[0]);
    const partial = readFeatLike(await fs.readFile(path.join(damaged, 'obama.mp4.pyfeat.csv'), 'utf8'));
    assert.ok((partial.column('x_0') as number[]).every(Number.isNaN) && (partial.column('Pitch') as number[]).some((v) => !Number.isNaN(v)));
  });

  it('the dataset export has the geometry columns and every mesh in dataset.mesh.parquet', async () => {
    const out = path.join(temp.dir, 'dataset');
    const result = await runCli(['export', defaults, '--format', 'dataset', '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(path.join(out, 'dataset.mesh.parquet')));
    const meshRows = (await sql.runAndReadAll(`select media_path, count(*), count(distinct frame) from '${path.join(out, 'dataset.mesh.parquet')}' group by media_path`)).getRows();
    assert.deepEqual(meshRows.map((r) => [r[0], Number(r[1])]), [['obama.mp4', obama.geometry.mesh!.rows]]);
    const faces = (await sql.runAndReadAll(`select count(*) filter (where geometry_status = 'ok'), avg(pose_yaw_deg), max("AU12_estimate"), max(blendshape_jawOpen) from '${path.join(out, 'dataset.faces.parquet')}'`)).getRows()[0]!;
    assert.equal(Number(faces[0]), measuredFaces(obama).length);
    assert.ok([faces[1], faces[2], faces[3]].every((v) => Number.isFinite(Number(v))));
  });
});
