// One entry point for both engines (used by the speech worker).
import { createSherpaEngine } from './sherpaRecognizer';
import type { SpeechEngine, SpeechModelConfig } from './speechTypes';
import { createVoskEngine } from './voskRecognizer';

export async function createSpeechEngine(config: SpeechModelConfig): Promise<SpeechEngine> {
  return config.engine === 'vosk' ? createVoskEngine(config) : await createSherpaEngine(config);
}
