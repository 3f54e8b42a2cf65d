/**
 * The analysis pipeline: one input in, its annotation document written. Every run goes through here (the CLI,
 * the extension's child process, batches, evaluations); the models and worker threads it uses come from the
 * caller (an AnalysisSession), which keeps them loaded from input to input.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readExistingDocument } from '../../document/annotationFile';
import { commitDocument } from '../../document/documentCommit';
import { meshSidecarPathFor, MeshSidecarWriter } from '../../document/meshSidecar';
import type { PreparedSidecar } from '../../document/meshSidecar';
import { CancelledError, isCancelled, throwIfAborted } from '../../errors';
import { videoExtent } from '../../media/decodedExtent';
import { isAudioPath } from '../../media/inputFiles';
import type { DecodedExtent } from '../../media/decodedExtent';
import { locateFfmpeg } from '../../media/ffmpegTools';
import { probeMedia } from '../../media/probe';
import { cachedSha256 } from '../../models/download';
import { STAGE } from '../../profiling/stageProfile';
import { probedImageSha256, probeImageWithSharp } from '../../vision/imageDecoding';
import { outputPathOf } from '../analysisRequest';
import type { AnalysisOutcome, AnalysisProgress, AnalysisRequest } from '../analysisRequest';
import { analyzeAudio } from './audioStage';
import { analyzedSettings, buildDocument, mergeInto, noFaces, outcomeOf } from './documentAssembly';
import { analyzeFaces } from './faceStage';
import { analyzeSpeakers } from './speakerStage';
import type { PipelineResources } from './pipelineResources';

export interface AnalysisHooks {
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
}

/**
 * Analyses one input with the given models and workers: probe, then faces and audio at the same time (frames
 * on the worker pool fed by one ffmpeg, audio in speech and voice workers fed by another), then the timeline,
 * then the document, written atomically only when everything succeeded, so a failed or cancelled run leaves
 * no file behind.
 */
export async function analyzeMedia(request: AnalysisRequest, resources: PipelineResources, hooks: AnalysisHooks = {}): Promise<AnalysisOutcome> {
  const started = Date.now();
  const input = path.resolve(request.input);
  const report = hooks.onProgress ?? (() => undefined);
  const outputPath = outputPathOf(request);
  throwIfAborted(hooks.signal, input);

  // An existing document is read first: if it is invalid we stop before spending minutes on analysis.
  const previous = request.existingDocument === 'merge' ? await readExistingDocument(outputPath) : undefined;

  // The face workers load their models while ffprobe runs (one after the other, the cores stood idle). A speech
  // recording needs none.
  if (!isAudioPath(input)) resources.prepareFaceEngine(request, report);
  report({ kind: 'stage', stage: 'probe', message: 'Reading media information' });
  const tools = () => locateFfmpeg({ ffmpegPath: request.ffmpeg.ffmpegPath, ffprobePath: request.ffmpeg.ffprobePath });
  const probe = (await probeImageWithSharp(input)) ?? (await probeMedia(await tools(), input, hooks.signal));

  // Internal abort: a failure in one stage stops the others at once.
  const controller = new AbortController();
  const stopAll = () => controller.abort();
  hooks.signal?.addEventListener('abort', stopAll, { once: true });
  // Every face's mesh streams into the sidecar as frames come; it is put in place with the document, or removed.
  const meshes = analyzedSettings(request.settings, probe).geometry ? new MeshSidecarWriter(meshSidecarPathFor(outputPath)) : undefined;
  // Its Parquet libraries load while the workers load their models, not after the last frame.
  if (meshes) MeshSidecarWriter.prepare();
  let sidecar: PreparedSidecar | undefined;
  let handedOver = false;
  try {
    const imageSha256 = probedImageSha256(probe);
    const hashing = imageSha256 ? Promise.resolve(imageSha256) : cachedSha256(input);
    hashing.catch(() => undefined);
    const stageHooks = { signal: controller.signal, onProgress: report, ...(resources.profile ? { profile: resources.profile } : {}) };
    const faceHooks = { ...stageHooks, ...(meshes ? { meshes } : {}) };
    const audio = analyzeAudio(tools, input, probe, request, stageHooks, {
      speech: resources.speechWorkers,
      voice: resources.voiceWorkers,
      vad: () => resources.vadModel(request),
    });
    audio.catch(() => undefined);
    const faces = await (probe.kind === 'audio'
      ? Promise.resolve(noFaces(request))
      : resources.useFaceEngine(request, report, controller.signal, (engine) => analyzeFaces(tools, input, probe, request, engine, faceHooks))
    ).catch((error: unknown) => {
      controller.abort();
      throw error;
    });
    const audioResult = await audio;
    const speakers = probe.kind === 'audio' ? undefined : await analyzeSpeakers(tools, input, probe, request, faces, audioResult, resources, stageHooks);
    const sha256 = await hashing;
    throwIfAborted(hooks.signal, input);
    sidecar = await meshes?.finish();

    report({ kind: 'stage', stage: 'timeline', message: 'Building the timeline' });
    const decoded: DecodedExtent = { video: videoExtent(faces.frames.at(-1)?.timeSec, probe), audio: audioResult.audioDecodedSec };
    const assemble = () => {
      const built = buildDocument({ request, input, outputPath, probe, sha256, faces, audio: audioResult, decoded, started, speakers, ...(sidecar ? { mesh: sidecar.link } : {}) });
      return previous ? mergeInto(previous, built) : { document: built, merge: undefined };
    };
    const { document, merge } = resources.profile ? resources.profile.time(STAGE.document, assemble) : assemble();
    if (merge && merge.unplaced.length > 0) {
      const message = `${merge.unplaced.length} earlier correction(s) could not be placed on the new analysis; they are kept under unplacedCorrections`;
      document.warnings.push(message);
      report({ kind: 'warning', message });
    }

    throwIfAborted(hooks.signal, input);
    report({ kind: 'stage', stage: 'write', message: `Writing ${path.basename(outputPath)}` });
    await fs.mkdir(path.dirname(outputPath), { recursive: true });
    handedOver = true;
    await commitDocument(outputPath, document, sidecar);
    return outcomeOf(document, input, outputPath, merge, started);
  } catch (error) {
    await meshes?.abandon();
    if (sidecar && !handedOver) await fs.rm(sidecar.tempPath, { force: true });
    if (hooks.signal?.aborted || isCancelled(error)) throw new CancelledError(input);
    throw error;
  } finally {
    hooks.signal?.removeEventListener('abort', stopAll);
    controller.abort();
  }
}
