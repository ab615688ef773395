/**
 * Selectors inside a CloudFormation YAML template and a Terraform file in a real VS Code: diagnostics at the
 * template's own positions, a quick fix applied, completion of a `field` value in HCL, the dry run from a trail
 * in a template, snippets in a .tf file and a JSON template, and an unrelated YAML file left alone.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'cloudtrail-lens.cloudtrail-lens';
const SOURCE = 'CloudTrail Lens';

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let dir: string;
function writeFile(name: string, text: string): vscode.Uri {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return vscode.Uri.file(p);
}
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Category:
    Type: String
Resources:
  LogBucket:
    Type: AWS::S3::Bucket
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref LogBucket
      AdvancedEventSelectors:
        - Name: S3 objects
          FieldSelectors:
            - Field: eventcategory
              Equals: [Data]
            - Field: resources.type
              Equals: [AWS::S3::Object]
            - Field: resources.ARN
              StartsWith: [!Sub "arn:aws:s3:::\${LogBucket}/"]
        - Name: from a parameter
          FieldSelectors:
            - Field: eventCategory
              Equals: [!Ref Category]
`;

const TERRAFORM = `resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "some-log-bucket"

  advanced_event_selector {
    name = "Lambda"
    field_selector {
      field  = "resources.type"
      equals = ["AWS::Lambda::Function"]
    }
    field_selector {
      field  = "eventcategory"
      equals = ["Data"]
    }
    field_selector {
      field  = ""
      equals = [var.functions]
    }
  }
}
`;

describe('selectors in templates', function () {
  this.timeout(60_000);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    dir = fs.mkdtempSync(path.join(process.env.CLOUDTRAIL_LENS_TEST_WORKSPACE ?? os.tmpdir(), 'infra-'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a CloudFormation YAML template: diagnostic at the template line, quick fix applied', async () => {
    const uri = writeFile('stack.yaml', TEMPLATE);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diag = await until('a template diagnostic', () => ours(uri).find((d) => d.code === 'field-misspelt'));
    assert.equal(doc.getText(diag.range), 'eventcategory');
    assert.equal(diag.range.start.line, 15);
    // The intrinsic functions (!Ref, !Sub) produce nothing.
    assert.deepEqual(ours(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.code), ['field-misspelt']);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.edit && /eventCategory/.test(a.title));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.ok(doc.getText().includes('            - Field: eventCategory\n              Equals: [Data]'));
    await until('the diagnostic to go', () => !ours(uri).some((d) => d.code === 'field-misspelt'));
  });

  it('a Terraform file: diagnostic, quick fix, and completion of a field value', async () => {
    const uri = writeFile('main.tf', TERRAFORM);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diag = await until('a Terraform diagnostic', () => ours(uri).find((d) => d.code === 'field-misspelt'));
    assert.equal(doc.getText(diag.range), '"eventcategory"');
    assert.equal(diag.range.start.line, 11);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.edit && /eventCategory/.test(a.title));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.ok(doc.getText().includes('field  = "eventCategory"'));

    const empty = doc.getText().indexOf('field  = ""') + 'field  = "'.length;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, doc.positionAt(empty));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('resources.ARN'), labels.join());
    assert.ok(labels.includes('eventName'), labels.join());
    const arn = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'resources.ARN')!;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, arn.range as vscode.Range, String(arn.insertText));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.getText().includes('field  = "resources.ARN"'), doc.getText());
  });

  it('the dry run tests a trail from a template', async () => {
    const uri = writeFile('dry.yaml', TEMPLATE.replace('eventcategory', 'eventCategory'));
    const corpus = process.env.CLOUDTRAIL_LENS_CORPUS ?? path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'corpus');
    const logDir = path.join(corpus, 'otrf-security-datasets');
    const logFile = path.join(logDir, fs.readdirSync(logDir).find((f) => f.endsWith('.json'))!);
    const result = await vscode.commands.executeCommand<{ total: number; perSelector: { count: number }[] }>(
      'cloudtrailLens.selectors.dryRun', { uri, resource: 'Trail', files: [vscode.Uri.file(logFile)], show: false });
    assert.ok(result, 'no result');
    const raw = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    assert.equal(result.total, raw.length);
    assert.equal(result.perSelector.length, 2);
    // Selector 2's category comes from a parameter without a default: unknown, so it logs nothing here.
    assert.equal(result.perSelector[1].count, 0);
  });

  it('leaves an unrelated YAML file alone', async () => {
    const uri = writeFile('other.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      FieldSelectors: [{Field: eventcategory}]\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, doc.positionAt(doc.getText().indexOf('eventcategory') + 3));
    // (VS Code's word-based suggestions may still offer words from other open files; ours carry a detail.)
    assert.deepEqual(list.items.filter((i) => typeof i.detail === 'string' && i.detail.startsWith('operators:')).map((i) => i.label), []);
    assert.deepEqual(ours(uri), []);
  });

  it('offers a trail snippet at the top of a .tf file and selector snippets inside the trail', async () => {
    const uri = writeFile('snippets.tf', 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n\n\nresource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "logs"\n  \n}\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const snippetsAt = async (pos: vscode.Position) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
      return list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    const top = await until('top-level snippets', async () => {
      const l = await snippetsAt(new vscode.Position(4, 0));
      return l.length ? l : undefined;
    });
    assert.ok(top.includes('aws_cloudtrail with advanced event selectors'), top.join(', '));
    const inside = await snippetsAt(new vscode.Position(8, 2));
    assert.ok(inside.includes('S3 writes for one bucket') && !inside.includes('aws_cloudtrail with advanced event selectors'), inside.join(', '));
    assert.deepEqual(await snippetsAt(new vscode.Position(1, 2)), [], 'nothing inside an unrelated resource');
  });

  it('offers a trail snippet in a JSON template\'s Resources and selector snippets in its AdvancedEventSelectors', async () => {
    const uri = writeFile('trail-stack.json', '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Bucket": { "Type": "AWS::S3::Bucket" },\n    \n  }\n}\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const snippetsAt = async (pos: vscode.Position) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
      return list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet);
    };
    const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    assert.equal(doc.languageId, 'json');
    const top = await until('snippets under Resources', async () => {
      const l = await snippetsAt(new vscode.Position(4, 4));
      return l.some((i) => label(i) === 'CloudTrail trail with advanced event selectors') ? l : undefined;
    });
    assert.ok(!top.some((i) => label(i) === 'S3 writes for one bucket'), top.map(label).join(', '));
    assert.deepEqual((await snippetsAt(new vscode.Position(3, 16))).map(label), [], 'nothing inside an unrelated resource');
    // Insert the trail as VS Code would, then the template is valid JSON with a trail, and its selector list offers the selector snippets.
    const trail = top.find((i) => label(i) === 'CloudTrail trail with advanced event selectors')!;
    assert.ok(await editor.insertSnippet(trail.insertText as vscode.SnippetString, trail.range as vscode.Range));
    const parsed = JSON.parse(doc.getText()) as { Resources: Record<string, { Type: string; Properties?: { AdvancedEventSelectors?: unknown[] } }> };
    assert.equal(parsed.Resources.Trail.Type, 'AWS::CloudTrail::Trail');
    assert.equal(parsed.Resources.Trail.Properties?.AdvancedEventSelectors?.length, 2);
    const list = doc.positionAt(doc.getText().indexOf('"AdvancedEventSelectors": [') + '"AdvancedEventSelectors": ['.length);
    const sels = (await snippetsAt(list)).map(label);
    assert.ok(sels.includes('S3 writes for one bucket') && !sels.includes('CloudTrail trail with advanced event selectors'), sels.join(', '));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
