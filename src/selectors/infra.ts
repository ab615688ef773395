/**
 * Editor features for selectors inside CloudFormation templates (YAML/JSON) and Terraform files: diagnostics,
 * completion, hover and quick fixes, mapped to the template's own positions. A file is only looked at when a
 * substring check finds a CloudTrail resource type in it (see detectInfraFormat); the HCL parser (WebAssembly)
 * loads the first time a Terraform file passes that check. All logic is in src/core/selectors.
 */
import * as vscode from 'vscode';
import { config } from '../common/config';
import { ahead, fixEdit, severity, toRange } from './language';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { detectInfraFormat, infraResources, type InfraFormat } from '../core/selectors/infra';
import { completeCloudFormation, hoverCloudFormation, validateCloudFormation } from '../core/selectors/cloudformation';
import { completeTerraform, hoverTerraform, loadHclParser, validateTerraform } from '../core/selectors/terraform';
import { resourceSelectorsJson, type EmbeddedResource } from '../core/selectors/embedded';
import type { SelectorCompletion, SelectorDiagnostic, ValidateOptions } from '../core/selectors';
import { log } from '../common/log';
import { cloudFormationJsonSnippets, cloudFormationYamlSnippets, terraformSnippets } from '../core/selectors/templateSnippets';

/** A CloudFormation template by a cheap look (for snippets in templates with no CloudTrail resource yet). */
function looksLikeTemplate(text: string, json = false): boolean {
  return text.includes('AWSTemplateFormatVersion') || ((json ? text.includes('"Resources"') : /^Resources:/m.test(text)) && text.includes('AWS::'));
}

export const INFRA_LANGUAGES: vscode.DocumentSelector = [
  { language: 'yaml' }, { language: 'json' }, { language: 'jsonc' }, { language: 'terraform' }, { pattern: '**/*.tf' },
];
const SOURCE = 'CloudTrail Lens';
/** Templates bigger than this are not looked at while typing (CloudFormation's own limit is 1 MB). */
const MAX_CHARS = 4 * 1024 * 1024;

const detection = new Map<string, { version: number; format: InfraFormat | undefined }>();

/** The format of a document holding CloudTrail resources, else undefined (cached per version). */
export function infraFormat(doc: vscode.TextDocument): InfraFormat | undefined {
  const key = doc.uri.toString();
  const cached = detection.get(key);
  if (cached && cached.version === doc.version) return cached.format;
  const name = path.basename(doc.uri.path || doc.fileName);
  const isTf = name.toLowerCase().endsWith('.tf') || doc.languageId === 'terraform';
  const relevant = isTf || doc.languageId === 'yaml' || doc.languageId === 'json' || doc.languageId === 'jsonc';
  const text = relevant && doc.lineCount > 0 ? doc.getText() : '';
  const format = relevant && text.length <= MAX_CHARS ? detectInfraFormat(text, isTf && !name.toLowerCase().endsWith('.tf') ? `${name}.tf` : name) : undefined;
  detection.set(key, { version: doc.version, format });
  return format;
}

function options(): ValidateOptions {
  const logBucket = config.selectorsLogBucket() || undefined;
  return { logBucket };
}

