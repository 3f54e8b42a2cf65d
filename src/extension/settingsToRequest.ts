/** The engine's AnalysisRequest for one video, from the `emotionLens.*` settings. No vscode import. */
import path from 'node:path';
import type { AnalysisRequest } from '../core/engine/analysisRequest';
import { makeRequest } from '../core/engine/analysisRequest';
import type { ExtensionSettings } from './extensionSettings';
import { outputFolderFor, resolveExecutableSetting, resolveSettingPath } from './settingPaths';
import type { RequestContext } from './settingPaths';

/** The engine request for one video; the models folder from settings is searched before the cache. */
export function requestFromSettings(video: string, settings: ExtensionSettings, context: RequestContext): AnalysisRequest {
  const videoDir = path.dirname(path.resolve(video));
  return makeRequest(path.resolve(video), {
    outDir: outputFolderFor(video, settings, context),
    settings: {
      sampleFps: settings.sampleFps,
      smoothingSec: settings.smoothingSec,
      minFaceScore: settings.minFaceScore,
      minFaceSize: settings.minFaceSize,
      expressionModels: settings.expressionModels,
      flipAverage: settings.flipAverage,
      speech: settings.speech,
      voice: settings.voice,
      geometry: settings.geometry,
      speakers: settings.speakers,
    },
    models: { modelsDir: resolveSettingPath(settings.modelsFolder, videoDir, context), cacheDir: context.cacheDir, allowDownload: false },
    speech: {
      voskModelDir: resolveSettingPath(settings.voskModelFolder, videoDir, context),
      speechModelDir: resolveSettingPath(settings.speechModelFolder, videoDir, context),
    },
    ffmpeg: { ffmpegPath: resolveExecutableSetting(settings.ffmpegPath, videoDir, context) },
    existingDocument: 'merge',
  });
}
