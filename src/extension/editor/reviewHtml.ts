/**
 * The review webview's page: a strict Content Security Policy, one nonce'd script and one stylesheet, both
 * from the extension's dist folder. Pure, so the policy is unit-tested. No document data goes into the HTML:
 * it arrives as a snapshot message after the script says `ready`.
 */
import { randomBytes } from 'node:crypto';

export interface ReviewHtmlParts {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

/** A fresh nonce per page load: scripts without it do not run. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} blob: data:`,
    `media-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function reviewHtml(parts: ReviewHtmlParts): string {
  return webviewPage(parts, 'Loading the review…');
}

/** A page of the extension's webviews (the review editor, Compare reviews): its bundle, the policy above, a status line until the script takes over. */
export function webviewPage(parts: ReviewHtmlParts, loadingText: string): string {
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
<main id="app" aria-live="polite"><p class="status">${escapeText(loadingText)}</p></main>
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
