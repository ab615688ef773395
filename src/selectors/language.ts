/**
 * Editor features for selector documents (JSON/JSONC with advanced or basic event selectors): diagnostics,
 * completion, hover, quick fixes and a status-bar item with the target and the 500-value count. All logic
 * is in src/core/selectors; this file converts between core offsets and VS Code positions.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import {
  analyze, complete, convertBasicFix, detectSelectorDocument, hover, LIMITS, type SelectorCompletion,
  type SelectorDiagnostic, type SelectorFix, type Target, type ValidateOptions,
} from '../core/selectors';
import { log } from '../common/log';
import { Disposable } from '../common/dispose';
import { config } from '../common/config';

export const SELECTOR_LANGUAGES: vscode.DocumentSelector = [{ language: 'json' }, { language: 'jsonc' }];
const SOURCE = 'CloudTrail Lens';
/** Leniencies the AWS CLI rejects; VS Code's own JSON diagnostics cover them in `json` mode (not in `jsonc`). */
const STRICT_JSON_CODES = new Set(['json-comment', 'json-trailing-comma']);

/** Per-document facts learnt outside the text (e.g. the trail a fetched document came from). */
export interface DocumentContext {
  trailArn?: string;
  homeRegion?: string;
  logBucket?: string;
  logPrefix?: string;
  profile?: string;
}
export const documentContexts = new Map<string, DocumentContext>();

export function settingTarget(): Target | undefined {
  const v = config.selectorsTarget();
  return v === 'auto' ? undefined : v;
}

export function optionsFor(doc: vscode.TextDocument): ValidateOptions {
  const ctx = documentContexts.get(doc.uri.toString());
  const logBucket = ctx?.logBucket || config.selectorsLogBucket() || undefined;
  return { fileName: path.basename(doc.uri.path || doc.fileName), target: settingTarget(), logBucket };
}

/** Selector documents are small; a big JSON file (a log) is never treated as one unless named *.selectors.json. */
const MAX_DETECT_CHARS = 4 * 1024 * 1024;
const detection = new Map<string, { version: number; result: boolean }>();

export function isSelectorDocument(doc: vscode.TextDocument): boolean {
  if (doc.languageId !== 'json' && doc.languageId !== 'jsonc') return false;
  const key = doc.uri.toString();
  const cached = detection.get(key);
  if (cached && cached.version === doc.version) return cached.result;
  const name = path.basename(doc.uri.path || doc.fileName);
  const text = doc.getText();
  const result = text.length > MAX_DETECT_CHARS && !name.toLowerCase().endsWith('.selectors.json') ? false : !!detectSelectorDocument(text, name);
  detection.set(key, { version: doc.version, result });
  return result;
}
export function forgetDocument(uri: vscode.Uri): void {
  detection.delete(uri.toString());
}

export function severity(s: SelectorDiagnostic['severity']): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'info': return vscode.DiagnosticSeverity.Information;
    default: return vscode.DiagnosticSeverity.Hint;
  }
}

export function toRange(doc: vscode.TextDocument, offset: number, length: number): vscode.Range {
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + length));
}

/**
 * Sort text that puts our items above other providers' for the same position: VS Code orders equally good matches
 * by sortText, and the JSON extension's generic guesses (values copied from elsewhere in the document) carry their
 * quoted label as sortText, which sorts before digits and letters. A leading space sorts before both.
 */
export function ahead(sortText: string): string {
  return ' ' + sortText;
}

export function fixEdit(doc: vscode.TextDocument, fix: SelectorFix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(doc.uri, toRange(doc, e.offset, e.length), e.newText);
  return edit;
}

