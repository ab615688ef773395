/**
 * Integrity verdicts of the last validation, by file path, and how they look (codicon, theme colour, badge).
 * Read by the log-folder tree (src/explorer/local/nodes.ts), the file decorations and the record viewer.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { Disposable } from '../common/dispose';
import { bannerText, VERDICT_LABEL, type FileReport, type Verdict } from '../core/integrity/index';

/** Verdicts of the last validation, by absolute file path. */
class VerdictStore extends Disposable {
  private readonly byPath = new Map<string, FileReport>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChange = this.changed.event;
  constructor() {
    super();
    this.register(this.changed);
  }
  get(uri: vscode.Uri): FileReport | undefined {
    return uri.scheme === 'file' ? this.byPath.get(uri.fsPath) : undefined;
  }
  set(root: string, files: FileReport[], only?: { account?: string; region?: string }): void {
    const touched: vscode.Uri[] = [];
    for (const [p, f] of this.byPath) {
      if (p.startsWith(root + path.sep) && (!only?.account || f.account === only.account) && (!only?.region || f.region === only.region)) {
        this.byPath.delete(p);
        touched.push(vscode.Uri.file(p));
      }
    }
    for (const f of files) {
      const p = path.join(root, ...f.path.split('/'));
      this.byPath.set(p, f);
      touched.push(vscode.Uri.file(p));
    }
    this.changed.fire(touched);
  }
}

export const verdicts = new VerdictStore();

export const STYLE: Record<Verdict, { icon: string; color: string; badge: string }> = {
  valid: { icon: 'verified-filled', color: 'testing.iconPassed', badge: '✓' },
  modified: { icon: 'error', color: 'problemsErrorIcon.foreground', badge: '✗' },
  missing: { icon: 'error', color: 'problemsErrorIcon.foreground', badge: '✗' },
  'digest-missing': { icon: 'error', color: 'problemsErrorIcon.foreground', badge: '✗' },
  moved: { icon: 'error', color: 'problemsErrorIcon.foreground', badge: '✗' },
  'signature-invalid': { icon: 'error', color: 'problemsErrorIcon.foreground', badge: '✗' },
  unreadable: { icon: 'error', color: 'problemsErrorIcon.foreground', badge: '✗' },
  'not-listed': { icon: 'warning', color: 'problemsWarningIcon.foreground', badge: '?' },
  'signature-unchecked': { icon: 'unverified', color: 'problemsWarningIcon.foreground', badge: '?' },
};

/** Icon (codicon + theme colour) and tooltip line for a file whose verdict is known. */
export function verdictIcon(uri: vscode.Uri): { icon: vscode.ThemeIcon; tooltip: string; label: string } | undefined {
  const f = verdicts.get(uri);
  if (!f) return undefined;
  const s = STYLE[f.verdict];
  return { icon: new vscode.ThemeIcon(s.icon, new vscode.ThemeColor(s.color)), tooltip: `${VERDICT_LABEL[f.verdict]}: ${f.reason}`, label: VERDICT_LABEL[f.verdict] };
}


export const onDidChangeVerdicts = (listener: () => void): vscode.Disposable => verdicts.onDidChange(() => listener());

/** The record viewer's integrity line for a file: verified / failed / unchecked, or nothing when unknown. */
export function integrityBanner(uri: vscode.Uri): { state?: 'verified' | 'failed' | 'unchecked'; text?: string } {
  const f = verdicts.get(uri);
  if (!f) return {};
  const state = f.verdict === 'valid' ? 'verified' : f.verdict === 'signature-unchecked' || f.verdict === 'not-listed' ? 'unchecked' : 'failed';
  return { state, text: bannerText(f) };
}