export class InfraSelectorFeatures implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('cloudtrailLens.infraSelectors');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private parser: Parser | undefined;

  constructor(private readonly wasmDir: string) {
    const d = this.disposables;
    d.push(this.collection);
    d.push(vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)));
    d.push(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 200)));
    d.push(vscode.workspace.onDidCloseTextDocument((doc) => {
      this.collection.delete(doc.uri);
      detection.delete(doc.uri.toString());
    }));
    d.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('cloudtrailLens.selectors')) for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
    }));
    d.push(vscode.languages.registerCompletionItemProvider(INFRA_LANGUAGES, { provideCompletionItems: (doc, pos) => this.completions(doc, pos) }, '"', ' ', ':'));
    d.push(vscode.languages.registerHoverProvider(INFRA_LANGUAGES, { provideHover: (doc, pos) => this.hover(doc, pos) }));
    d.push(vscode.languages.registerCodeActionsProvider(INFRA_LANGUAGES, { provideCodeActions: (doc, _range, ctx) => this.codeActions(doc, ctx) }, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }));
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  private async hcl(): Promise<Parser> {
    this.parser ??= await loadHclParser(this.wasmDir);
    return this.parser;
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.validate(doc);
    }, delay));
  }

  /** Core diagnostics of a document, in its own offsets ([] when it holds no CloudTrail resource). */
  async diagnose(doc: vscode.TextDocument): Promise<SelectorDiagnostic[]> {
    const format = infraFormat(doc);
    if (!format) return [];
    const text = doc.getText();
    if (format === 'terraform') return validateTerraform(text, await this.hcl(), options());
    return validateCloudFormation(text, { ...options(), json: format === 'cloudformation-json' });
  }

  async validate(doc: vscode.TextDocument): Promise<SelectorDiagnostic[]> {
    if (doc.isClosed || !infraFormat(doc)) {
      this.collection.delete(doc.uri);
      return [];
    }
    try {
      const version = doc.version;
      const found = await this.diagnose(doc);
      if (doc.isClosed || doc.version !== version) return found;
      this.collection.set(doc.uri, found.map((d) => {
        const diag = new vscode.Diagnostic(toRange(doc, d.offset, d.length), d.message, severity(d.severity));
        diag.code = d.code;
        diag.source = SOURCE;
        return diag;
      }));
      return found;
    } catch (err) {
      log().error(`template selector validation failed for ${doc.uri.toString()}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return [];
    }
  }

  async completions(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const format = infraFormat(doc);
    try {
      // Snippets (a trail, an event data store, the common selectors) where they fit, also in a template or a .tf
      // file that has no CloudTrail resource yet; everything else only in files that hold one.
      const isTf = doc.languageId === 'terraform' || doc.uri.path.toLowerCase().endsWith('.tf');
      const isYaml = doc.languageId === 'yaml';
      const isJson = !isTf && (doc.languageId === 'json' || doc.languageId === 'jsonc');
      if (!format && !isTf && !isYaml && !isJson) return undefined;
      const text = doc.getText();
      if (text.length > MAX_CHARS) return undefined;
      const offset = doc.offsetAt(pos);
      const snippets = isTf ? terraformSnippets(text, offset)
        : isYaml && (format || looksLikeTemplate(text)) ? cloudFormationYamlSnippets(text, offset)
          : isJson && (format === 'cloudformation-json' || looksLikeTemplate(text, true)) ? cloudFormationJsonSnippets(text, offset) : [];
      if (!format) return snippets.length ? snippets.map((i) => this.toItem(doc, i, pos)) : undefined;
      const items = format === 'terraform'
        ? completeTerraform(text, offset, await this.hcl(), options())
        : completeCloudFormation(text, offset, { ...options(), json: format === 'cloudformation-json' });
      return [...snippets, ...items].map((i) => this.toItem(doc, i, pos));
    } catch (err) {
      log().error(`template selector completion failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return undefined;
    }
  }

  private toItem(doc: vscode.TextDocument, i: SelectorCompletion, pos: vscode.Position): vscode.CompletionItem {
    const kinds: Record<string, vscode.CompletionItemKind> = {
      field: vscode.CompletionItemKind.Field, operator: vscode.CompletionItemKind.Operator, value: vscode.CompletionItemKind.Value,
      resourceType: vscode.CompletionItemKind.EnumMember, snippet: vscode.CompletionItemKind.Snippet, property: vscode.CompletionItemKind.Property,
    };
    const item = new vscode.CompletionItem(i.detail && i.kind === 'resourceType' ? { label: i.label, description: i.detail } : i.label, kinds[i.kind]);
    item.insertText = i.snippet ? new vscode.SnippetString(i.insertText) : i.insertText;
    let range = toRange(doc, i.range.offset, i.range.length);
    if (range.start.line !== range.end.line || !range.contains(pos)) range = new vscode.Range(pos, pos);
    item.range = range;
    if (i.detail) item.detail = i.detail;
    if (i.documentation) item.documentation = new vscode.MarkdownString(i.documentation);
    // Filter on the text as typed in the template (with quotes in HCL / quoted YAML).
    item.filterText = doc.getText(range).startsWith('"') || doc.getText(range).startsWith("'") ? doc.getText(range).charAt(0) + i.label : i.label;
    item.sortText = ahead(i.sortText ?? i.label);
    return item;
  }

  private async hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const format = infraFormat(doc);
    if (!format) return undefined;
    const text = doc.getText();
    const offset = doc.offsetAt(pos);
    const h = format === 'terraform'
      ? hoverTerraform(text, offset, await this.hcl(), options())
      : hoverCloudFormation(text, offset, { ...options(), json: format === 'cloudformation-json' });
    return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(doc, h.offset, h.length)) : undefined;
  }

  private async codeActions(doc: vscode.TextDocument, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (!infraFormat(doc) || !context.diagnostics.some((d) => d.source === SOURCE)) return [];
    const found = await this.diagnose(doc);
    const out: vscode.CodeAction[] = [];
    for (const diag of context.diagnostics) {
      if (diag.source !== SOURCE) continue;
      const start = doc.offsetAt(diag.range.start);
      const match = found.find((d) => d.code === diag.code && d.offset === start);
      for (const fix of match?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = fixEdit(doc, fix);
        action.diagnostics = [diag];
        action.isPreferred = fix.preferred;
        out.push(action);
      }
    }
    return out;
  }

  /** The CloudTrail resources of a template (for the dry run). */
  async resources(doc: vscode.TextDocument): Promise<EmbeddedResource[]> {
    const format = infraFormat(doc);
    if (!format) return [];
    return infraResources(doc.getText(), format, format === 'terraform' ? await this.hcl() : undefined);
  }

  /**
   * Selector JSON for one resource of a template, for the dry run: the only resource, the one named by
   * `name`, or the one the user picks. Values the template cannot know are strings that match nothing.
   */
  async selectorsText(doc: vscode.TextDocument, name?: string): Promise<string | undefined> {
    const all = (await this.resources(doc)).filter((r) => r.advanced || r.basic);
    let r: EmbeddedResource | undefined;
    if (name) r = all.find((x) => x.name === name);
    else if (all.length === 1) r = all[0];
    else if (all.length > 1) {
      const picked = await vscode.window.showQuickPick(all.map((x) => ({ label: x.name, description: x.type, r: x })), {
        title: 'Which resource\'s selectors should be tested?',
      });
      r = picked?.r;
    }
    return r ? resourceSelectorsJson(r, doc.getText()) : undefined;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
