// One table for a whole dataset: dataset.faces.csv/.parquet, dataset.voice.csv/.parquet and dataset.summary.csv
// over every document, checked with an independent reader (DuckDB's Parquet reader, a development dependency):
// row counts, column types and values against the documents and the CSV. The voice table is checked on
// hand-built recordings laid out as emotional-speech corpora are (a folder per actor, or RAVDESS's flat
// folder with the actor in the file name), so its arousal on each speaker's scale can be computed back exactly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AnnotationDocument, VoiceFeatures, VoiceSegment } from '../../src/shared/annotationDocument';
import { serialiseAnnotationDocument } from '../../src/core/document/annotationFile';
import type { ColumnSpec } from '../../src/core/export/datasetColumns';
import { FACE_COLUMNS, SUMMARY_COLUMNS, VOICE_COLUMNS } from '../../src/core/export/datasetTable';
import { makeDocument } from '../helpers/documentBuilder';
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

const noCliReason = existsSync(cli) ? undefined : `${cli} is not built (npm run build)`;
const duckType = { string: 'VARCHAR', int32: 'INTEGER', float64: 'DOUBLE' } as const;

/** The Parquet file has the columns' names and types, and the same rows and values as the CSV (nulls as empty cells). */
async function assertParquetMatchesCsv(connection: DuckDBConnection, parquet: string, csvFile: string, columns: readonly ColumnSpec[]): Promise<void> {
  const file = parquet.replace(/'/g, "''");
  const described = (await connection.runAndReadAll(`describe select * from read_parquet('${file}')`)).getRowObjects();
  assert.deepEqual(described.map((d) => [d.column_name, d.column_type]), columns.map((c) => [c.name, duckType[c.type]]));
  const rows = (await connection.runAndReadAll(`select * from read_parquet('${file}')`)).getRowObjects();
  const csv = parseCsv(readFileSync(csvFile, 'utf8')).slice(1);
  assert.equal(rows.length, csv.length);
  rows.forEach((row, i) => {
    columns.forEach((column, c) => {
      const value = row[column.name];
      const cell = csv[i]![c]!;
      if (value === null) assert.equal(cell, '', `${column.name} row ${i} is null in Parquet, '${cell}' in the CSV`);
      else if (column.type === 'string') assert.equal(value, cell, `${column.name} row ${i}`);
      else assert.ok(cell !== '' && Math.abs(Number(value) - Number(cell)) < 1e-6, `${column.name} row ${i}: ${String(value)} vs ${cell}`);
    });
  });
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
        // Nullable columns (the adapted suggestion, the annotator) are null in Parquet where the CSV cell is empty.
        if (value === null) assert.equal(cell, '', `${column.name} row ${i} is null in Parquet, '${cell}' in the CSV`);
        else if (column.type === 'string') assert.equal(value, cell, `${column.name} row ${i}`);
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
      // The speaker group is the media's folder below the inputs.
      assert.equal(row[col('speaker_group')], row[col('media_path')]!.split('/').slice(0, -1).join('/'));
      assert.equal(row[col('voice_status')], doc.voice.status);
      assert.equal(Number(row[col('voice_segments')]), doc.voice.segments.length);
    }
  });

  it('has a voice table with a row per voice segment (the images have none), its Parquet file matching it', async () => {
    const csv = parseCsv(readFileSync(path.join(table, 'dataset.voice.csv'), 'utf8'));
    assert.deepEqual(csv[0], VOICE_COLUMNS.map((c) => c.name));
    assert.equal(csv.length - 1, [...documents.values()].reduce((n, d) => n + d.voice.segments.length, 0));
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await assertParquetMatchesCsv(connection, path.join(table, 'dataset.voice.parquet'), path.join(table, 'dataset.voice.csv'), VOICE_COLUMNS);
    connection.closeSync();
  });
});

