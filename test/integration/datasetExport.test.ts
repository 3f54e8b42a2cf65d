// One table for a whole dataset: dataset.faces.csv/.parquet and dataset.summary.csv over every document,
// checked with an independent reader (DuckDB's Parquet reader, a development dependency): row counts, column
// types and values against the documents and the CSV.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { serialiseAnnotationDocument } from '../../src/core/document/annotationFile';
import { FACE_COLUMNS, SUMMARY_COLUMNS } from '../../src/core/export/datasetTable';
import { noFfmpegReason, runFfmpeg, sharedVideos } from '../helpers/mediaFixtures';
import { makeTempDir, mediaFile, noMediaReason, repoRoot, skipUnless } from '../helpers/testEnvironment';

const cli = path.join(repoRoot, 'dist', 'cli.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 180_000 });
}

/** Parses RFC 4180 CSV as written (quoted fields may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trimEnd().split('\n')) {
    const cells: string[] = [];
    let cell = '', quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { cells.push(cell); cell = ''; } else cell += ch;
    }
    cells.push(cell);
    rows.push(cells);
  }
  return rows;
}

describe('the dataset table', skipUnless(noMediaReason, noFfmpegReason), () => {
  const temp = makeTempDir();
  after(temp.cleanup);
  let data: string, docs: string, table: string;
  let documents: Map<string, AnnotationDocument>;
  before(async () => {
    data = path.join(temp.dir, 'data');
    docs = path.join(temp.dir, 'docs');
    table = path.join(temp.dir, 'table');
    // A corpus laid out as emotional-face datasets are: a folder per subject, crops and a clip, odd names included.
    for (const [folder, label] of [['subject 01', 'happy'], ['subject_02', 'sad']] as const) {
      mkdirSync(path.join(data, folder), { recursive: true });
      const crops = readdirSync(mediaFile('faces', 'fer2013')).filter((f) => f.startsWith(label)).slice(0, 2);
      for (const crop of crops) copyFileSync(mediaFile('faces', 'fer2013', crop), path.join(data, folder, crop));
    }
    await runFfmpeg(['-i', sharedVideos.pexels(), '-t', '4', '-c', 'copy', path.join(data, 'subject_02', 'clip, take "1".mp4')]);
    const analysed = run(['analyze', data, '--out', docs, '--no-speech']);
    assert.equal(analysed.status, 0, analysed.stderr);
    documents = new Map();
    for (const file of readdirSync(docs, { recursive: true }).map(String).filter((f) => f.endsWith('.emotion.json'))) {
      documents.set(file.slice(0, -'.emotion.json'.length).split(path.sep).join('/'), JSON.parse(readFileSync(path.join(docs, file), 'utf8')) as AnnotationDocument);
    }
    // A reviewer's correction on the clip's third frame.
    const [clipKey, clip] = [...documents.entries()].find(([k]) => k.endsWith('.mp4'))!;
    const face = clip.frames[2]!.faces[0]!;
    clip.corrections.push({ frameIndex: 2, timeSec: clip.frames[2]!.timeSec, trackId: face.trackId, label: 'angry', modelLabel: face.label, createdAt: new Date().toISOString() });
    writeFileSync(path.join(docs, `${clipKey}.emotion.json`), serialiseAnnotationDocument(clip));
    const exported = run(['export', docs, '--format', 'dataset', '--out', table]);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stdout, /✓ dataset: 5 document\(s\)/);
  });

  it('holds one row per sampled face of every document, media paths relative to the inputs, the correction as the final label', () => {
    const csv = parseCsv(readFileSync(path.join(table, 'dataset.faces.csv'), 'utf8'));
    assert.deepEqual(csv[0], FACE_COLUMNS.map((c) => c.name));
    const expected = [...documents.values()].reduce((n, d) => n + d.frames.reduce((m, f) => m + f.faces.length, 0), 0);
    assert.equal(csv.length - 1, expected);
    const paths = new Set(csv.slice(1).map((r) => r[0]));
    assert.deepEqual([...paths].sort(), [...documents.keys()].sort());
    const human = csv.slice(1).filter((r) => r[FACE_COLUMNS.findIndex((c) => c.name === 'label_source')] === 'human');
    assert.equal(human.length, 1);
    assert.equal(human[0]![FACE_COLUMNS.findIndex((c) => c.name === 'label')], 'angry');
  });

  it('the Parquet file reads in DuckDB with the same rows, types and values as the CSV', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const file = path.join(table, 'dataset.faces.parquet').replace(/'/g, "''");
    const described = (await connection.runAndReadAll(`describe select * from read_parquet('${file}')`)).getRowObjects();
    const duckType = { string: 'VARCHAR', int32: 'INTEGER', float64: 'DOUBLE' } as const;
    assert.deepEqual(described.map((d) => [d.column_name, d.column_type]), FACE_COLUMNS.map((c) => [c.name, duckType[c.type]]));
    const rows = (await connection.runAndReadAll(`select * from read_parquet('${file}')`)).getRowObjects();
    const csv = parseCsv(readFileSync(path.join(table, 'dataset.faces.csv'), 'utf8')).slice(1);
    assert.equal(rows.length, csv.length);
    rows.forEach((row, i) => {
      FACE_COLUMNS.forEach((column, c) => {
        const value = row[column.name];
        const cell = csv[i]![c]!;
        if (column.type === 'string') assert.equal(value, cell, `${column.name} row ${i}`);
        else assert.ok(Math.abs(Number(value) - Number(cell)) < 1e-6, `${column.name} row ${i}: ${String(value)} vs ${cell}`);
      });
    });
    const summary = (await connection.runAndReadAll(`select media_path, count(*) n, sum(case when label_source = 'human' then 1 else 0 end) h from read_parquet('${file}') group by 1 order by 1`)).getRowObjects();
    assert.equal(summary.length, documents.size);
    connection.closeSync();
  });

  it('summarises each document: frames, faces, tracks and their labels, corrections', () => {
    const csv = parseCsv(readFileSync(path.join(table, 'dataset.summary.csv'), 'utf8'));
    assert.deepEqual(csv[0], SUMMARY_COLUMNS.map((c) => c.name));
    assert.equal(csv.length - 1, documents.size);
    const col = (name: string) => SUMMARY_COLUMNS.findIndex((c) => c.name === name);
    for (const row of csv.slice(1)) {
      const doc = documents.get(row[col('media_path')]!)!;
      assert.equal(Number(row[col('frames')]), doc.frames.length);
      assert.equal(row[col('track_labels')], doc.tracks.map((t) => `${t.id}:${t.dominantLabel}`).join(' '));
      assert.equal(Number(row[col('corrections')]), doc.corrections.length);
    }
  });
});
