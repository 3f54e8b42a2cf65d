/**
 * Speaker groups of a dataset: which recordings share a speaker, so arousal can be scored against that speaker's
 * own voice across the dataset. By default a recording's group is its folder, as emotional-speech corpora are
 * laid out one folder per actor; a speaker pattern takes it from the file name instead (RAVDESS names end in
 * the actor: `03-01-05-01-02-01-12.wav` with `-(\d+)\.wav$` is actor 12).
 */
import path from 'node:path';

/** Compiles a speaker pattern, or throws one line saying what is wrong with it. */
export function parseSpeakerPattern(source: string): RegExp {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (error) {
    throw new Error(`'${source}' is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`);
  }
  // An alternative that matches the empty string reports every group of the pattern, matched or not.
  const groups = new RegExp(`${source}|`).exec('')!.length - 1;
  if (groups === 0) throw new Error(`'${source}' has no capture group: put the speaker's part of the file name in ( ), for example -(\\d+)\\.wav$`);
  return pattern;
}

/**
 * The speaker group of one recording. `mediaPath` is its path as the dataset gives it (relative to the inputs);
 * `mediaFolder` the folder the media file is in, named when the path has no folder of its own (a document
 * given by name). With a pattern, its first capture group on the file name; a name it does not match falls
 * back to the folder, with a warning.
 */
export function speakerGroupOf(mediaPath: string, mediaFolder: string, pattern?: RegExp): { group: string; warning?: string } {
  const folder = path.posix.dirname(mediaPath);
  const byFolder = folder !== '.' ? folder : path.basename(mediaFolder) || '.';
  if (!pattern) return { group: byFolder };
  const name = path.posix.basename(mediaPath);
  const captured = pattern.exec(name)?.[1];
  if (captured) return { group: captured };
  return { group: byFolder, warning: `${mediaPath}: --speaker-pattern ${pattern.source} does not match the file name ${name}; grouped by its folder '${byFolder}'` };
}
