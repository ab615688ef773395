import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The extension's one LogOutputChannel ("CloudTrail Lens" in the Output panel). */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('CloudTrail Lens', { log: true });
  return channel;
}

/** Logs an error with context and returns a message fit for the user. */
export function logError(context: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  log().error(`${context}: ${message}`);
  if (err instanceof Error && err.stack) log().debug(err.stack);
  return message;
}
