import type * as vscode from 'vscode';

/**
 * One node of the CloudTrail Lens explorer tree. The AWS part (profiles → regions → trails / recent events) and the
 * local part (log folders → account → region → day → files) each supply their own nodes through an ExplorerSection.
 */
export interface ExplorerNode {
  readonly parent?: ExplorerNode;
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren?(token?: vscode.CancellationToken): ExplorerNode[] | Promise<ExplorerNode[]>;
}

/** A group of top-level nodes with its own change event (fire undefined to refresh the whole section). */
export interface ExplorerSection extends vscode.Disposable {
  roots(): ExplorerNode[] | Promise<ExplorerNode[]>;
  readonly onDidChange: vscode.Event<ExplorerNode | undefined>;
}
