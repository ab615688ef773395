/**
 * "Trace this identity" in VS Code: runs the core identity trace (src/core/insight/trace.ts) over the records
 * loaded in a record viewer and shows it as the "Identity Trace" tree view (principal → role → session →
 * actions, with counts and times). Clicking a node shows only its records in that viewer (a row set, shown as
 * a removable chip there).
 */
import * as vscode from 'vscode';
import { ISSUING_EVENTS, TraceIndex, type Trace, type TraceNode, type TraceSource } from '../core/insight';
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
  /** Path of the item's decoration URI, once it has one. */
  decorationKey?: string;
}

const ICONS: Record<TraceNode['kind'], string> = { principal: 'account', role: 'shield', session: 'key', action: 'symbol-event' };

/** The node's time span; a span within one UTC day names the day once ("2026-01-12 08:30:00Z – 08:52:50Z"). */
function when(node: TraceNode): string {
  if (node.first !== node.first) return '';
  const a = formatUtc(node.first);
  const b = formatUtc(node.last);
  if (a === b) return a;
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} – ${b.slice(11)}` : `${a} – ${b}`;
}

/**
 * What the tree shows as a node's label, and the issuing call it names. The core labels a session
 * "<session> (<issuing call>)"; in a side bar that suffix pushes the session name and the counts out of sight, so the
 * tree shows the session name and puts the call after the counts (unless the name is the call itself).
 */
export function shownLabel(node: TraceNode): { label: string; via: string } {
  const label = node.label || '(unnamed)';
  const m = node.kind === 'session' ? / \(([A-Za-z]+)\)$/.exec(label) : null;
  if (!m || !ISSUING_EVENTS.has(m[1])) return { label, via: '' };
  const name = label.slice(0, m.index);
  return { label: name, via: name === m[1] ? '' : m[1] };
}

/**
 * The tree item's description: counts (and how many of the records failed, `errors`), the issuing call of a
 * session, and times; heuristic links are marked with ≈.
 */
export function describeNode(node: TraceNode, errors = 0): string {
  const count = `${node.count} record${node.count === 1 ? '' : 's'}`;
  const failed = errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '';
  return [node.link === 'heuristic' ? '≈ heuristic' : '', count, failed, shownLabel(node).via, when(node)].filter(Boolean).join(' · ');
}

interface Failures {
  /** How many of the node's records carry an errorCode. */
  count: number;
  /** Their error codes, most frequent first. */
  codes: string[];
}

/** The failed calls among a node's records (counted once per node). */
const failures = new WeakMap<TraceNode, Failures>();
function failuresOf(node: TraceNode, table: RecordTable | undefined): Failures {
  if (!table) return { count: 0, codes: [] };
  let f = failures.get(node);
  if (!f) {
    const byCode = new Map<string, number>();
    for (const r of node.rows) {
      const code = r < table.size ? table.cell(r, 'errorCode') : '';
      if (code) byCode.set(code, (byCode.get(code) ?? 0) + 1);
    }
    let count = 0;
    for (const n of byCode.values()) count += n;
    f = { count, codes: [...byCode].sort((a, b) => b[1] - a[1]).map(([c]) => c) };
    failures.set(node, f);
  }
  return f;
}

/**
 * Failed calls are also shown as a decoration (a badge with their count at the row's right edge, which a narrow
 * side bar does not cut like the description; the label coloured on the actions that failed). Tree items carry
 * a `cloudtrail-lens-trace:` URI only for that.
 */
const DECORATION_SCHEME = 'cloudtrail-lens-trace';

function decorationOf(node: TraceNode, f: Failures): vscode.FileDecoration | undefined {
  if (f.count === 0) return undefined;
  const codes = f.codes.slice(0, 3).join(', ') + (f.codes.length > 3 ? ', …' : '');
  const tooltip = `${f.count} of ${node.count} record${node.count === 1 ? '' : 's'} failed (${codes})`;
  const color = node.kind === 'action' ? new vscode.ThemeColor('list.errorForeground') : undefined;
  return new vscode.FileDecoration(f.count > 99 ? '!' : String(f.count), tooltip, color);
}

class TraceTree extends Disposable implements vscode.TreeDataProvider<Item> {
  private readonly changed = this.register(new vscode.EventEmitter<Item | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  trace: Trace | undefined;
  session: ViewerSession | undefined;
  /** The table the trace was made over (for error counts). */
  table: RecordTable | undefined;
  root: Item | undefined;
  /** Decoration URIs of the items shown (key → item), for the decoration provider. */
  private readonly decorated = new Map<string, Item>();
  private nextId = 0;

  /** The decoration of a tree item's URI (see {@link DECORATION_SCHEME}). */
  decoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const item = uri.scheme === DECORATION_SCHEME ? this.decorated.get(uri.path) : undefined;
    return item ? decorationOf(item.node, failuresOf(item.node, this.table)) : undefined;
  }

  set(trace: Trace, session: ViewerSession, table: RecordTable): void {
    this.trace = trace;
    this.session = session;
    this.table = table;
    this.root = { node: trace.root };
    this.decorated.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(item: Item): vscode.TreeItem {
    const n = item.node;
    const failed = failuresOf(n, this.table);
    const description = describeNode(n, failed.count);
    const state = n.children.length === 0 ? vscode.TreeItemCollapsibleState.None : n.onPath && n.kind !== 'action' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const t = new vscode.TreeItem(shownLabel(n).label, state);
    t.description = description;
    if (failed.count > 0) {
      item.decorationKey ??= `/${++this.nextId}`;
      this.decorated.set(item.decorationKey, item);
      t.resourceUri = vscode.Uri.from({ scheme: DECORATION_SCHEME, path: item.decorationKey });
    }
    t.iconPath = new vscode.ThemeIcon(ICONS[n.kind], n.onPath ? new vscode.ThemeColor('charts.blue') : undefined);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${n.kind}** · ${n.link === 'exact' ? 'exact link' : 'heuristic link'}\n\n`);
    if (shownLabel(n).label !== n.label) md.appendText(n.label).appendMarkdown('\n\n');
    md.appendText(n.why);
    if (failed.count > 0) md.appendMarkdown('\n\n').appendText(decorationOf(n, failed)?.tooltip ?? '');
    if (n.detail) md.appendMarkdown('\n\n').appendText(n.detail);
    if (n.onPath) md.appendMarkdown('\n\n').appendText('On the way to the traced record.');
    md.appendMarkdown('\n\n').appendText(`${description}. Click to show these records in the viewer.`);
    t.tooltip = md;
    t.accessibilityInformation = { label: `${n.kind} ${n.label}, ${description}${n.onPath ? ', on the traced path' : ''}` };
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

function snapshot(n: TraceNode, table: RecordTable | undefined): SnapshotNode {
  return { kind: n.kind, label: n.label, description: describeNode(n, failuresOf(n, table).count), link: n.link, accessKey: n.accessKey, count: n.count, rows: [...n.rows].sort((a, b) => a - b), onPath: n.onPath, children: n.children.map((c) => snapshot(c, table)) };
}

export function registerTrace(context: vscode.ExtensionContext): void {
  const tree = new TraceTree();
  const view = vscode.window.createTreeView(TRACE_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(tree, view, vscode.window.registerFileDecorationProvider({ provideFileDecoration: (uri) => tree.decoration(uri) }));

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
    tree.set(trace, session, source.table);
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
      'cloudtrailLens.trace._snapshot': () => (tree.trace ? { root: snapshot(tree.trace.root, tree.table), chain: tree.trace.chain, message: view.message } : undefined),
      'cloudtrailLens.trace._show': (path: number[]) => {
        let item = tree.root;
        for (const i of path ?? []) item = item && tree.getChildren(item)[i];
        return item ? vscode.commands.executeCommand('cloudtrailLens.trace.showRecords', item) : false;
      },
    }),
  );
}
