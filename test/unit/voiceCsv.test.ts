// voiceCsv.ts: the voice segments CSV read back with csv-parse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmotionLensError } from '../../src/core/errors';
import { exportDocument } from '../../src/core/export/exportFormats';
import { VOICE_CSV_COLUMNS } from '../../src/core/export/voiceCsv';
import { labelStudioTask } from '../../src/core/export/labelStudio';
import { parseCsv } from '../helpers/exportParsers';
import { AUDIO_DOCUMENT_PATH, audioFixture, exportFixture, FIXTURE_DOCUMENT_PATH, VOICE_SEGMENTS } from '../helpers/exportFixture';

describe('the voice CSV', () => {
  const doc = exportFixture();
  const options = { documentPath: FIXTURE_DOCUMENT_PATH };

  it('voice CSV: one row per voice segment with every measure, empty cells for null measures', () => {
    const [header, ...body] = parseCsv(exportDocument(doc, 'voice', options));
    assert.deepEqual(header, [...VOICE_CSV_COLUMNS]);
    assert.deepEqual(header, ['segment', 'start_sec', 'end_sec', 'f0_mean_semitones', 'f0_sd_semitones', 'f0_p20_semitones', 'f0_p50_semitones', 'f0_p80_semitones', 'intensity_db', 'loudness', 'jitter_local', 'shimmer_local_db', 'hnr_db', 'voiced_fraction', 'words_per_second', 'arousal_raw', 'arousal']);
    assert.equal(body.length, VOICE_SEGMENTS.length);
    // The document field behind each column after `segment`, written out here rather than taken from the exporter.
    const fields = ['startSec', 'endSec', 'f0MeanSemitones', 'f0SdSemitones', 'f0P20Semitones', 'f0P50Semitones', 'f0P80Semitones', 'intensityDb', 'loudness', 'jitterLocal', 'shimmerLocalDb', 'hnrDb', 'voicedFraction', 'wordsPerSecond', 'arousalRaw', 'arousal'] as const;
    body.forEach((row, i) => {
      const segment = VOICE_SEGMENTS[i]!;
      assert.equal(row[0], String(i));
      fields.forEach((key, c) => {
        const value = segment[key];
        assert.equal(row[c + 1], value === null || value === undefined ? '' : String(value), `${header![c + 1]} of segment ${i}`);
      });
    });
  });

  it('voice CSV: a document without voice segments has none, with a one-line reason naming it', () => {
    const silent = exportFixture();
    silent.voice = { status: 'no-speech', reason: 'no speech was found (Silero VAD)', segmentation: 'silero-vad', baseline: { scope: 'none', reason: 'no speech' }, segments: [] };
    assert.throws(
      () => exportDocument(silent, 'voice', options),
      (error: unknown) => error instanceof EmotionLensError && error.message.includes(FIXTURE_DOCUMENT_PATH) && /no voice segments \(voice no-speech: no speech was found/.test(error.message) && !error.message.includes('\n'),
    );
  });
});

describe('the voice CSV of an audio recording', () => {
  const doc = audioFixture();
  const audioOptions = { documentPath: AUDIO_DOCUMENT_PATH };

  it('voice CSV: its voice segments; the frames CSV and Label Studio refuse it in one line naming it and saying where to look', () => {
    assert.equal(parseCsv(exportDocument(doc, 'voice', audioOptions)).length, 1 + VOICE_SEGMENTS.length);
    const oneLine = (pattern: RegExp) => (error: unknown) => error instanceof EmotionLensError && error.message.includes(AUDIO_DOCUMENT_PATH) && pattern.test(error.message) && !error.message.includes('\n');
    assert.throws(() => exportDocument(doc, 'csv', audioOptions), oneLine(/cannot export as csv: the per-frame CSV holds video frames, and this document is of an audio file: its voice segments are in the voice CSV \(\.voice\.csv\)/));
    assert.throws(() => exportDocument(doc, 'labelstudio', audioOptions), oneLine(/is of an audio file/));
    assert.throws(() => labelStudioTask(doc, audioOptions), oneLine(/is of an audio file\. Use the json, voice or elan export for audio/));
  });
});
