// Bundles every Node entry point (CLI, analysis child process, worker threads, extension host, scripts).
// Native packages stay external: their .node binaries load shared libraries relative to themselves.
const esbuild = require('esbuild');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Entry name (becomes dist/<name>.js) -> source file. Worker files must keep these names: see src/core/workers/workerEntry.ts. */
const nodeEntries = {
  extension: 'src/extension/extension.ts',
  cli: 'src/cli/main.ts',
  analysisProcess: 'src/core/engine/childProcess/analysisProcess.ts',
  frameWorker: 'src/core/vision/frameWorker.ts',
  speechWorker: 'src/core/speech/speechWorker.ts',
  voiceWorker: 'src/core/voice/voiceWorker.ts',
  adaptationWorker: 'src/core/adaptation/adaptationWorker.ts',
};

/**
 * The annotation document's schema validator, compiled at build time (scripts/build/schemaValidatorSource.ts)
 * instead of in every process that starts (src/core/document/schemaValidator.ts says why).
 */
const precompiledSchemaValidator = {
  name: 'precompiled-schema-validator',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]core[\\/]document[\\/]schemaValidator\.ts$/ }, () => {
      const { require: tsxRequire } = require('tsx/cjs/api');
      const { schemaValidatorSource } = tsxRequire('./scripts/build/schemaValidatorSource.ts', __filename);
      return { contents: schemaValidatorSource(), loader: 'js', resolveDir: path.join(__dirname, 'src', 'core', 'document') };
    });
  },
};

// parquet-wasm loads its .wasm from beside its own file.
const external = ['vscode', 'onnxruntime-node', 'sherpa-onnx-node', 'koffi', 'sharp', 'parquet-wasm'];

/** The review webview: browser code, one IIFE (+ its CSS) loaded by the webview page with a nonce. */
const webviewEntries = {
  webview: 'src/webview/main.ts',
  // The "Compare reviews" panel (dist/compare.js + compare.css).
  compare: 'src/webview/compare/main.ts',
};

/** The notebook renderer: browser code loaded by VS Code's notebook output webview as an ES module exporting `activate`. */
const notebookRendererEntries = {
  notebookRenderer: 'src/notebook/notebookRenderer.ts',
};

async function main() {
  const entries = Object.fromEntries(
    Object.entries(nodeEntries).filter(([, file]) => require('node:fs').existsSync(path.join(__dirname, file))),
  );
  const ctx = await esbuild.context({
    entryPoints: entries,
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    external,
    plugins: [precompiledSchemaValidator],
    logLevel: 'warning',
  });
  const webviewCtx = await webviewContext();
  const rendererCtx = await notebookRendererContext();
  const contexts = [ctx, ...(webviewCtx ? [webviewCtx] : []), ...(rendererCtx ? [rendererCtx] : [])];
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  for (const c of contexts) {
    await c.rebuild();
    await c.dispose();
  }
  // The CLI is run directly as `npx emotion-lens`; it needs a shebang and the executable bit.
  const fs = require('node:fs');
  const cli = path.join(__dirname, 'dist', 'cli.js');
  if (fs.existsSync(cli)) {
    const text = fs.readFileSync(cli, 'utf8');
    if (!text.startsWith('#!')) fs.writeFileSync(cli, '#!/usr/bin/env node\n' + text);
    fs.chmodSync(cli, 0o755);
  }
}

/** A separate build for the webview: browser platform, IIFE, no Node built-ins; undefined until its source exists. */
function webviewContext() {
  return browserContext(webviewEntries, 'iife');
}

/** The notebook renderer's build: browser platform, ESM (VS Code imports it and calls its `activate`). */
function notebookRendererContext() {
  return browserContext(notebookRendererEntries, 'esm');
}

/** A browser bundle of the entries whose source exists (undefined when none does). */
async function browserContext(entryMap, format) {
  const entries = Object.fromEntries(
    Object.entries(entryMap).filter(([, file]) => require('node:fs').existsSync(path.join(__dirname, file))),
  );
  if (Object.keys(entries).length === 0) return undefined;
  return esbuild.context({
    entryPoints: entries,
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    format,
    target: ['chrome120'],
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
