/** The viewer webview's HTML shell: strict CSP, a per-render nonce, and only files from out/media. */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export function mediaRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'out', 'media');
}

export function viewerHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const media = mediaRoot(extensionUri);
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(media, file)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  // The title is the file name: escape it, it can contain anything a file name can.
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${uri('codicon.css')}">
<link rel="stylesheet" href="${uri('viewer.css')}">
<title>${esc(title)}</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${uri('viewer.js')}"></script>
</body>
</html>`;
}