/** Measures of a voice segment from one number (deterministic, varied, some null as Praat leaves them). */
function features(seed: number): VoiceFeatures {
  const f = (k: number) => Math.round((Math.sin(seed * 12.9898 + k * 78.233) * 0.5 + 0.5) * 1e4) / 1e4;
  return {
    f0MeanSemitones: 30 + 5 * f(1), f0SdSemitones: 2 * f(2), f0P20Semitones: 28 + 3 * f(3), f0P50Semitones: 30 + 3 * f(4), f0P80Semitones: 33 + 3 * f(5),
    intensityDb: 55 + 15 * f(6), loudness: 4 + 10 * f(7), jitterLocal: seed % 4 === 0 ? null : 0.03 * f(8), shimmerLocalDb: seed % 4 === 0 ? null : f(9), hnrDb: 5 + 15 * f(10), voicedFraction: f(11),
  };
}

/** A voice segment's two arousal measures: mean F0 (semitones) and loudness (sones); null: nothing voiced. */
type Measured = [pitch: number, sones: number] | null;

/**
 * An analysed speech recording (no picture) with voice segments of the given pitch and loudness, one second each
 * with a pause between; `wordsPerSecond` on every other one.
 */
function recording(mediaName: string, measured: Measured[], seed: number): AnnotationDocument {
  const doc = makeDocument([]);
  const segments: VoiceSegment[] = measured.map((m, i) => ({
    startSec: i * 1.5, endSec: i * 1.5 + 1, ...features(seed * 10 + i), f0MeanSemitones: m?.[0] ?? null, loudness: m?.[1] ?? 0.2,
    arousalRaw: m ? seed / 10 : null, arousal: null, ...(i % 2 === 0 ? { wordsPerSecond: 2 + i / 4 } : {}),
  }));
  doc.media = { ...doc.media, path: mediaName, sha256: (seed % 16).toString(16).repeat(64), kind: 'audio', durationSec: measured.length * 1.5, fps: 0, width: 0, height: 0, hasAudio: true, audioCodec: 'pcm_s16le', analysedUntilSec: { audio: measured.length * 1.5 } };
  doc.transcript = { status: 'disabled', reason: 'turned off with --no-speech', words: [], utterances: [] };
  doc.voice = { status: 'ok', segmentation: 'energy', baseline: { scope: 'none', reason: 'too little speech for a baseline within the recording' }, overall: features(seed), segments };
  return doc;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Expected arousal of a segment on its group's scale, computed here independently (docs/voice.md): each measure
 * (F0 semitones, log2 sones) as (x - median) / max(1.4826 MAD, a quarter of 2 st or 0.4), weighted 1 : 3. The
 * segments are all one second long, so the duration-weighted median is the plain one. Null below two segments.
 */
function expectedArousal(group: [number, number][], m: Measured): number | null {
  if (!m || group.length < 2) return null;
  const z = (values: number[], value: number, floor: number) => {
    const centre = median(values);
    return (value - centre) / Math.max(1.4826 * median(values.map((v) => Math.abs(v - centre))), floor);
  };
  return 0.25 * z(group.map((g) => g[0]), m[0], 0.5) + 0.75 * z(group.map((g) => Math.log2(g[1])), Math.log2(m[1]), 0.1);
}

describe('the dataset voice table', skipUnless(noCliReason), () => {
  const temp = makeTempDir();
  after(temp.cleanup);
  /** Speaker (RAVDESS actor number) → recordings (RAVDESS file name → pitch and loudness per segment). */
  const corpus: Record<string, Record<string, Measured[]>> = {
    // Two actors with several recordings: actor 02 speaks 10 semitones higher and twice as loud, which the per-group scale removes.
    '01': { '03-01-01-01-01-01-01.wav': [[30, 4], [29, 3.5], null, [30.5, 4.2]], '03-01-05-02-01-01-01.wav': [[34, 9], [33, 8], [35, 11]], '03-01-02-01-02-01-01.wav': [[28, 3], [29.5, 3.8]] },
    '02': { '03-01-01-01-01-01-02.wav': [[40, 8], [39.5, 7.5], [40.5, 8.2], [40, 8.1], null], '03-01-05-02-01-01-02.wav': [[44, 18], [45, 20]] },
    // One measured segment only: too few for a scale.
    '03': { '03-01-03-01-01-01-03.wav': [[36, 6], null] },
    // Never varies: the scale's spread is its floor, and every segment is at the usual, 0.
    '04': { '03-01-04-01-01-01-04.wav': [[33, 5], [33, 5]], '03-01-04-01-02-01-04.wav': [[33, 5]] },
  };
  /** A recording whose name the speaker pattern does not match. */
  const NOTES: Measured[] = [[31, 5], [30, 4], [34, 7]];
  const documents = new Map<string, AnnotationDocument>();
  let byFolder: string, byPattern: string, folderRun: ReturnType<typeof run>, patternRun: ReturnType<typeof run>;

  before(() => {
    const folders = path.join(temp.dir, 'by-actor');
    const flat = path.join(temp.dir, 'ravdess');
    let seed = 1;
    for (const [actor, recordings] of Object.entries(corpus)) {
      for (const [name, measured] of Object.entries(recordings)) {
        const doc = recording(name, measured, seed++);
        documents.set(name, doc);
        mkdirSync(path.join(folders, `Actor_${actor}`), { recursive: true });
        writeFileSync(path.join(folders, `Actor_${actor}`, `${name}.emotion.json`), serialiseAnnotationDocument(doc));
        mkdirSync(flat, { recursive: true });
        writeFileSync(path.join(flat, `${name}.emotion.json`), serialiseAnnotationDocument(doc));
      }
    }
    // A file the speaker pattern does not match: grouped by its folder, with a warning.
    const notes = recording('notes.wav', NOTES, seed++);
    documents.set('notes.wav', notes);
    writeFileSync(path.join(flat, 'notes.wav.emotion.json'), serialiseAnnotationDocument(notes));
    byFolder = path.join(temp.dir, 'table-by-folder');
    byPattern = path.join(temp.dir, 'table-by-pattern');
    folderRun = run(['export', folders, '--format', 'dataset', '--out', byFolder]);
    patternRun = run(['export', flat, '--format', 'dataset', '--out', byPattern, '--speaker-pattern', '-(\\d+)\\.wav$']);
  });

  const rowsOf = (dir: string) => {
    const [header, ...rows] = parseCsv(readFileSync(path.join(dir, 'dataset.voice.csv'), 'utf8'));
    return { header: header!, rows, col: (name: string) => header!.indexOf(name) };
  };

  /** The measured segments of a speaker's recordings, as the documents have them. */
  const groupOf = (actor: string) => Object.values(corpus[actor]!).flat().filter((m): m is [number, number] => m !== null);

  it('holds a row per voice segment with media path, speaker group (the folder), every measure as in the documents', () => {
    assert.equal(folderRun.status, 0, folderRun.stderr);
    const total = Object.values(corpus).reduce((n, r) => n + Object.values(r).reduce((m, segments) => m + segments.length, 0), 0);
    assert.match(folderRun.stdout, new RegExp(`✓ dataset: 8 document\\(s\\), 0 face row\\(s\\), ${total} voice row\\(s\\) in 4 speaker group\\(s\\)`));
    assert.equal(folderRun.stderr, '');
    const { header, rows, col } = rowsOf(byFolder);
    assert.deepEqual(header, VOICE_COLUMNS.map((c) => c.name));
    assert.equal(rows.length, total);
    const fields: [string, keyof VoiceSegment][] = [
      ['start_sec', 'startSec'], ['end_sec', 'endSec'], ['f0_mean_semitones', 'f0MeanSemitones'], ['f0_sd_semitones', 'f0SdSemitones'], ['f0_p20_semitones', 'f0P20Semitones'],
      ['f0_p50_semitones', 'f0P50Semitones'], ['f0_p80_semitones', 'f0P80Semitones'], ['intensity_db', 'intensityDb'], ['loudness', 'loudness'], ['jitter_local', 'jitterLocal'],
      ['shimmer_local_db', 'shimmerLocalDb'], ['hnr_db', 'hnrDb'], ['voiced_fraction', 'voicedFraction'], ['words_per_second', 'wordsPerSecond'], ['arousal_raw', 'arousalRaw'], ['recording_arousal', 'arousal'],
    ];
    for (const row of rows) {
      const [folder, name] = row[col('media_path')]!.split('/');
      assert.equal(row[col('speaker_group')], folder);
      assert.equal(folder, `Actor_${/-(\d+)\.wav$/.exec(name!)![1]}`);
      const doc = documents.get(name!)!;
      assert.equal(row[col('media_sha256')], doc.media.sha256);
      const segment = doc.voice.segments[Number(row[col('segment')])]!;
      for (const [column, field] of fields) {
        const value = segment[field] as number | null | undefined;
        const cell = row[col(column)]!;
        if (value === null || value === undefined) assert.equal(cell, '', `${column} of ${name}`);
        else assert.ok(Math.abs(Number(cell) - value) < 1e-6, `${column} of ${name}: ${cell} vs ${value}`);
      }
    }
  });

  it('arousal is on the speaker group\'s scale: robust z-scores of pitch and loudness, 1 : 3; null below two measured segments', () => {
    const { rows, col } = rowsOf(byFolder);
    const groups = new Set(rows.map((row) => row[col('speaker_group')]!));
    assert.deepEqual([...groups].sort(), ['Actor_01', 'Actor_02', 'Actor_03', 'Actor_04']);
    for (const row of rows) {
      const [folder, name] = row[col('media_path')]!.split('/');
      const m = corpus[folder!.slice('Actor_'.length)]![name!]![Number(row[col('segment')])]!;
      const expected = expectedArousal(groupOf(folder!.slice('Actor_'.length)), m);
      const cell = row[col('arousal')]!;
      if (expected === null) assert.equal(cell, '', `${name}#${row[col('segment')]}: no score expected`);
      else assert.ok(Math.abs(Number(cell) - expected) < 1e-5, `${name}#${row[col('segment')]}: ${cell} vs ${expected}`);
    }
    const scoresOf = (name: string) => rows.filter((r) => r[col('media_path')]!.endsWith(name)).map((r) => r[col('arousal')]!).filter((c) => c !== '').map(Number);
    assert.deepEqual([...scoresOf('03-01-04-01-01-01-04.wav'), ...scoresOf('03-01-04-01-02-01-04.wav')], [0, 0, 0], 'a monotonous speaker is always at their usual');
    // On each speaker's own scale, the livelier recordings of both actors score alike though actor 02's voice is higher and louder.
    const meanOf = (name: string) => scoresOf(name).reduce((a, b) => a + b, 0) / scoresOf(name).length;
    assert.ok(meanOf('03-01-05-02-01-01-01.wav') > 1 && meanOf('03-01-05-02-01-01-02.wav') > 1);
    assert.ok(meanOf('03-01-01-01-01-01-02.wav') < 0.5 && meanOf('03-01-02-01-02-01-01.wav') < 0);
  });

  it('the summary gives each document its speaker group, voice status, segments, speech seconds, F0 and mean arousal', () => {
    const [header, ...rows] = parseCsv(readFileSync(path.join(byFolder, 'dataset.summary.csv'), 'utf8'));
    assert.deepEqual(header, SUMMARY_COLUMNS.map((c) => c.name));
    const col = (name: string) => header!.indexOf(name);
    const voice = rowsOf(byFolder);
    assert.equal(rows.length, 8);
    for (const row of rows) {
      const name = row[col('media_path')]!.split('/')[1]!;
      const doc = documents.get(name)!;
      assert.equal(row[col('kind')], 'audio');
      assert.equal(row[col('speaker_group')], row[col('media_path')]!.split('/')[0]);
      assert.equal(row[col('voice_status')], 'ok');
      assert.equal(Number(row[col('voice_segments')]), doc.voice.segments.length);
      assert.ok(Math.abs(Number(row[col('speech_sec')]) - doc.voice.segments.length) < 1e-6, 'segments are a second each');
      assert.ok(Math.abs(Number(row[col('f0_mean_semitones')]) - doc.voice.overall!.f0MeanSemitones!) < 1e-6);
      assert.equal(Number(row[col('analysed_until_sec')]), doc.media.analysedUntilSec!.audio);
      const scores = voice.rows.filter((r) => r[voice.col('media_path')] === row[col('media_path')]).map((r) => r[voice.col('arousal')]!).filter((c) => c !== '').map(Number);
      // Segments are a second each: the length-weighted mean is the plain one.
      if (scores.length === 0) assert.equal(row[col('mean_arousal')], '', `${name} has no scores`);
      else assert.ok(Math.abs(Number(row[col('mean_arousal')]) - scores.reduce((a, b) => a + b, 0) / scores.length) < 1e-5, name);
    }
  });

  it('the voice Parquet file reads in DuckDB with the CSV\'s rows, types and values, and DuckDB finds each scored group centred on its usual', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const parquet = path.join(byFolder, 'dataset.voice.parquet');
    await assertParquetMatchesCsv(connection, parquet, path.join(byFolder, 'dataset.voice.csv'), VOICE_COLUMNS);
    const stats = (await connection.runAndReadAll(`select speaker_group g, count(arousal) n, min(arousal) lo, max(arousal) hi from read_parquet('${parquet.replace(/'/g, "''")}') group by 1 order by 1`)).getRowObjects();
    assert.deepEqual(stats.map((r) => [r.g, Number(r.n)]), [['Actor_01', 8], ['Actor_02', 6], ['Actor_03', 0], ['Actor_04', 3]]);
    for (const r of stats.slice(0, 2)) assert.ok(Number(r.lo) < 0 && Number(r.hi) > 0, `${String(r.g)}: scores from ${String(r.lo)} to ${String(r.hi)} straddle the usual`);
    connection.closeSync();
  });

  it('--speaker-pattern groups by the first capture group of the file name; a name it does not match is warned about and keeps its folder', () => {
    assert.equal(patternRun.status, 0, patternRun.stderr);
    const warnings = patternRun.stderr.split('\n').filter((l) => l !== '');
    assert.equal(warnings.length, 1, patternRun.stderr);
    assert.match(warnings[0]!, /^warning: notes\.wav: --speaker-pattern .* does not match the file name notes\.wav; grouped by its folder 'ravdess'$/);
    assert.match(patternRun.stdout, /in 5 speaker group\(s\)/);
    const pattern = rowsOf(byPattern);
    const folder = rowsOf(byFolder);
    const groupOf = (name: string) => pattern.rows.find((r) => r[pattern.col('media_path')] === name)![pattern.col('speaker_group')];
    assert.equal(groupOf('03-01-05-02-01-01-01.wav'), '01');
    assert.equal(groupOf('03-01-01-01-01-01-02.wav'), '02');
    assert.equal(groupOf('notes.wav'), 'ravdess');
    // The same speakers, found by name instead of by folder: every recording scores exactly as before.
    const key = (r: string[], t: typeof pattern) => `${r[t.col('media_path')]!.split('/').pop()}#${r[t.col('segment')]}`;
    const before = new Map(folder.rows.map((r) => [key(r, folder), r[folder.col('arousal')]]));
    const matched = pattern.rows.filter((r) => r[pattern.col('media_path')] !== 'notes.wav');
    assert.equal(matched.length, folder.rows.length);
    for (const r of matched) assert.equal(r[pattern.col('arousal')], before.get(key(r, pattern)), key(r, pattern));
    // The unmatched file is a group of its own here, scored against itself.
    const notes = pattern.rows.filter((r) => r[pattern.col('media_path')] === 'notes.wav').map((r) => Number(r[pattern.col('arousal')]));
    assert.deepEqual(notes.map((z) => Math.round(z * 1e4) / 1e4), NOTES.map((m) => Math.round(expectedArousal(NOTES as [number, number][], m)! * 1e4) / 1e4));
  });
});
