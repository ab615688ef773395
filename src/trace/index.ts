/**
 * "Trace this identity" in VS Code: runs the core identity trace (src/core/insight/trace.ts) over the records
 * loaded in a record viewer and shows it as the "Identity Trace" tree view (principal → role → session →
 * actions, with counts and times). Clicking a node shows only its records in that viewer (a row set, shown as
 * a removable chip there).
 */
import * as vscode from 'vscode';
import { TraceIndex, type Trace, type TraceNode, type TraceSource } from '../core/insight';
import type { RecordTable } from '../core/table';
import type { JsonObject } from '../core/records/types';
import { formatUtc } from '../core/insight';
import { registerCommands } from '../common/commands';
import { log } from '../common/log';
import { Disposable } from '../common/dispose';
import { TRACE_COMMAND, activeViewerSession, type TraceRequest, type ViewerSession } from '../viewer';
import { RecordSource } from '../viewer/source';

export const TRACE_VIEW_ID = 'cloudtrailLens.trace';

/** One trace index per table, rebuilt incrementally when records were added. */
const indexes = new WeakMap<RecordTable, TraceIndex>();

function traceSource(table: RecordTable): TraceSource {
  return {
    get size() {
      return table.size;
    },
    accessKey: (i) => table.cell(i, 'accessKey'),
    eventName: (i) => table.cell(i, 'eventName'),
    who: (i) => table.cell(i, 'who'),
    time: (i) => table.time(i),
    event: (i) => parsed(table, i),
  };
}

/**
 * The record for the trace, which reads only strings: the engine's JSON.parse of the record's text is about 8 ×
 * faster than the lossless parser behind `table.event` (numbers may round, which the trace never reads).
 */
function parsed(table: RecordTable, i: number): JsonObject | undefined {
  try {
    const v = JSON.parse(table.recordText(i)) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return table.event(i);
  }
}

function indexOf(table: RecordTable): TraceIndex {
  let index = indexes.get(table);
  if (!index) indexes.set(table, (index = new TraceIndex(traceSource(table))));
  else index.update();
  return index;
}

interface Item {
  node: TraceNode;
  parent?: Item;
  children?: Item[];
}

const ICONS: Record<TraceNode['kind'], string> = { principal: 'account', role: 'shield', session: 'key', action: 'symbol-event' };

function when(node: TraceNode): string {
  if (node.first !== node.first) return '';
  const a = formatUtc(node.first);
  const b = formatUtc(node.last);
  return a === b ? a : `${a} – ${b}`;
}

/** The tree item's description: counts and times; heuristic links are marked with ≈. */
export function describeNode(node: TraceNode): string {
  const count = `${node.count} record${node.count === 1 ? '' : 's'}`;
  return [node.link === 'heuristic' ? '≈ heuristic' : '', count, when(node)].filter(Boolean).join(' · ');
}

