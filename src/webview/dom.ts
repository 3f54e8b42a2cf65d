/** A small element builder: text goes in as text nodes, never as HTML, so document data cannot inject markup. */

type Attributes = Record<string, string | number | boolean | undefined>;
type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Child[]): HTMLElementTagNameMap[K];
export function el(tag: string, attributes?: Attributes, ...children: Child[]): HTMLElement;
export function el(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== undefined && c !== false));
}

/**
 * Keys that belong to the control they were pressed in: anything typed into a field or dropdown, and
 * Space/Enter on a native control (buttons, the video's play button). The panel leaves them alone.
 */
export function keyBelongsToControl(event: KeyboardEvent): boolean {
  const typing = event.composedPath().some((node) => node instanceof HTMLElement && node.matches('input, textarea, select, vscode-single-select, vscode-textfield, [contenteditable="true"]'));
  const target = event.target as HTMLElement | null;
  return typing || ((event.key === ' ' || event.key === 'Enter') && target?.closest('button, vscode-button, video, audio, vscode-checkbox, summary') != null);
}
