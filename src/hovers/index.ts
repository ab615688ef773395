import type * as vscode from 'vscode';

/** Registers the hovers feature. (Placeholder until the feature lands.) */
export function registerHovers(_context: vscode.ExtensionContext): void {}
