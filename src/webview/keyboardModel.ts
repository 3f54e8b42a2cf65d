/**
 * The panel's keyboard: which key does what (the legend is generated from the same table). Pure: a key event's
 * fields in, an action out. Keys with Ctrl, Cmd or Alt are never taken, so Ctrl+Z and every VS Code shortcut
 * reach VS Code.
 */

export type KeyAction =
  | { kind: 'move'; delta: number; extend: boolean }
  | { kind: 'edge'; to: 'first' | 'last'; extend: boolean }
  | { kind: 'setLabel'; label: number }
  | { kind: 'clear' }
  | { kind: 'playPause' }
  | { kind: 'nextLowConfidence'; backwards: boolean }
  | { kind: 'nextDisagreement'; backwards: boolean }
  | { kind: 'zoom'; direction: 1 | -1 }
  | { kind: 'openLabelMenu' }
  /** The adapted model's suggestions of the selected faces become their human labels. */
  | { kind: 'acceptSuggestions' }
  /** The review queue on or off (see RowSort 'queue'). */
  | { kind: 'toggleQueue' }
  /** The 68-landmark overlay on the video on or off. */
  | { kind: 'toggleLandmarks' };

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** Rows a Page Up / Page Down moves (the table shows about this many). */
export const PAGE_ROWS = 20;

export function keyAction(input: KeyInput, labelCount: number): KeyAction | undefined {
  if (input.ctrlKey || input.metaKey || input.altKey) return undefined;
  const extend = input.shiftKey;
  switch (input.key) {
    case 'ArrowDown':
      return { kind: 'move', delta: 1, extend };
    case 'ArrowUp':
      return { kind: 'move', delta: -1, extend };
    case 'PageDown':
      return { kind: 'move', delta: PAGE_ROWS, extend };
    case 'PageUp':
      return { kind: 'move', delta: -PAGE_ROWS, extend };
    case 'Home':
      return { kind: 'edge', to: 'first', extend };
    case 'End':
      return { kind: 'edge', to: 'last', extend };
    case '0':
    case 'Backspace':
    case 'Delete':
      return { kind: 'clear' };
    case ' ':
      return { kind: 'playPause' };
    case 'n':
    case 'N':
      return { kind: 'nextLowConfidence', backwards: input.shiftKey };
    case 'd':
    case 'D':
      return { kind: 'nextDisagreement', backwards: input.shiftKey };
    case '+':
    case '=':
      return { kind: 'zoom', direction: -1 };
    case '-':
      return { kind: 'zoom', direction: 1 };
    case 'Enter':
    case 'F2':
      return { kind: 'openLabelMenu' };
    case 'a':
    case 'A':
      return { kind: 'acceptSuggestions' };
    case 'q':
    case 'Q':
      return { kind: 'toggleQueue' };
    case 'l':
    case 'L':
      return { kind: 'toggleLandmarks' };
    default:
      break;
  }
  // Digits 1-9 pick the label with that number (on the legend); there are 7 in the shipped models.
  if (/^[1-9]$/.test(input.key) && Number(input.key) <= labelCount) return { kind: 'setLabel', label: Number(input.key) - 1 };
  return undefined;
}

/**
 * The legend's lines: the same keys as keyAction, for people. Without faces (an audio recording) only the keys
 * that do something there; the landmark key only when the document has a face mesh.
 */
export function keyLegend(labels: readonly string[], faces = true, landmarks = false): { keys: string; what: string }[] {
  const playback = [
    { keys: 'Space', what: 'play / pause' },
    { keys: '+ / −', what: 'zoom charts' },
  ];
  if (!faces) return playback;
  return [
    ...labels.slice(0, 9).map((label, i) => ({ keys: String(i + 1), what: label })),
    { keys: '0 / ⌫', what: 'clear correction' },
    { keys: '↑ ↓', what: 'previous / next row' },
    { keys: '⇧ ↑ ↓', what: 'select a range' },
    { keys: 'N / ⇧N', what: 'next / previous low confidence (queue: unreviewed)' },
    { keys: 'A', what: 'accept suggestion (selected faces)' },
    { keys: 'Q', what: 'review queue on / off' },
    { keys: 'D / ⇧D', what: 'next / previous flag (face vs words or voice)' },
    ...(landmarks ? [{ keys: 'L', what: 'landmarks on the video on / off' }] : []),
    playback[0]!,
    { keys: 'Enter', what: 'label menu' },
    playback[1]!,
    { keys: 'Ctrl+Z', what: 'undo (VS Code)' },
  ];
}
