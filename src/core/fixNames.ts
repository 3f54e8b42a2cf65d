/**
 * How the face in front of the user (CLI or VS Code) names the fixes that the core's error hints point to:
 * the CLI has flags and commands, the extension has settings and palette commands. Each entry reads inside
 * a hint as its comment shows; an optional entry is left out when the face has no equivalent, and the hint
 * then says what it can without it.
 */
export interface FixNames {
  /** Where the ffmpeg program is chosen: "... or set <ffmpegLocation>". */
  ffmpegLocation: string;
  /** Where the face/expression models folder is given: "place the files in a folder given with <modelsFolder>". */
  modelsFolder: string;
  /** The same as an instruction, when the face words it differently: "<setModelsFolder>, or run ..."; default `set <modelsFolder>`. */
  setModelsFolder?: string;
  /** What downloads the face/expression models: "run <modelDownload>". */
  modelDownload?: string;
  /** Where any speech model folder (Vosk or sherpa-onnx) is given: "point <speechModelFolder> at a complete model folder". */
  speechModelFolder: string;
  /** The same written with its value, when the face writes one: "set <speechModelFolderWithValue> (a Vosk model folder ...)"; default speechModelFolder. */
  speechModelFolderWithValue?: string;
  /** Where a Vosk model folder is given: "point <voskModelFolder> at an unzipped Vosk model folder". */
  voskModelFolder: string;
  /** What downloads the small English Vosk model: "run <voskDownload>". */
  voskDownload?: string;
  /** How to analyse faces with a single thread: "try <singleThread>". */
  singleThread?: string;
}

/** The CLI's wording: the default, so the CLI's messages are the ones it always had. */
export const CLI_FIX_NAMES: Readonly<FixNames> = Object.freeze({
  ffmpegLocation: '--ffmpeg / EMOTION_LENS_FFMPEG',
  modelsFolder: '--models DIR or EMOTION_LENS_MODELS',
  setModelsFolder: 'pass --models DIR, set EMOTION_LENS_MODELS',
  modelDownload: '`emotion-lens models --download`',
  speechModelFolder: '--speech-model',
  speechModelFolderWithValue: '--speech-model DIR',
  voskModelFolder: '--vosk-model',
  voskDownload: '`emotion-lens models --download-vosk`',
  singleThread: '--threads 1',
});

// One process (or worker thread) serves one face, so the choice is process-wide; worker threads and the analysis
// child process get it from their parent when they start.
let current: Readonly<FixNames> = CLI_FIX_NAMES;

/** Makes every hint computed from now on in this thread use `names`. */
export function useFixNames(names: Readonly<FixNames>): void {
  current = Object.freeze({ ...names });
}

/** The names hints use now (the CLI's unless useFixNames chose others). */
export function fixNames(): Readonly<FixNames> {
  return current;
}

/** Every entry of FixNames, and whether it must be present. */
const FIX_NAME_KEYS: Readonly<Record<keyof FixNames, 'required' | 'optional'>> = {
  ffmpegLocation: 'required',
  modelsFolder: 'required',
  setModelsFolder: 'optional',
  modelDownload: 'optional',
  speechModelFolder: 'required',
  speechModelFolderWithValue: 'optional',
  voskModelFolder: 'required',
  voskDownload: 'optional',
  singleThread: 'optional',
};

/** Longest entry accepted from outside the process (a hint is one line in a notification). */
export const MAX_FIX_NAME_LENGTH = 200;

/**
 * Why `value` (from a request that crossed a process boundary) is not a usable FixNames, or undefined when it
 * is: an object with only the known keys, the required ones present, every value a one-line string of bounded length.
 */
export function fixNamesProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not an object';
  const entries = Object.entries(value as Record<string, unknown>);
  const unknown = entries.find(([key]) => !Object.hasOwn(FIX_NAME_KEYS, key));
  if (unknown) return `has an unknown entry "${unknown[0].slice(0, 40)}"`;
  for (const [key, need] of Object.entries(FIX_NAME_KEYS)) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry === undefined) {
      if (need === 'required') return `lacks "${key}"`;
      continue;
    }
    if (typeof entry !== 'string') return `"${key}" is not a string`;
    if (entry.trim() === '' || entry.length > MAX_FIX_NAME_LENGTH || /[\r\n]/.test(entry)) {
      return `"${key}" must be one non-empty line of at most ${MAX_FIX_NAME_LENGTH} characters`;
    }
  }
  return undefined;
}
