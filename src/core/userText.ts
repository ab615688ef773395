/**
 * User data (selector keys and values, S3 object names, trail names, JSON snippets, error texts that quote them)
 * shown where VS Code renders Markdown must show as text, never as a link: `[label](command:…)` in a
 * notification or hover is a clickable command. One helper, two sinks:
 *
 * - `'message'`: `showErrorMessage` / `showWarningMessage` / `showInformationMessage`. Notifications render
 *   only links (`[label](target)`, with http(s):, command: and file: targets) and no other Markdown, so a
 *   backslash would show. A zero-width space (U+200B) between `]` and `(` keeps the text as it reads and
 *   stops the link from forming; the same break goes after every `command:` / `file:` / `vscode:` scheme.
 * - `'markdown'`: a `MarkdownString` (hovers, tree and status-bar tooltips). Every character Markdown gives a
 *   meaning to is backslash-escaped, so links, autolinks, emphasis, code spans and HTML all show literally.
 *
 * Pure (no `vscode`); used by the adapters wherever user data reaches those sinks.
 */
const ZWSP = '\u200b';
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~&:"']/g;

export type UserTextSink = 'message' | 'markdown';

export function escapeUserText(text: string, sink: UserTextSink): string {
  const s = String(text);
  if (sink === 'markdown') return s.replace(MARKDOWN_SPECIAL, (c) => '\\' + c);
  return s.replace(/\]\s*\(/g, (m) => `]${ZWSP}${m.slice(1)}`).replace(/\b(command|file|vscode|vscode-insiders):/gi, (m) => m + ZWSP);
}

/** `escapeUserText(text, 'message')`: for the first argument of showErrorMessage & co. */
export function safeMessage(text: string): string {
  return escapeUserText(text, 'message');
}
