/**
 * The explorer's TreeDataProvider: concatenates the roots of its sections (local log folders first, then AWS)
 * and forwards their change events, coalesced per tick so a burst of refreshes redraws once.
 */
import * as vscode from 'vscode';
import type { ExplorerNode, ExplorerSection } from './node';
import { logError } from '../common/log';
import { Disposable } from '../common/dispose';

export class ExplorerTreeProvider extends Disposable implements vscode.TreeDataProvider<ExplorerNode> {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private pending = new Set<ExplorerNode | undefined>();
  private scheduled = false;

  constructor(readonly sections: ExplorerSection[]) {
    super();
    this.register(this.changed);
    for (const s of sections) this.register(s.onDidChange((n) => this.queue(n)));
  }

  private queue(node: ExplorerNode | undefined): void {
    this.pending.add(node);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const nodes = this.pending;
      this.pending = new Set();
      // A full refresh makes the node refreshes redundant.
      if (nodes.has(undefined)) this.changed.fire(undefined);
      else for (const n of nodes) this.changed.fire(n);
    });
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return node.getTreeItem();
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      const all: ExplorerNode[] = [];
      for (const s of this.sections) {
        try {
          all.push(...(await s.roots()));
        } catch (err) {
          logError('listing explorer roots', err);
        }
      }
      return all;
    }
    try {
      return (await node.getChildren?.()) ?? [];
    } catch (err) {
      logError('expanding an explorer node', err);
      return [];
    }
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }
}
