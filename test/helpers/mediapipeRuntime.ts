// MediaPipe's own Face Landmarker (npm @mediapipe/tasks-vision, wasm, CPU delegate) in headless Debian Chromium
// driven by playwright-core: a local http server serves the package's wasm, the .task and the test frames
// (PNG files written by the test), so nothing comes from the network. Shared by the runtime agreement test.
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from './testEnvironment';

export const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
export const noChromiumReason = chromiumPath ? undefined : 'Chromium is not installed (/usr/bin/chromium); install it with apt-get install chromium';
const tasksVision = path.join(repoRoot, 'node_modules', '@mediapipe', 'tasks-vision');
export const noTasksVisionReason = existsSync(path.join(tasksVision, 'wasm')) ? undefined : '@mediapipe/tasks-vision is not installed (npm ci)';

/** What MediaPipe returns for one frame: detected, then tracked from its own landmarks (VIDEO mode, same frame twice). */
export interface MediaPipeFrameResult {
  /** 478 x (x, y, z) normalised, from the detection ROI. */
  detected: number[];
  /** 478 x (x, y, z) normalised, from the ROI MediaPipe derives from `detected`. */
  tracked: number[];
  /** 52 scores of the tracked call. */
  blendshapes: number[];
  /** 52 scores of the detection call (from MediaPipe's own detector ROI). */
  detectedBlendshapes: number[];
  /** Facial transformation matrix of the tracked call, column-major 4x4. */
  matrix: number[];
}

const PAGE = `<!doctype html><html><body><script type="module">
import { FilesetResolver, FaceLandmarker } from '/tasks-vision/vision_bundle.mjs';
const flat = (list) => list.flatMap((p) => [p.x, p.y, p.z]);
window.landmarks = async (names) => {
  const fileset = await FilesetResolver.forVisionTasks('/tasks-vision/wasm');
  const results = [];
  for (const name of names) {
    // A fresh landmarker per frame: its first call detects, the second tracks from the first call's landmarks.
    const landmarker = await FaceLandmarker.createFromOptions(fileset, { baseOptions: { modelAssetPath: '/face_landmarker.task', delegate: 'CPU' },
      runningMode: 'VIDEO', numFaces: 1, outputFaceBlendshapes: true, outputFacialTransformationMatrixes: true });
    const image = new Image();
    image.src = '/frames/' + name;
    await image.decode();
    const first = landmarker.detectForVideo(image, 1000);
    const second = landmarker.detectForVideo(image, 1033);
    landmarker.close();
    if (first.faceLandmarks.length === 0 || second.faceLandmarks.length === 0) throw new Error('MediaPipe found no face in ' + name);
    results.push({ detected: flat(first.faceLandmarks[0]), tracked: flat(second.faceLandmarks[0]),
      blendshapes: second.faceBlendshapes[0].categories.map((c) => c.score),
      detectedBlendshapes: first.faceBlendshapes[0].categories.map((c) => c.score), matrix: Array.from(second.facialTransformationMatrixes[0].data) });
  }
  return results;
};
window.ready = true;
</script></body></html>`;

const TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.png': 'image/png' };

/** Runs MediaPipe's Face Landmarker on each PNG of `framesDir` named in `names`, with `taskFile`. */
export async function runMediaPipe(taskFile: string, framesDir: string, names: readonly string[]): Promise<MediaPipeFrameResult[]> {
  const server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const file = url === '/face_landmarker.task' ? taskFile
      : url.startsWith('/tasks-vision/') ? path.join(tasksVision, path.normalize(url.slice('/tasks-vision/'.length)))
      : url.startsWith('/frames/') ? path.join(framesDir, path.basename(url)) : undefined;
    if (url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    } else if (file && existsSync(file)) {
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: chromiumPath!,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction('window.ready === true');
    return (await page.evaluate(`window.landmarks(${JSON.stringify(names)})`)) as MediaPipeFrameResult[];
  } finally {
    await browser.close();
    server.close();
  }
}
