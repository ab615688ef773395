/**
 * Hovers that explain CloudTrail fields in JSON, JSON with Comments and JSON Lines editors. Only documents the
 * record core recognises as CloudTrail get them; the JSON path logic and the texts live in src/core/fields.
 */
import * as vscode from 'vscode';
import { type Node } from 'jsonc-parser';
import { sniffKind } from '../core/records';
import type { FileKind } from '../core/records/types';
import { eventPathAt, hoverMarkdown, TREE_SIZE_LIMIT, type PathAt } from '../core/fields';
import { treeOf } from '../core/fields/paths';
import { logError } from '../common/log';
import { config } from '../common/config';

/** `jsonl` is a built-in language only in recent VS Code versions: the file pattern covers older ones. */
export const HOVER_SELECTOR: vscode.DocumentSelector = [
  { language: 'json' },
  { language: 'jsonc' },
  { language: 'jsonl' },
  { pattern: '**/*.jsonl' },
];

interface Analysis {
  version: number;
  kind: FileKind;
  /** Whole text and its syntax tree; absent for JSON Lines (one line is parsed per hover). */
  text?: string;
  /** `null` for texts above {@link TREE_SIZE_LIMIT}: hovers scan instead of keeping a tree. */
  tree?: Node | null;
}

export class CloudTrailHoverProvider implements vscode.HoverProvider {
  /** One verdict per open document, recomputed when the document version changes. */
  private readonly analyses = new Map<string, Analysis>();

  forget(document: vscode.TextDocument): void {
    this.analyses.delete(document.uri.toString());
  }

  /** Whether the document was recognised as CloudTrail (also used by tests and other features). */
  kindOf(document: vscode.TextDocument): FileKind {
    return this.analyse(document).kind;
  }

  private analyse(document: vscode.TextDocument): Analysis {
    const key = document.uri.toString();
    const cached = this.analyses.get(key);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    const kind = sniffKind(text);
    const analysis: Analysis = { version: document.version, kind };
    if (kind !== 'unknown' && kind !== 'jsonl') {
      analysis.text = text;
      // Deeply nested text gets no tree (the recursive parser would overflow the stack): hovers scan it instead.
      analysis.tree = text.length > TREE_SIZE_LIMIT ? null : (treeOf(text) ?? null);
    }
    this.analyses.set(key, analysis);
    return analysis;
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    try {
      if (!config.hoversEnabled(document)) return undefined;
      const analysis = this.analyse(document);
      if (analysis.kind === 'unknown' || token.isCancellationRequested) return undefined;
      let at: PathAt | undefined;
      if (analysis.kind === 'jsonl') {
        // Each line is its own record: only that line is read and parsed.
        const line = document.lineAt(position.line);
        const found = eventPathAt(line.text, position.character, 'jsonl');
        if (found) at = { ...found, offset: document.offsetAt(line.range.start) + found.offset };
      } else {
        at = eventPathAt(analysis.text ?? '', document.offsetAt(position), analysis.kind, analysis.tree);
      }
      if (!at) return undefined;
      const markdown = hoverMarkdown(at.path, at.value, at.docKind);
      if (!markdown) return undefined;
      const range = new vscode.Range(document.positionAt(at.offset), document.positionAt(at.offset + at.length));
      // Not trusted and no HTML: the text is ours, but links must not run commands.
      return new vscode.Hover(new vscode.MarkdownString(markdown), range);
    } catch (err) {
      logError('CloudTrail hover', err);
      return undefined;
    }
  }
}

/** Registers the CloudTrail field hovers. */
export function registerHovers(context: vscode.ExtensionContext): void {
  const provider = new CloudTrailHoverProvider();
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(HOVER_SELECTOR, provider),
    vscode.workspace.onDidCloseTextDocument((d) => provider.forget(d)),
  );
}
