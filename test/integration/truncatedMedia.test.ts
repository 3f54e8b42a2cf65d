// A truncated video (the first third of the Reagan clip's bytes: its header still promises 26.1 s) decodes
// without an error up to where its data stops. The document must say how far the analysis got and warn.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { makeRequest } from '../../src/core/engine/analysisRequest';
import { analyzeOnce } from '../../src/core/engine/analysisSession';
import { makeTruncatedMp4, noFfmpegReason, sharedVideos } from '../helpers/mediaFixtures';
import { makeTempDir, modelsDir, noMediaReason, noModelsReason, repoRoot, skipUnless } from '../helpers/testEnvironment';

const canRun = skipUnless(noModelsReason, noMediaReason, noFfmpegReason);
const TRUNCATED = /^(video|audio) ends at (\d+\.\d) s of (\d+\.\d) s: the file looks truncated/;

describe('a truncated video', canRun, () => {
  const temp = makeTempDir();
  after(temp.cleanup);
  let truncated: string;
  let doc: AnnotationDocument;
  let whole: AnnotationDocument;
  before(async () => {
    truncated = await makeTruncatedMp4(temp.dir, 'moov-first', { from: sharedVideos.reagan(), fraction: 1 / 3, name: 'reagan cut.mp4' });
    const speech = { speechModelDir: path.join(modelsDir!, 'asr_zipformer_gigaspeech_3.3M_int8') };
    const run = async (input: string) => readAnnotationDocument((await analyzeOnce(makeRequest(input, { outDir: temp.dir, models: { modelsDir }, speech }))).outputPath);
    doc = await run(truncated);
    whole = await run(sharedVideos.reagan());
  });

  it('records how far video and audio were decoded, short of the duration the header promises', () => {
    const lastFrame = doc.frames.at(-1)!.timeSec;
    const until = doc.media.analysedUntilSec!;
    console.log(`truncated: duration ${doc.media.durationSec} s, last frame ${lastFrame} s, analysed until ${JSON.stringify(until)}`);
    assert.ok(doc.media.durationSec > 26, `the header still says ${doc.media.durationSec} s`);
    assert.ok(lastFrame > 4 && lastFrame < 12, `frames stop at ${lastFrame} s`);
    assert.ok(until.video! >= lastFrame && until.video! - lastFrame < 0.1, `video until ${until.video} s, last frame ${lastFrame} s`);
    assert.ok(Math.abs(until.audio! - until.video!) < 1, `audio until ${until.audio} s`);
  });

  it('warns for each stream, naming where it ends and where it should', () => {
    const warnings = doc.warnings.filter((w) => TRUNCATED.test(w));
    assert.deepEqual(warnings.map((w) => TRUNCATED.exec(w)![1]), ['video', 'audio'], doc.warnings.join('\n'));
    const [, , endsAt, of] = TRUNCATED.exec(warnings[0]!)!;
    assert.equal(Number(endsAt), Math.round(doc.media.analysedUntilSec!.video! * 10) / 10);
    assert.equal(Number(of), Math.round(doc.media.durationSec * 10) / 10);
  });

  it('the whole clip is analysed to its end without such a warning', () => {
    const until = whole.media.analysedUntilSec!;
    assert.ok(whole.media.durationSec - until.video! < 0.3, `video until ${until.video} of ${whole.media.durationSec}`);
    assert.ok(whole.media.durationSec - until.audio! < 0.3, `audio until ${until.audio} of ${whole.media.durationSec}`);
    assert.deepEqual(whole.warnings.filter((w) => TRUNCATED.test(w)), []);
  });

  it('the CLI prints the warning with the file name', async () => {
    const out = path.join(temp.dir, 'cli');
    await fs.mkdir(out);
    const cli = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'analyze', truncated, '--out', out, '--models', modelsDir!, '--no-speech'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(cli.status, 0, cli.stderr);
    const line = cli.stderr.split('\n').find((l) => l.includes('looks truncated'));
    assert.ok(line, cli.stderr);
    assert.match(line, /^warning: .*reagan cut\.mp4: video ends at \d+\.\d s of 26\.1 s: the file looks truncated/);
  });
});
