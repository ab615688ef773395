/** Showing AWS data: in the record viewer (`cloudtrailLens.openRecords`) or as untitled JSON documents. */
import * as vscode from 'vscode';
import { log } from '../../common/log';

export interface OpenRecordsArgs {
  title: string;
  events: object[];
}

/** Opens records in the record viewer; falls back to a JSON document if the viewer is not available. */
export async function openInViewer(args: OpenRecordsArgs): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('cloudtrailLens.openRecords')) {
    await vscode.commands.executeCommand('cloudtrailLens.openRecords', args);
    return;
  }
  log().warn('cloudtrailLens.openRecords is not available; showing the records as JSON');
  await openJson({ Records: args.events });
}

/** An untitled JSON document (the hovers and selector tooling attach to it). */
export async function openJson(value: unknown): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(value, null, 2) + '\n' });
  return vscode.window.showTextDocument(doc, { preview: false });
}
