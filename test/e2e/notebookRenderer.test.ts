// The notebook renderer in a real VS Code (code-server + Chromium): a stored .ipynb whose cell outputs hold a
// real annotation document (the engine's, on the shared Obama speech clip, with two human corrections) and a
// JSON object that is not one. No kernel: the built-in ipynb extension reads the stored outputs and VS Code
// renders them with the extension's renderer, in the notebook's output webview. Checks the chart (an SVG per
// person), the sentiment line, the transcript, the summary's human labels and the one-line error, saves a
// screenshot of the output, then "Open full review" opens the document in the review editor.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { makeRequest } from '../../src/core/engine/analysisRequest';
import { AnalysisSession } from '../../src/core/engine/analysisSession';
import { ANNOTATION_MIME } from '../../src/notebook/rendererProtocol';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { eventually } from '../helpers/eventually';
import { sharedVideos } from '../helpers/mediaFixtures';
import { modelsDir, noMediaReason, noModelsReason, repoRoot, skipUnless } from '../helpers/testEnvironment';
import { framesPainted, Workbench } from '../helpers/vscodeWorkbench';

const VIDEO = 'obama.mp4';
const DOCUMENT = `${VIDEO}.emotion.json`;
const NOTEBOOK = 'analysis.ipynb';

/** Analyses the clip beside itself with the real engine and adds two human corrections (as a reviewer would). */
async function analyzedDocument(workspace: string): Promise<AnnotationDocument> {
  const input = path.join(workspace, VIDEO);
  copyFileSync(sharedVideos.obama(), input);
  const session = new AnalysisSession();
  try {
    const outcome = await session.analyze(makeRequest(input, { outDir: workspace, models: { modelsDir }, existingDocument: 'replace' }));
    assert.equal(path.basename(outcome.outputPath), DOCUMENT);
  } finally {
    await session.close();
  }
  const file = path.join(workspace, DOCUMENT);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as AnnotationDocument;
  const faced = doc.frames.filter((f) => f.faces.length > 0).slice(0, 2);
  doc.corrections = faced.map((f) => {
    const face = f.faces[0]!;
    return { frameIndex: f.index, timeSec: f.timeSec, trackId: face.trackId, label: doc.labels.find((l) => l !== face.label)!, modelLabel: face.label, createdAt: new Date().toISOString() };
  });
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return doc;
}

/** A stored notebook (nbformat 4) as Jupyter writes it after running the documented one-liner, plus a bad output. */
function notebookWith(doc: AnnotationDocument): string {
  const cell = (id: string, source: string[], data: Record<string, unknown>) => ({
    cell_type: 'code', execution_count: 1, id, metadata: {}, source,
    outputs: [{ output_type: 'display_data', data, metadata: {} }],
  });
  return JSON.stringify({
    cells: [
      cell('whole', [
        'from IPython.display import display; import json\n',
        `display({"${ANNOTATION_MIME}": json.load(open("${DOCUMENT}"))}, raw=True)`,
      ], { [ANNOTATION_MIME]: doc }),
      cell('bad', [`display({"${ANNOTATION_MIME}": {"hello": "world"}}, raw=True)`], { [ANNOTATION_MIME]: { hello: 'world' } }),
    ],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  }, null, 1);
}

