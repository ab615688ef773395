import type * as vscode from 'vscode';

/** Registers the selectors feature. (Placeholder until the feature lands.) */
export function registerSelectors(_context: vscode.ExtensionContext): void {}
