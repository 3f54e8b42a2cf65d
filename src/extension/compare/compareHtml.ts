/**
 * The "Compare reviews" panel's page: the review editor's strict Content Security Policy (nonce'd script,
 * styles from the extension only), its own bundle. No data in the HTML: it arrives as a snapshot message.
 */
import { contentSecurityPolicy } from '../editor/reviewHtml';

export interface CompareHtmlParts {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

export function compareHtml(parts: CompareHtmlParts): string {
  const csp = contentSecurityPolicy(parts.cspSource, parts.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(parts.styleUri)}">
<title>${escapeText(parts.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="status">Comparing the reviews…</p></main>
<script nonce="${escapeAttribute(parts.nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
