import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
const root = path.resolve('node_modules/@mediapipe/tasks-vision');
const files: Record<string, string> = {
  '/task': '/work/shared/models/mediapipe_face_landmarker/face_landmarker.task',
  '/portrait.jpg': '/work/shared/models/mediapipe_face_landmarker/golden/portrait.jpg',
};
const types: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.jpg': 'image/jpeg' };
const html = `<!doctype html><html><body><script type="module">
import { FilesetResolver, FaceLandmarker } from '/tv/vision_bundle.mjs';
window.run = async () => {
  const fileset = await FilesetResolver.forVisionTasks('/tv/wasm');
  const lm = await FaceLandmarker.createFromOptions(fileset, { baseOptions: { modelAssetPath: '/task', delegate: 'CPU' }, runningMode: 'IMAGE', numFaces: 1, outputFaceBlendshapes: true, outputFacialTransformationMatrixes: true });
  const img = new Image(); img.src = '/portrait.jpg'; await img.decode();
  const r = lm.detect(img);
  return { n: r.faceLandmarks.length, lm0: r.faceLandmarks[0]?.slice(0, 2), bs: r.faceBlendshapes[0]?.categories.slice(0, 5).map((c) => c.score), m: r.facialTransformationMatrixes[0]?.data };
};
window.ready = true;
</script></body></html>`;
const server = createServer((req, res) => {
  const url = (req.url ?? '/').split('?')[0]!;
  let file: string | undefined = files[url];
  if (url === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(html); return; }
  if (!file && url.startsWith('/tv/')) file = path.join(root, url.slice(4));
  if (!file || !existsSync(file)) { res.writeHead(404); res.end(); console.log('404', url); return; }
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
server.listen(0, '127.0.0.1', async () => {
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage();
  page.on('console', (m) => console.log('console:', m.text().slice(0, 200)));
  page.on('requestfailed', (r) => console.log('failed', r.url()));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction('window.ready === true');
  const t0 = Date.now();
  const out = await page.evaluate('window.run()');
  console.log(JSON.stringify(out), Date.now() - t0, 'ms');
  await browser.close(); server.close();
});
