// `npm run demo [-- --port N]`: the whole product in a browser. Installs code-server and Chromium (cached),
// packages the VSIX, fills demo-workspace/ with two sample videos (a silent face, a speech) and a README, starts code-server with the
// extension installed (it carries its default models, the speech model among them: nothing to configure), prints
// the URL, and runs until Ctrl-C or SIGTERM, then stops every process it started and removes its temporary profile.
//   node --import tsx scripts/vscode/demo.ts [--port 8080]
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureVsix } from './vsixBuild';
import type { CodeServer } from './codeServer';
import { installCodeServer, repoRoot, startCodeServer } from './codeServer';

/** A face without speech (expressions change: crying, then laughing) and a speech with a face (transcript, sentiment). */
const SAMPLE_VIDEO = 'WolfgangLanger_Pexels_face_silent.mp4';
const SPEECH_VIDEO = 'Obama_clip1_face_speech.mp4';
const SAMPLE_VIDEOS = [SAMPLE_VIDEO, SPEECH_VIDEO];
const shared = path.resolve(repoRoot, '..', 'shared');
const workspace = path.join(repoRoot, 'demo-workspace');

function say(line: string): void {
  console.log(`demo: ${line}`);
}

function parsePort(): number {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port ${values.port} is not a port number (1-65535)`);
  return port;
}

/** True when nothing listens on the loopback port (code-server binds 127.0.0.1). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function busyPortMessage(port: number): string {
  return `port ${port} is already in use; choose another with: npm run demo -- --port ${port + 1}`;
}

function existingDir(...candidates: (string | undefined)[]): string | undefined {
  return candidates.find((dir) => dir !== undefined && existsSync(dir) && statSync(dir).isDirectory());
}

/** demo-workspace/ (git-ignored, kept between runs so analyses and corrections survive a restart). */
function prepareWorkspace(): void {
  mkdirSync(workspace, { recursive: true });
  const media = existingDir(process.env.EMOTION_LENS_MEDIA, path.join(shared, 'media'));
  for (const name of SAMPLE_VIDEOS) {
    const source = media && path.join(media, 'video', name);
    const target = path.join(workspace, name);
    if (source && existsSync(source)) {
      if (!existsSync(target) || statSync(target).size !== statSync(source).size) copyFileSync(source, target);
    } else if (!existsSync(target)) {
      say(`the sample video ${name} was not found (EMOTION_LENS_MEDIA or ../shared/media/video/): drop your own videos into demo-workspace/`);
    }
  }
  writeFileSync(path.join(workspace, 'README.md'), WORKSPACE_README);
}

const WORKSPACE_README = `# Emotion Lens demo

This folder is made by \`npm run demo\` (it is git-ignored and kept between runs). It holds two clips:

| clip | what is in it | what to look at |
|---|---|---|
| \`${SAMPLE_VIDEO}\` | one woman, no speech: crying in the first seconds, laughing from about 9 s on | the expression chart turning from sad to happy; the table's confidence and the low-confidence flags |
| \`${SPEECH_VIDEO}\` | a face and a speech (an address about an oil spill disaster: "eleven workers lost their lives") | the transcript with word timings, the speech sentiment chart, and face/speech disagreement flags |

Things to try:

1. **Analyze**: right-click a clip in the Explorer and choose **Analyze emotion** (also in the editor title when
   the video is open, and in the command palette: F1, "Emotion Lens"), or right-click this folder and choose
   **Analyze all videos in folder** for both. A progress notification counts the frames (and the speech
   seconds); the log is in the "Emotion Lens" output channel.
2. **Review**: when it finishes, \`<clip>.emotion.json\` opens in the review panel: the video, a chart of each
   expression's probability over time per person, and a table of every sampled face.
3. **Speech** (\`${SPEECH_VIDEO}\`): the **Transcript** beside the video follows playback word by word (click a
   word or an utterance's time to jump there); each utterance carries its sentiment (VADER: negative, neutral,
   positive). Under the expression chart, the **speech sentiment** chart shows it over time: this address reads
   negative. Where a face looks positive over negative words (or the reverse) the span is flagged as a
   **face/speech disagreement**: tick "Face/speech disagree" above the table to list those faces, or press \`D\`
   to jump to the next one. If none is flagged, face and words agree throughout.
4. **Correct with the keyboard** (click the table first): \`↑\`/\`↓\` move, \`Shift+↑\`/\`↓\` select a range,
   \`1\`-\`7\` set the label (numbers on the legend), \`0\` or \`Backspace\` clear a correction,
   \`N\`/\`Shift+N\` next/previous low-confidence frame, \`D\` next face/speech disagreement, \`Space\` play/pause,
   \`Enter\` label menu. \`Ctrl+Z\` undoes, \`Ctrl+S\` saves (corrections are kept apart from the model's labels).
5. **Export**: **Export annotations…** (editor title of the review panel, or right-click the \`.emotion.json\`)
   writes training JSON, CSV, ELAN, WebVTT or Label Studio files beside the document.
6. **Your own videos**: drop mp4, mov, mkv, webm or avi files into this folder, or right-click a folder and choose
   **Analyze all videos in folder**.

Settings: File → Preferences → Settings, search "Emotion Lens" (frames per second, thresholds, models).
`;

/** No model settings: the VSIX carries the default models, the speech model among them. */
function extensionSettings(): Record<string, unknown> {
  // The repository around demo-workspace/ is not the newcomer's: no "open the parent repository?" prompt.
  return { 'git.openRepositoryInParentFolders': 'never' };
}

function banner(url: string): string {
  const line = '='.repeat(Math.max(60, url.length + 8));
  return [
    '', line, '  Emotion Lens is running in VS Code (code-server). Open in your browser:', '', `    ${url}`, '',
    `  Then right-click ${SAMPLE_VIDEO} or ${SPEECH_VIDEO} > Analyze emotion`,
    '  (demo-workspace/README.md says what to look at in each).',
    '  Stop: Ctrl-C', line, '',
  ].join('\n');
}

/** Resolves on the first SIGINT/SIGTERM. Listening from the start keeps a Ctrl-C during start-up from killing
 * this process before it can stop code-server (whose own process group does not get the terminal's signal). */
let interrupted = false;
const signalled = new Promise<string>((resolve) => {
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted = true;
    resolve(`${signal} received`);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
});

/** Resolves when code-server stops answering (it crashed or was killed). */
function watchHealth(server: CodeServer): { stopped: Promise<string>; cancel: () => void } {
  const health = new URL('/healthz', server.url).toString();
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<string>((resolve) => {
    timer = setInterval(() => {
      fetch(health)
        .then((response) => (failures = response.ok ? 0 : failures + 1))
        .catch(() => (failures += 1))
        .finally(() => {
          if (failures >= 3) resolve('code-server stopped answering');
        });
    }, 5000);
  });
  return { stopped, cancel: () => clearInterval(timer) };
}

async function main(): Promise<number> {
  const port = parsePort();
  if (!(await portIsFree(port))) {
    say(busyPortMessage(port));
    return 1;
  }
  say('installing code-server and Chromium if missing (cached after the first run)');
  const binary = installCodeServer();
  if (interrupted) return 130;
  say('building and packaging the extension');
  const vsix = ensureVsix('linux-x64');
  if (interrupted) return 130;
  prepareWorkspace();
  const settings = extensionSettings();
  say(`starting code-server with ${path.relative(repoRoot, vsix)} installed, workspace ${path.relative(repoRoot, workspace)}/`);
  let server: CodeServer;
  try {
    server = await startCodeServer({ binary, vsix, workspace, settings, port });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    say(/EADDRINUSE/.test(message) ? busyPortMessage(port) : message);
    return 1;
  }
  // Whatever ends this process from here on, code-server's process group goes with it (an exit handler cannot
  // wait for it to go, so the temp profile is removed only if nothing writes there any more).
  process.once('exit', () => {
    server.kill();
    try {
      rmSync(server.home, { recursive: true, force: true });
    } catch {
      // still being written by a process on its way out: a temp folder
    }
  });
  console.log(banner(server.url));
  const health = watchHealth(server);
  const why = await Promise.race([signalled, health.stopped]);
  health.cancel();
  say(`${why}: stopping code-server`);
  if (why.startsWith('code-server')) console.error(server.output().split('\n').slice(-20).join('\n'));
  await server.stop();
  say('stopped; demo-workspace/ is kept (delete it to start afresh)');
  return why.startsWith('code-server') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