export class SelectorLanguageFeatures extends Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('cloudtrailLens.selectors');
  private readonly status = vscode.window.createStatusBarItem('cloudtrailLens.selectors.status', vscode.StatusBarAlignment.Right, 100);
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor() {
    super();
    this.register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
    this.status.name = 'CloudTrail Lens: selectors';
    this.status.command = 'cloudtrailLens.selectors.toggleTarget';
    this.register(this.collection);
    this.register(this.status);
    this.register(vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 150)));
    this.register(vscode.workspace.onDidCloseTextDocument((doc) => {
      this.collection.delete(doc.uri);
      documentContexts.delete(doc.uri.toString());
      forgetDocument(doc.uri);
    }));
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (config.affects(e, 'selectors')) this.refreshAll();
    }));
    this.register(vscode.languages.registerCompletionItemProvider(SELECTOR_LANGUAGES, { provideCompletionItems: (doc, pos) => this.completions(doc, pos) }, '"', ':', '[', ','));
    this.register(vscode.languages.registerHoverProvider(SELECTOR_LANGUAGES, { provideHover: (doc, pos) => this.hover(doc, pos) }));
    this.register(vscode.languages.registerCodeActionsProvider(SELECTOR_LANGUAGES, { provideCodeActions: (doc, range, ctx) => this.codeActions(doc, range, ctx) }, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite],
    }));
    this.refreshAll();
  }

  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.validate(doc);
    this.updateStatus();
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.validate(doc);
      if (vscode.window.activeTextEditor?.document === doc) this.updateStatus();
    }, delay));
  }

  /** Validates one document now; returns the core diagnostics (also used by tests through the command). */
  validate(doc: vscode.TextDocument): SelectorDiagnostic[] {
    if (doc.isClosed || !isSelectorDocument(doc)) {
      this.collection.delete(doc.uri);
      return [];
    }
    try {
      const found = analyze(doc.getText(), optionsFor(doc)).diagnostics;
      // The JSON language service already reports syntax errors, and in `json` (not `jsonc`) mode comments and
      // trailing commas too; the quick fixes for those are offered on its diagnostics (see codeActions).
      const shown = found.filter((d) => d.code !== 'json-syntax' && !(doc.languageId === 'json' && STRICT_JSON_CODES.has(d.code))).map((d) => {
        const diag = new vscode.Diagnostic(toRange(doc, d.offset, d.length), d.message, severity(d.severity));
        diag.code = d.code;
        diag.source = SOURCE;
        return diag;
      });
      this.collection.set(doc.uri, shown);
      return found;
    } catch (err) {
      log().error(`selector validation failed for ${doc.uri.toString()}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return [];
    }
  }

  updateStatus(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isSelectorDocument(doc)) {
      this.status.hide();
      return;
    }
    const a = analyze(doc.getText(), optionsFor(doc));
    const who = a.target === 'trail' ? 'Trail' : 'Event data store';
    this.status.text = `$(filter) ${who} · ${a.valueCount} of ${LIMITS.valuesPerTrail} values`;
    this.status.tooltip = new vscode.MarkdownString(
      `**CloudTrail selectors**\n\nRules for: ${who.toLowerCase()} (${a.targetFromDocument ? 'named by the document' : 'from the `cloudtrailLens.selectors.target` setting'}).\n\n${a.valueCount} of ${LIMITS.valuesPerTrail} values used.${a.targetFromDocument ? '' : '\n\nClick to switch the target.'}`,
    );
    this.status.backgroundColor = a.valueCount > LIMITS.valuesPerTrail ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.status.show();
  }

  /** The status text (for tests). */
  statusText(): string | undefined {
    return this.status.text;
  }

  completions(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] | undefined {
    if (!isSelectorDocument(doc)) return undefined;
    try {
      const items = complete(doc.getText(), doc.offsetAt(pos), optionsFor(doc));
      return items.map((i) => this.toCompletionItem(doc, i, pos));
    } catch (err) {
      log().error(`selector completion failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return undefined;
    }
  }

  private toCompletionItem(doc: vscode.TextDocument, i: SelectorCompletion, pos: vscode.Position): vscode.CompletionItem {
    const kinds: Record<string, vscode.CompletionItemKind> = {
      field: vscode.CompletionItemKind.Field,
      operator: vscode.CompletionItemKind.Operator,
      value: vscode.CompletionItemKind.Value,
      resourceType: vscode.CompletionItemKind.EnumMember,
      snippet: vscode.CompletionItemKind.Snippet,
      property: vscode.CompletionItemKind.Property,
    };
    const item = new vscode.CompletionItem(i.detail && i.kind === 'resourceType' ? { label: i.label, description: i.detail } : i.label, kinds[i.kind]);
    item.insertText = i.snippet ? new vscode.SnippetString(i.insertText) : i.insertText;
    let range = toRange(doc, i.range.offset, i.range.length);
    // VS Code needs a single-line range that contains the cursor.
    if (range.start.line !== range.end.line || !range.contains(pos)) range = new vscode.Range(pos, pos);
    item.range = range;
    if (i.detail) item.detail = i.detail;
    if (i.documentation) item.documentation = new vscode.MarkdownString(i.documentation);
    if (i.filterText) item.filterText = i.filterText;
    item.sortText = ahead(i.sortText ?? i.label);
    return item;
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!isSelectorDocument(doc)) return undefined;
    const h = hover(doc.getText(), doc.offsetAt(pos), optionsFor(doc));
    return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(doc, h.offset, h.length)) : undefined;
  }

  private codeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isSelectorDocument(doc)) return [];
    const out: vscode.CodeAction[] = [];
    const text = doc.getText();
    // Fixes are recomputed: the diagnostics in the context are copies, not the objects we created.
    const found = analyze(text, optionsFor(doc)).diagnostics;
    for (const diag of context.diagnostics) {
      const start = doc.offsetAt(diag.range.start);
      // VS Code's own "Comments are not permitted" / "Trailing comma" get our removal fixes (json mode).
      const match = diag.source === SOURCE
        ? found.find((d) => d.code === diag.code && d.offset === start)
        : found.find((d) => STRICT_JSON_CODES.has(d.code) && d.offset <= start && start < d.offset + Math.max(d.length, 1));
      if (!match) continue;
      for (const fix of match?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = fixEdit(doc, fix);
        action.diagnostics = [diag];
        action.isPreferred = fix.preferred;
        out.push(action);
      }
    }
    // Basic → advanced is also offered as a refactoring anywhere in a document with basic selectors.
    if (!out.some((a) => a.title.startsWith('Convert') || a.title.startsWith('Merge'))) {
      const conv = convertBasicFix(text, optionsFor(doc).fileName);
      if (conv) {
        const action = new vscode.CodeAction(conv.title, vscode.CodeActionKind.RefactorRewrite);
        action.edit = fixEdit(doc, conv);
        out.push(action);
      }
    }
    void range;
    return out;
  }

}
