/**
 * CloudTrail field hovers inside a real VS Code: opens corpus files and untitled documents, asks VS Code for the
 * hovers at a position (all providers, including the built-in JSON ones) and checks ours.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'cloudtrail-lens.cloudtrail-lens';
/** Every CloudTrail hover ends with a link to an AWS page; no other provider writes this exact text. */
const OUR_LINK = '[AWS documentation](https://';

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} not loaded`);
  return ext;
}

function corpusFile(...parts: string[]): vscode.Uri {
  const corpus = process.env.CLOUDTRAIL_LENS_CORPUS ?? path.join(extension().extensionPath, 'test', 'corpus');
  return vscode.Uri.file(path.join(corpus, ...parts));
}

interface Found {
  text: string;
  range?: vscode.Range;
}

async function hoversAt(doc: vscode.TextDocument, offset: number): Promise<Found[]> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    doc.positionAt(offset),
  )) ?? [];
  return hovers.map((h) => ({
    text: h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n'),
    range: h.range,
  }));
}

async function ourHover(doc: vscode.TextDocument, offset: number): Promise<Found | undefined> {
  return (await hoversAt(doc, offset)).find((h) => h.text.includes(OUR_LINK));
}

/** Offset just inside the `n`-th occurrence of `needle`, found in the document's own text. */
function inside(doc: vscode.TextDocument, needle: string, n = 0, delta = 2): number {
  const text = doc.getText();
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} #${n} not found in ${doc.uri.fsPath}`);
  }
  return i + delta;
}

function rangeText(doc: vscode.TextDocument, range: vscode.Range | undefined): string | undefined {
  return range ? doc.getText(range) : undefined;
}

describe('CloudTrail hovers', function () {
  this.timeout(60_000);

  before(async () => {
    await extension().activate();
  });

  it('documents the userIdentity key in a root-array file', async () => {
    const doc = await vscode.workspace.openTextDocument(corpusFile('stratus-red-team', 'aws.defense-evasion.cloudtrail-delete.json'));
    const hover = await ourHover(doc, inside(doc, '"userIdentity"'));
    assert.ok(hover, 'no CloudTrail hover on userIdentity');
    assert.match(hover.text, /Caller identity/);
    assert.match(hover.text, /Who made the request/);
    assert.match(hover.text, /cloudtrail-event-reference-user-identity\.html/);
    assert.equal(rangeText(doc, hover.range), '"userIdentity"');
  });

  it('explains the value of userIdentity.type in a log file', async () => {
    const doc = await vscode.workspace.openTextDocument(corpusFile('awsdocs-examples', 'cloudtrail-ug__cloudtrail-log-file-examples__01.json'));
    const hover = await ourHover(doc, inside(doc, '"IAMUser"', 0, 3));
    assert.ok(hover, 'no CloudTrail hover on the type value');
    assert.match(hover.text, /Identity type/);
    assert.match(hover.text, /`IAMUser`: An IAM user's long-term credentials/);
    assert.equal(rangeText(doc, hover.range), '"IAMUser"');
  });

  it('works per line in JSON Lines files', async () => {
    const doc = await vscode.workspace.openTextDocument(corpusFile('panther-analysis', 'aws_add_malicious_lambda_extension.tests.jsonl'));
    const secondLine = doc.lineAt(1);
    const col = secondLine.text.indexOf('"eventTime"');
    assert.ok(col >= 0);
    const hover = await ourHover(doc, doc.offsetAt(secondLine.range.start) + col + 3);
    assert.ok(hover, 'no hover in the JSONL file');
    assert.match(hover.text, /Event time/);
    assert.match(hover.text, /since eventVersion 1\.0/);
    assert.equal(hover.range?.start.line, 1);
  });

  it('documents digest-file fields', async () => {
    const doc = await vscode.workspace.openTextDocument(
      corpusFile('awsdocs-examples', 'cloudtrail-ug__cloudtrail-log-file-validation-digest-file-structure__01.json'),
    );
    const hover = await ourHover(doc, inside(doc, '"previousDigestSignature"'));
    assert.ok(hover);
    assert.match(hover.text, /Previous digest signature/);
    assert.match(hover.text, /digest-file-structure/);
  });

  it('gives no CloudTrail hover in other JSON, even with CloudTrail-like keys', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'json',
      content: '{\n  "settings": {"userIdentity": {"type": "AssumedRole"}},\n  "eventTypeLabel": "x"\n}\n',
    });
    assert.equal(await ourHover(doc, inside(doc, '"userIdentity"')), undefined);
    assert.equal(await ourHover(doc, inside(doc, '"AssumedRole"')), undefined);
    // A real JSON file on disk that is not CloudTrail: the corpus's own index.
    const index = await vscode.workspace.openTextDocument(corpusFile('awsdocs-examples', '_index.json'));
    assert.equal(await ourHover(index, inside(index, '"file"')), undefined);
  });

  it('can be turned off with cloudtrailLens.hovers.enabled', async () => {
    const doc = await vscode.workspace.openTextDocument(corpusFile('stratus-red-team', 'aws.defense-evasion.cloudtrail-delete.json'));
    const config = vscode.workspace.getConfiguration('cloudtrailLens');
    await config.update('hovers.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await ourHover(doc, inside(doc, '"eventName"')), undefined);
    } finally {
      await config.update('hovers.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.ok(await ourHover(doc, inside(doc, '"eventName"')));
  });

  it('re-checks a document after it is edited into CloudTrail', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: '{"hello": "world"}' });
    assert.equal(await ourHover(doc, inside(doc, '"hello"')), undefined);
    const record = JSON.stringify({
      Records: [{ eventVersion: '1.08', eventTime: '2024-01-01T00:00:00Z', eventSource: 's3.amazonaws.com',
        eventName: 'GetObject', userIdentity: { type: 'AssumedRole' }, eventCategory: 'Data' }],
    }, null, 2);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), record);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const hover = await ourHover(doc, inside(doc, '"Data"', 0, 2));
    assert.ok(hover, 'no hover after the edit');
    assert.match(hover.text, /`Data`: A data event/);
  });
});
