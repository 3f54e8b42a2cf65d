/**
 * One error type for everything a user can fix: it renders as a single line that names the file and
 * says what to do, which is what both the CLI and the extension show.
 */
export type ErrorCode =
  | 'ffmpeg-missing'
  | 'input-missing'
  | 'input-unreadable'
  | 'input-unsupported'
  | 'no-video-stream'
  | 'model-missing'
  | 'model-corrupt'
  | 'model-checksum'
  | 'speech-model'
  | 'document-invalid'
  | 'cancelled'
  | 'internal';

export class EmotionLensError extends Error {
  override readonly name = 'EmotionLensError';

  constructor(
    readonly code: ErrorCode,
    /** What went wrong, without the file. */
    readonly problem: string,
    /** The file (or folder) concerned, if any. */
    readonly file?: string,
    /** What the user can do about it. */
    readonly hint?: string,
  ) {
    super(oneLine(code, problem, file, hint));
  }
}

function oneLine(_code: ErrorCode, problem: string, file?: string, hint?: string): string {
  const where = file ? `${file}: ` : '';
  const todo = hint ? ` ${hint}` : '';
  return `${where}${problem}.${todo}`.replace(/\s+/g, ' ').replace(/\.\./g, '.').trim();
}

/** Thrown when an AbortSignal fires; callers report it as "cancelled", not as a failure. */
export class CancelledError extends EmotionLensError {
  constructor(file?: string) {
    super('cancelled', 'Analysis cancelled', file);
  }
}

export function isCancelled(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined, file?: string): void {
  if (signal?.aborted) throw new CancelledError(file);
}

/** Any thrown value as one line of text (stack traces stay in logs). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.message;
  return String(error).split('\n')[0] ?? String(error);
}
