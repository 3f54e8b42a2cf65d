/**
 * The field checks every validator of webview messages is built from (src/shared/*Protocol.ts): a message
 * from a webview is untyped at runtime, so each field is checked for type and bounds before anything acts on it.
 */

/** A non-negative safe integer: frame indices, track ids, request ids. */
export function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** No field beyond the allowed ones: an unknown field means a message of another shape. */
export function hasOnlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(value).every((key) => allowed.includes(key));
}