/** The frame (inside the notebook's output webview) that holds the rendered outputs. */
async function outputFrame(wb: Workbench, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of wb.page.frames()) {
      if (await frame.locator('.el-nb').count().catch(() => 0) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error('no rendered Emotion Lens output in any frame of the page');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Opens the notebook from the Explorer in the notebook editor (retried while the ipynb type is not registered). */
function openNotebook(wb: Workbench): Promise<void> {
  return wb.openFromExplorer(NOTEBOOK, wb.page.locator('.notebookOverlay:visible'), 'notebook editor');
}

describe('the notebook renderer in a real VS Code', skipUnless(noModelsReason, noMediaReason), () => {
  let wb: Workbench;
  let doc: AnnotationDocument;

  before(async () => {
    wb = await Workbench.open({
      name: 'notebook-renderer',
      populate: async (workspace) => {
        doc = await analyzedDocument(workspace);
        writeFileSync(path.join(workspace, NOTEBOOK), notebookWith(doc));
      },
      settings: { 'emotionLens.modelsFolder': modelsDir },
    });
  });
  after(async () => wb?.close());

  it('renders the stored output inline: a chart per person, the sentiment line, the summary and the transcript; a bad output in one line', async () => {
    const trackIds = [...new Set(doc.frames.flatMap((f) => f.faces.map((face) => face.trackId)))].sort((a, b) => a - b);
    assert.ok(trackIds.length >= 1, 'the engine found a face in the clip');
    assert.equal(doc.transcript.status, 'ok', `transcript ${doc.transcript.status}: ${doc.transcript.reason ?? ''}`);
    assert.ok(doc.transcript.utterances.length > 0, 'the clip has utterances');

    let frame: Frame | undefined;
    await wb.step('notebook-open', async () => {
      await openNotebook(wb);
      frame = await outputFrame(wb);
      await frame.locator('.el-nb svg.el-nb-track').first().waitFor({ timeout: 30_000 });
      await frame.locator('.el-nb-error').first().waitFor({ timeout: 30_000 });
      await frame.evaluate(framesPainted);
    });
    // Outputs are not necessarily in cell order in the webview's DOM.
    const out = frame!.locator('.el-nb:not(.el-nb-error)').first();

    assert.equal(await out.locator('.el-nb-title').innerText(), VIDEO);
    const charts = out.locator('svg.el-nb-track');
    assert.deepEqual(await charts.evaluateAll((svgs) => svgs.map((s) => Number(s.getAttribute('data-track-id')))), trackIds, 'one chart per person');
    for (let i = 0; i < trackIds.length; i++) {
      // Runs in the page (the host tsconfig has no DOM lib, hence the cast for getComputedStyle).
      const series = await charts.nth(i).locator('path.el-nb-series').evaluateAll((paths) => paths.map((p) => ({
        label: p.getAttribute('data-label'),
        d: (p.getAttribute('d') ?? '').length,
        fill: (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(p).fill,
      })));
      assert.deepEqual(series.map((s) => s.label), doc.labels, `person ${trackIds[i]}: a series per label`);
      assert.ok(series.every((s) => s.d > 10), 'every series is drawn');
      // Coloured by the theme: the variables resolve to real colours, not the currentColor fallback for all.
      assert.ok(new Set(series.map((s) => s.fill)).size >= 5, `theme colours: ${series.map((s) => s.fill).join(', ')}`);
    }
    assert.equal(await out.locator('svg.el-nb-sentiment-line').count(), 1, 'the speech sentiment line');
    assert.ok(await out.locator('svg.el-nb-sentiment-line path.el-nb-sentiment').count() >= 1);

    const transcript = await out.locator('.el-nb-transcript').innerText();
    const first = doc.transcript.utterances[0]!.text;
    assert.ok(transcript.includes(first), `the transcript shows "${first}"`);
    assert.equal(await out.locator('.el-nb-transcript li').count(), doc.transcript.utterances.length);

    const summary = await out.locator('.el-nb-summary').innerText();
    for (const id of trackIds) assert.match(summary, new RegExp(`Person ${id}`));
    assert.equal((await out.locator('.el-nb-human-note').innerText()).trim(), "2 human labels (corrections) used in place of the model's.");

    const error = (await frame!.locator('.el-nb-error').innerText()).trim();
    assert.match(error, /^Not an Emotion Lens annotation document: .*"hello"/);
    assert.equal(error.split('\n').length, 1);

    // The output itself, for a look at its theming and legibility: in the light theme, then in a dark one.
    const shot = path.join(wb.results, 'notebook-output-light.png');
    await out.screenshot({ path: shot });
    console.log(`e2e: notebook output screenshot ${path.relative(repoRoot, shot)}; ${trackIds.length} chart(s), ${doc.transcript.utterances.length} utterances`);
    const fill = (): Promise<string> => out.locator('path.el-nb-series').first().evaluate((p) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(p).fill);
    const lightFill = await fill();
    const darkFill = await wb.step('theme-dark', async () => {
      await wb.setColorTheme('Dark Modern');
      // VS Code hands the output webview the new theme's variables a little after the workbench changes.
      return eventually(async () => {
        const now = await fill();
        assert.notEqual(now, lightFill, 'the chart follows the theme');
        return now;
      });
    });
    const darkShot = path.join(wb.results, 'notebook-output-dark.png');
    await out.screenshot({ path: darkShot });
    console.log(`e2e: notebook output screenshot ${path.relative(repoRoot, darkShot)} (${lightFill} -> ${darkFill})`);
  });

  it('"Open full review" opens the document in the review editor', async () => {
    const frame = await outputFrame(wb);
    const status = frame.locator('.el-nb-status').first();
    await wb.step('open-full-review', async () => {
      await frame.locator('button.el-nb-open').first().click();
      await wb.tab(DOCUMENT).waitFor({ timeout: 30_000 });
      await wb.reviewPanel().locator('.table-spacer .table-row:not([hidden])').first().waitFor({ timeout: 60_000 });
    });
    assert.match((await status.innerText()).trim(), new RegExp(`^Opened ${DOCUMENT.replace(/\./g, '\\.')} in the review editor\\.$`));
    assert.equal(await wb.tab(NOTEBOOK).count(), 1, 'the notebook stays open beside the review');
  });
});
