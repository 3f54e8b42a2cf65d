import type { ExtensionServices } from './extensionServices';

/** "Show log": the Emotion Lens output channel. */
export function showLogCommand(services: ExtensionServices): void {
  services.log.show(false);
}