class TraceTree extends Disposable implements vscode.TreeDataProvider<Item> {
  private readonly changed = this.register(new vscode.EventEmitter<Item | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  trace: Trace | undefined;
  session: ViewerSession | undefined;
  root: Item | undefined;

  set(trace: Trace, session: ViewerSession): void {
    this.trace = trace;
    this.session = session;
    this.root = { node: trace.root };
    this.changed.fire(undefined);
  }

  getTreeItem(item: Item): vscode.TreeItem {
    const n = item.node;
    const state = n.children.length === 0 ? vscode.TreeItemCollapsibleState.None : n.onPath && n.kind !== 'action' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const t = new vscode.TreeItem(n.label || '(unnamed)', state);
    t.description = describeNode(n);
    t.iconPath = new vscode.ThemeIcon(ICONS[n.kind], n.onPath ? new vscode.ThemeColor('charts.blue') : undefined);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${n.kind}** · ${n.link === 'exact' ? 'exact link' : 'heuristic link'}\n\n`);
    md.appendText(n.why);
    if (n.detail) md.appendMarkdown('\n\n').appendText(n.detail);
    if (n.onPath) md.appendMarkdown('\n\n').appendText('On the way to the traced record.');
    md.appendMarkdown('\n\n').appendText(`${describeNode(n)}. Click to show these records in the viewer.`);
    t.tooltip = md;
    t.accessibilityInformation = { label: `${n.kind} ${n.label}, ${describeNode(n)}${n.onPath ? ', on the traced path' : ''}` };
    t.contextValue = `trace.${n.kind}`;
    t.command = { command: 'cloudtrailLens.trace.showRecords', title: 'Show These Records', arguments: [item] };
    return t;
  }

  getChildren(item?: Item): Item[] {
    if (!item) return this.root ? [this.root] : [];
    item.children ??= item.node.children.map((node) => ({ node, parent: item }));
    return item.children;
  }

  getParent(item: Item): Item | undefined {
    return item.parent;
  }
}

interface SnapshotNode {
  kind: TraceNode['kind'];
  label: string;
  description: string;
  link: TraceNode['link'];
  accessKey: string;
  count: number;
  rows: number[];
  onPath: boolean;
  children: SnapshotNode[];
}

function snapshot(n: TraceNode): SnapshotNode {
  return { kind: n.kind, label: n.label, description: describeNode(n), link: n.link, accessKey: n.accessKey, count: n.count, rows: [...n.rows].sort((a, b) => a - b), onPath: n.onPath, children: n.children.map(snapshot) };
}

export function registerTrace(context: vscode.ExtensionContext): void {
  const tree = new TraceTree();
  const view = vscode.window.createTreeView(TRACE_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(tree, view);

  const run = async (arg?: unknown): Promise<Trace | undefined> => {
    const req = arg as Partial<TraceRequest> | undefined;
    const session = req?.session ?? activeViewerSession();
    if (!session) {
      void vscode.window.showInformationMessage('CloudTrail Lens: open a CloudTrail log in the record viewer, select a record, then run "Trace This Identity".');
      return undefined;
    }
    const source = session.rowSource;
    if (!(source instanceof RecordSource)) {
      void vscode.window.showInformationMessage('CloudTrail Lens: a digest file lists log files, not records: there is no identity to trace.');
      return undefined;
    }
    const index = typeof req?.index === 'number' ? req.index : (typeof arg === 'number' ? arg : session.latestState?.selected);
    if (typeof index !== 'number' || !(index >= 0 && index < source.table.size)) {
      void vscode.window.showInformationMessage('CloudTrail Lens: select a record first (or right-click one and choose "Trace this identity").');
      return undefined;
    }
    const started = performance.now();
    const trace = indexOf(source.table).trace(index);
    log().info(`trace: record ${index} of ${session.doc.displayName}: chain of ${trace.chain.length} (${trace.chain.map((s) => s.link).join(' ← ')}), ${trace.root.count} records under the root, ${(performance.now() - started).toFixed(0)} ms`);
    tree.set(trace, session);
    const exact = trace.chain.slice(1).filter((s) => s.link === 'exact').length;
    const guessed = trace.chain.length - 1 - exact;
    view.message = `Record #${index + 1} in ${session.doc.displayName}: ${trace.chain.length - 1} link${trace.chain.length === 2 ? '' : 's'} back (${exact} exact, ${guessed} heuristic ≈)${trace.truncated ? '; too many sessions, some are not shown' : ''}. Click a node to show its records.`;
    // The view appears once there is a trace to show (it would only take room from the explorer before).
    await vscode.commands.executeCommand('setContext', 'cloudtrailLens.traceShown', true);
    await vscode.commands.executeCommand(`${TRACE_VIEW_ID}.focus`);
    return trace;
  };

  context.subscriptions.push(
    registerCommands({
      [TRACE_COMMAND]: run,
      'cloudtrailLens.trace.showRecords': (item?: unknown) => {
        const it = item as Item | undefined;
        const node = it?.node ?? tree.root?.node;
        if (!node) return false;
        const session = tree.session;
        if (!session || session.closed) {
          void vscode.window.showInformationMessage('CloudTrail Lens: the viewer this trace was made in is closed. Open the file and trace the record again.');
          return false;
        }
        const shown = session.showRowSet(node.rows, `${node.label} (${node.kind})`);
        session.panel.reveal(undefined, true);
        return shown;
      },
    }),
    registerCommands({
      // The trace tree as plain data, for tests.
      'cloudtrailLens.trace._snapshot': () => (tree.trace ? { root: snapshot(tree.trace.root), chain: tree.trace.chain, message: view.message } : undefined),
      'cloudtrailLens.trace._show': (path: number[]) => {
        let item = tree.root;
        for (const i of path ?? []) item = item && tree.getChildren(item)[i];
        return item ? vscode.commands.executeCommand('cloudtrailLens.trace.showRecords', item) : false;
      },
    }),
  );
}
