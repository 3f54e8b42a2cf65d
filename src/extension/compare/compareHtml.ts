/**
 * The "Compare reviews" panel's page: the review editor's strict Content Security Policy (nonce'd script,
 * styles from the extension only), its own bundle. No data in the HTML: it arrives as a snapshot message.
 */
import type { ReviewHtmlParts } from '../editor/reviewHtml';
import { webviewPage } from '../editor/reviewHtml';

export type CompareHtmlParts = ReviewHtmlParts;

export function compareHtml(parts: CompareHtmlParts): string {
  return webviewPage(parts, 'Comparing the reviews…');
}
