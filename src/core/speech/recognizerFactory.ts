// One entry point for both engines (used by the speech worker).
import { createSherpaRecognizer } from './sherpaRecognizer';
import type { SpeechModelConfig, SpeechRecognizer } from './speechTypes';
import { createVoskRecognizer } from './voskRecognizer';

export async function createRecognizer(config: SpeechModelConfig): Promise<SpeechRecognizer> {
  return config.engine === 'vosk' ? createVoskRecognizer(config) : await createSherpaRecognizer(config);
}
