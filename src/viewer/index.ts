import type * as vscode from 'vscode';

/** Registers the viewer feature. (Placeholder until the feature lands.) */
export function registerViewer(_context: vscode.ExtensionContext): void {}
