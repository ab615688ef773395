import type * as vscode from 'vscode';

/** Registers the explorer feature. (Placeholder until the feature lands.) */
export function registerExplorer(_context: vscode.ExtensionContext): void {}
