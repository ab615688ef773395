/**
 * Selector authoring inside a real VS Code: diagnostics on a *.selectors.json file, completion items and hovers
 * at given positions (through VS Code's own provider commands), a quick fix applied, the status-bar count, the
 * dry run over a corpus file, and fetch/apply against moto (a local AWS, started here, real SDK over HTTP).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloudTrailClient, CreateTrailCommand, GetEventSelectorsCommand, PutEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { until } from '../support/until';

const EXTENSION_ID = 'cloudtrail-lens.cloudtrail-lens';
const SOURCE = 'CloudTrail Lens';

let dir: string;
function writeFile(name: string, text: string): vscode.Uri {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return vscode.Uri.file(p);
}

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);

function offsetOf(doc: vscode.TextDocument, needle: string, nth = 0, plus = 0): vscode.Position {
  const text = doc.getText();
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} not in document`);
  return doc.positionAt(i + plus);
}

describe('selectors', function () {
  this.timeout(60_000);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    dir = fs.mkdtempSync(path.join(process.env.CLOUDTRAIL_LENS_TEST_WORKSPACE ?? os.tmpdir(), 'sel-'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows diagnostics with codes and exact ranges', async () => {
    const uri = writeFile('bad.selectors.json', '[\n  {\n    "Name": "s3",\n    "FieldSelectors": [\n      { "Field": "eventCategory", "Equals": ["Data"] },\n      { "Field": "resources.ARN", "Equals": ["arn:aws:s3:::bucket/*"] }\n    ]\n  }\n]\n');
    const ed = await open(uri);
    const diags = await until('diagnostics', () => {
      const d = ours(uri);
      return d.length >= 2 ? d : undefined;
    });
    const byCode = new Map(diags.map((d) => [String(d.code), d]));
    const missing = byCode.get('resources-type-missing');
    assert.ok(missing, JSON.stringify(diags.map((d) => d.code)));
    assert.equal(missing.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(ed.document.getText(missing.range), '"Data"');
    const wildcard = byCode.get('wildcard')!;
    assert.equal(ed.document.getText(wildcard.range), '"arn:aws:s3:::bucket/*"');
    assert.match(wildcard.message, /StartsWith/);
  });

  it('leaves other JSON files alone', async () => {
    const uri = writeFile('package-like.json', '{"name": "x", "FieldSelectors": 1}');
    await open(uri);
    // A selector document with a known error, opened after it: once its diagnostics exist, validation has run for
    // both (documents are validated in the order they open), so "no diagnostics" below means "left alone".
    const control = writeFile('control-after-package-like.selectors.json', '[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}]');
    await open(control);
    await until('diagnostics on the selector document opened after it', () => ours(control).length > 0);
    assert.deepEqual(ours(uri), []);
    // And the same file does get checked once it becomes a selector document: the validator does watch it.
    const ed = await open(uri);
    await ed.edit((e) => e.replace(new vscode.Range(0, 0, ed.document.lineCount, 0), '[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}]'));
    await until('diagnostics once package-like.json holds selectors', () => ours(uri).length > 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('offers completion items at given positions', async () => {
    const uri = writeFile('complete.selectors.json', '[\n  {\n    "FieldSelectors": [\n      { "Field": "eventCategory", "Equals": ["Management"] },\n      { "Field": "" },\n      { "Field": "resources.type", "Equals": [""] }\n    ]\n  }\n]\n');
    const ed = await open(uri);
    const doc = ed.document;
    // Field names for a Management selector on a trail (no target in the document; setting "auto" → trail).
    const fieldList = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, offsetOf(doc, '""', 0, 1));
    const labels = fieldList.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('eventSource') && labels.includes('readOnly'), labels.join(','));
    assert.ok(!labels.includes('userIdentity.arn'), 'event-data-store-only field offered on a trail');
    // resources.type values carry their service.
    const typeList = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, offsetOf(doc, '[""]', 0, 2));
    const s3 = typeList.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'AWS::S3::Object');
    assert.ok(s3, 'AWS::S3::Object offered');
    assert.match(typeof s3.label === 'string' ? String(s3.detail) : String(s3.label.description), /Amazon S3/);
  });

  // A document where VS Code's JSON support has values to copy: a misspelt "readonly" and a resources.type that a
  // Data selector may hold only once. At the empty Field value, the extension's field names must come first.
  const ORDER_DOC = '[\n  {\n    "FieldSelectors": [\n      { "Field": "eventCategory", "Equals": ["Data"] },\n      { "Field": "resources.type", "Equals": ["AWS::S3::Object"] },\n      { "Field": "" }\n    ]\n  },\n  { "FieldSelectors": [ { "Field": "eventCategory", "Equals": ["Management"] }, { "Field": "eventSource", "NotEquals": ["kms.amazonaws.com"] }, { "Field": "readonly", "Equals": ["true"] } ] }\n]\n';
  const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
  /** Items from the JSON extension's schema-less guesses: quoted labels of kind Value. */
  const generic = (i: vscode.CompletionItem) => i.kind === vscode.CompletionItemKind.Value && labelOf(i).startsWith('"');
  /**
   * The order of VS Code's suggest widget for items that match the typed text equally well (here: nothing typed
   * but the quote): by sortText (lower-cased) when both have one, else by label — as in the workbench's
   * suggest comparator. executeCompletionItemProvider returns the merged items without that ordering.
   */
  function widgetOrder(items: vscode.CompletionItem[]): vscode.CompletionItem[] {
    return [...items].sort((a, b) => {
      const sa = a.sortText?.toLowerCase();
      const sb = b.sortText?.toLowerCase();
      if (sa && sb && sa !== sb) return sa < sb ? -1 : 1;
      const la = labelOf(a);
      const lb = labelOf(b);
      return la < lb ? -1 : la > lb ? 1 : 0;
    });
  }

  it('lists its Field names above VS Code\'s generic JSON guesses (content-detected selector file)', async () => {
    const uri = writeFile('order-detected.json', ORDER_DOC);
    const ed = await open(uri);
    const list = await until('completion items from both providers', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, offsetOf(ed.document, '""', 0, 1));
      return l.items.some(generic) && l.items.some((i) => i.kind === vscode.CompletionItemKind.Field) ? l : undefined;
    });
    const ordered = widgetOrder(list.items);
    const firstGeneric = ordered.findIndex(generic);
    const lastOurs = ordered.map((i) => i.kind === vscode.CompletionItemKind.Field).lastIndexOf(true);
    assert.ok(lastOurs < firstGeneric, `generic JSON guesses listed among ours: ${ordered.map((i) => `${labelOf(i)}[${i.sortText}]`).join(', ')}`);
    assert.equal(labelOf(ordered[0]), 'eventName', 'the first suggestion is a field a Data selector still needs');
  });

  it('drops VS Code\'s generic JSON guesses for Field values in *.selectors.json', async () => {
    const uri = writeFile('order.selectors.json', ORDER_DOC);
    const ed = await open(uri);
    const list = await until('the extension\'s Field names, without generic guesses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, offsetOf(ed.document, '""', 0, 1));
      return l.items.some((i) => i.kind === vscode.CompletionItemKind.Field) && !l.items.some(generic) ? l : undefined;
    }, 15_000);
    const labels = list.items.map(labelOf);
    assert.ok(!labels.includes('"readonly"') && !labels.includes('readonly'), 'the misspelt field from elsewhere is not proposed');
    assert.ok(!labels.some((l) => l.replace(/"/g, '') === 'resources.type'), 'a second resources.type is not proposed');
    assert.ok(labels.includes('eventName') && labels.includes('resources.ARN'), labels.join(','));
  });

  it('offers selector snippets where a selector can go', async () => {
    const uri = writeFile('fresh.selectors.json', '[\n  \n]\n');
    await open(uri);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(1, 2));
    const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    const direct = await vscode.commands.executeCommand('cloudtrailLens.selectors._complete', uri, new vscode.Position(1, 2));
    const all = JSON.stringify(direct) + ' / ' + list.items.map((i) => `${typeof i.label === 'string' ? i.label : i.label.label}:${i.kind}`).join(' | ');
    for (const s of ['S3 writes for one bucket', 'Network activity denied at VPC endpoints', 'All Greengrass data events']) assert.ok(snippets.includes(s), `missing ${s}; items: ${all}`);
  });

  it('hovers a resources.type with its service and ARN format', async () => {
    const uri = writeFile('hover.selectors.json', '[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::Lambda::Function"]}]}]');
    const ed = await open(uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, offsetOf(ed.document, 'AWS::Lambda', 0, 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /AWS Lambda/);
    assert.match(text, /function:<function_name>/);
  });

  it('applies a quick fix (wrong-case field) and the error goes away', async () => {
    const uri = writeFile('fix.selectors.json', '[{"FieldSelectors": [{"Field": "EventCategory", "Equals": ["Management"]}]}]');
    const ed = await open(uri);
    const diag = await until('field-misspelt', () => ours(uri).find((d) => d.code === 'field-misspelt'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Change to eventCategory');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(ed.document.getText(), /"Field": "eventCategory"/);
    await until('errors to clear', () => !ours(uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error));
  });

  it('JSONC: comments and trailing commas are errors with removal fixes; the empty-list fix removes all at once', async () => {
    const text = '{\n  // exported from get-event-selectors\n  "AdvancedEventSelectors": [\n    { "Name": "m", "FieldSelectors": [ { "Field": "eventCategory", "Equals": ["Management"], "StartsWith": [], "NotEquals": [] }, ] }\n  ]\n}\n';
    const uri = writeFile('lenient.jsonc', text);
    const ed = await open(uri);
    assert.equal(ed.document.languageId, 'jsonc');
    const comment = await until('json-comment', () => ours(uri).find((d) => d.code === 'json-comment'));
    assert.equal(ed.document.getText(comment.range), '// exported from get-event-selectors');
    assert.equal(comment.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(ours(uri).find((d) => d.code === 'json-trailing-comma'));
    assert.equal(ours(uri).filter((d) => d.code === 'operator-empty').length, 2);
    let actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, comment.range, vscode.CodeActionKind.QuickFix.value);
    const remove = actions.find((a) => a.title === 'Remove the comment');
    assert.ok(remove?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(remove.edit));
    assert.doesNotMatch(ed.document.getText(), /\/\//);
    const empty = await until('operator-empty after the edit', () => ours(uri).find((d) => d.code === 'operator-empty' && !ours(uri).some((x) => x.code === 'json-comment')));
    actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, empty.range, vscode.CodeActionKind.QuickFix.value);
    const all = actions.find((a) => a.title === 'Remove all 2 empty operator lists');
    assert.ok(all?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(all.edit));
    await until('empty lists gone', () => !ours(uri).some((d) => d.code === 'operator-empty'));
    assert.doesNotMatch(ed.document.getText(), /\[\]/);
  });

  it('shows the value count in the status bar', async () => {
    const uri = writeFile('count.selectors.json', JSON.stringify([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }] }]));
    await open(uri);
    const text = await until('status text', async () => {
      const t = await vscode.commands.executeCommand<string>('cloudtrailLens.selectors._status');
      return t && t.includes('3 of 500') ? t : undefined;
    });
    assert.match(text, /Trail · 3 of 500 values/);
  });

  it('dry run counts what each selector would log over a corpus file', async () => {
    const corpus = process.env.CLOUDTRAIL_LENS_CORPUS ?? path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'corpus');
    const logDir = path.join(corpus, 'otrf-security-datasets');
    const logFile = path.join(logDir, fs.readdirSync(logDir).find((f) => f.endsWith('.json'))!);
    const uri = writeFile('dry.selectors.json', JSON.stringify([{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]));
    const result = await vscode.commands.executeCommand<{ total: number; logged: number; notLogged: number; perSelector: { count: number }[] }>(
      'cloudtrailLens.selectors.dryRun', { uri, files: [vscode.Uri.file(logFile)], show: false });
    // Independent count from the raw JSON Lines.
    const raw = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    const mgmt = raw.filter((e) => !(e.eventCategory === 'Data' || e.managementEvent === false)).length;
    assert.equal(result.total, raw.length);
    assert.equal(result.perSelector[0].count, mgmt);
    assert.equal(result.notLogged, raw.length - mgmt);
  });

  describe('fetch and apply against moto', () => {
    // The AWS set-up hook (test/integration/setup/aws.mjs) runs moto behind a CloudTrail endpoint and writes a
    // test profile; this suite adds its own trail there so it never touches the explorer's seeded trails.
    const env = process.env;
    const settings = ['configFile', 'credentialsFile', 'profile', 'regions'];
    let saved: Record<string, unknown> = {};
    let trailArn = '';
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'seed' };
    const ct = () => new CloudTrailClient({ endpoint: env.AWS_ENDPOINT_URL_CLOUDTRAIL, region: 'us-east-1', credentials, maxAttempts: 1 });

    before(async function () {
      if (!env.CLOUDTRAIL_LENS_TEST_AWS_CONFIG_FILE || !env.AWS_ENDPOINT_URL_CLOUDTRAIL || !env.AWS_ENDPOINT_URL_S3) this.skip();
      const cfg = vscode.workspace.getConfiguration('cloudtrailLens.aws');
      saved = Object.fromEntries(settings.map((k) => [k, cfg.inspect(k)?.globalValue]));
      await cfg.update('configFile', env.CLOUDTRAIL_LENS_TEST_AWS_CONFIG_FILE, vscode.ConfigurationTarget.Global);
      await cfg.update('credentialsFile', env.CLOUDTRAIL_LENS_TEST_AWS_CREDENTIALS_FILE, vscode.ConfigurationTarget.Global);
      await cfg.update('profile', env.CLOUDTRAIL_LENS_TEST_AWS_PROFILE, vscode.ConfigurationTarget.Global);
      await cfg.update('regions', [env.CLOUDTRAIL_LENS_TEST_AWS_REGION ?? 'us-east-1'], vscode.ConfigurationTarget.Global);
      const s3 = new S3Client({ endpoint: env.AWS_ENDPOINT_URL_S3, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
      await s3.send(new CreateBucketCommand({ Bucket: 'sel-trail-logs' }));
      trailArn = (await ct().send(new CreateTrailCommand({ Name: 'sel-trail', S3BucketName: 'sel-trail-logs' }))).TrailARN!;
      await ct().send(new PutEventSelectorsCommand({ TrailName: trailArn, AdvancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] }));
    });

    after(async () => {
      const cfg = vscode.workspace.getConfiguration('cloudtrailLens.aws');
      for (const k of settings) if (k in saved) await cfg.update(k, saved[k], vscode.ConfigurationTarget.Global);
    });

    it('fetch opens the trail\'s selectors as an untitled JSON document', async () => {
      const doc = await vscode.commands.executeCommand<vscode.TextDocument>('cloudtrailLens.selectors.fetch', { trail: trailArn });
      assert.ok(doc, 'no document opened');
      assert.equal(doc.isUntitled, true);
      assert.equal(doc.languageId, 'json');
      const parsed = JSON.parse(doc.getText());
      assert.equal(parsed.TrailARN, trailArn);
      assert.deepEqual(parsed.AdvancedEventSelectors, [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]);
    });

    it('apply refuses a document with errors and writes nothing', async () => {
      const uri = writeFile('apply-bad.selectors.json', JSON.stringify({ TrailName: trailArn, AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] }));
      let asked = false;
      const r = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('cloudtrailLens.selectors.apply', { uri, confirm: async () => (asked = true) });
      assert.equal(r.applied, false);
      assert.match(r.reason!, /error/);
      assert.equal(asked, false, 'must not even ask');
      const now = await ct().send(new GetEventSelectorsCommand({ TrailName: trailArn }));
      assert.equal(now.AdvancedEventSelectors?.[0].Name, 'mgmt');
    });

    it('apply shows a diff, writes nothing when not confirmed, and writes in the home region when confirmed', async () => {
      const wanted = [{ Name: 'S3 writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: ['false'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::data-bucket/'] }] }];
      const uri = writeFile('apply.selectors.json', JSON.stringify({ TrailName: trailArn, AdvancedEventSelectors: wanted }, null, 2));
      let message = '';
      const no = await vscode.commands.executeCommand<{ applied: boolean }>('cloudtrailLens.selectors.apply', { uri, confirm: async (m: string) => ((message = m), false) });
      assert.equal(no.applied, false);
      assert.match(message, /sel-trail/);
      assert.equal((await ct().send(new GetEventSelectorsCommand({ TrailName: trailArn }))).AdvancedEventSelectors?.[0].Name, 'mgmt', 'written without confirmation');
      const diffTab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.scheme === 'cloudtrail-lens-selectors');
      assert.ok(diffTab, 'no diff editor of current vs new');
      // Cancelled (the signal stands for the progress notification's Cancel button) before the write went out.
      const abort = new AbortController();
      abort.abort();
      const cancelled = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('cloudtrailLens.selectors.apply', { uri, confirm: async () => true, signal: abort.signal });
      assert.equal(cancelled.applied, false);
      assert.match(cancelled.reason ?? '', /Cancelled: nothing was written/);
      assert.equal((await ct().send(new GetEventSelectorsCommand({ TrailName: trailArn }))).AdvancedEventSelectors?.[0].Name, 'mgmt', 'written although cancelled');
      const yes = await vscode.commands.executeCommand<{ applied: boolean; region?: string }>('cloudtrailLens.selectors.apply', { uri, confirm: async () => true });
      assert.equal(yes.applied, true);
      assert.equal(yes.region, 'us-east-1');
      const after = await ct().send(new GetEventSelectorsCommand({ TrailName: trailArn }));
      assert.deepEqual(after.AdvancedEventSelectors, wanted);
    });
  });
});
