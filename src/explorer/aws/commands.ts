/** Commands of the AWS explorer, the status-bar item, and the hidden test hook that snapshots the tree. */
import { safeMessage as safe } from '../../core/userText';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExplorerNode } from '../node';
import type { ExplorerTreeProvider } from '../tree';
import { AwsSection } from './section';
import { config } from '../../common/config';
import {
  ErrorNode,
  EventNode,
  LoadingNode,
  ProfileNode,
  RecentEventsNode,
  RegionNode,
  S3FileNode,
  SelectorsNode,
  TrailNode,
} from './nodes';
import { openBytesInViewer, openInViewer, openJson, regionAccountOrigin } from './open';
import { classifyAwsError } from '../../core/aws/errors';
import { getObjectBytes } from '../../core/aws/s3logs';
import { ssoLoginArgs } from '../../core/aws/profiles';
import {
  EMPTY_FILTER,
  GROUP_BY_LABELS,
  LOOKUP_KEYS,
  TIME_PRESETS,
  isLookupKey,
  parseUserTime,
  presetLabel,
  type AttributeFilter,
  type GroupBy,
  type LookupFilter,
  type LookupKey,
  type TimeRangeSpec,
} from '../../core/aws/events';
import type { EventSelectorsDocument } from '../../core/aws/trails';
import { log, logError } from '../../common/log';
import { registerCommands, type CommandId, type Handler, type TestCommandId } from '../../common/commands';

const COMMON_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2',
  'ap-east-1', 'me-south-1', 'me-central-1', 'af-south-1', 'il-central-1',
];

const KEY_HELP: Record<LookupKey, string> = {
  EventName: 'API action, e.g. ConsoleLogin, RunInstances',
  Username: 'IAM user name or role session name',
  EventSource: 'service endpoint, e.g. s3.amazonaws.com',
  ResourceType: 'e.g. AWS::S3::Bucket',
  ResourceName: 'resource name or ARN',
  AccessKeyId: 'AKIA… / ASIA…',
  ReadOnly: 'true or false',
  EventId: 'the event ID (GUID)',
};

/** A serialisable view of one tree item, for tests and diagnostics. */
export interface SnapshotItem {
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  icon?: string;
  collapsible: boolean;
  command?: string;
  children?: SnapshotItem[];
  /** The node itself (same extension host only), so a test can pass it to commands. */
  node: ExplorerNode;
}

function labelOf(item: vscode.TreeItem): string {
  const l = item.label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

function textOf(v: string | vscode.MarkdownString | undefined): string | undefined {
  return typeof v === 'string' ? v : v?.value;
}

export function registerAwsCommands(context: vscode.ExtensionContext, section: AwsSection, tree: ExplorerTreeProvider): void {
  // AWS errors are shown as classified (what went wrong, what to do); a cancelled call shows nothing.
  const describe = (err: unknown) => {
    const c = classifyAwsError(err);
    return c.kind === 'cancelled' ? undefined : c.message;
  };
  const reg = (id: CommandId | TestCommandId, fn: Handler) => context.subscriptions.push(registerCommands({ [id]: fn }, { describe }));

  /** Every Recent events node of the active profile (one per region). */
  const eventNodes = async (): Promise<RecentEventsNode[]> => {
    const out: RecentEventsNode[] = [];
    for (const root of await section.roots()) {
      if (root instanceof ProfileNode) for (const r of root.getChildren()) if (r instanceof RegionNode) out.push(r.events);
    }
    return out;
  };
  const pickEventsNode = async (arg: unknown): Promise<RecentEventsNode | undefined> => {
    if (arg instanceof RecentEventsNode) return arg;
    const nodes = await eventNodes();
    if (nodes.length <= 1) return nodes[0];
    const pick = await vscode.window.showQuickPick(
      nodes.map((n) => ({ label: n.target.region, node: n })),
      { title: 'Recent events: which region?' },
    );
    return pick?.node;
  };

  // --- profile and regions ---------------------------------------------------------------------------
  // Says what it did: which files were read, what was found and what is active now.
  reg('cloudtrailLens.aws.refresh', async () => {
    await section.reload();
    const summary = await describeAwsState(section);
    log().info(`Refresh AWS: ${summary}`);
    void vscode.window.showInformationMessage(`CloudTrail Lens: ${summary}`);
    return summary;
  });

  reg('cloudtrailLens.aws.openConfigFile', async () => {
    const file = awsConfigPath();
    const uri = vscode.Uri.file(file);
    let exists = true;
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      exists = false;
    }
    if (exists) {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
      return file;
    }
    // A new, unsaved file at that path with an example to fill in; saving it creates the file.
    const doc = await vscode.workspace.openTextDocument(uri.with({ scheme: 'untitled' }));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    if (doc.getText() === '') {
      await editor.edit((e) =>
        e.insert(
          new vscode.Position(0, 0),
          '# AWS CLI / SDK profiles. Fill one in, save, then run "CloudTrail Lens: Refresh AWS".\n' +
            '# An IAM Identity Center (SSO) profile is easiest made with `aws configure sso`.\n' +
            '[profile my-profile]\nregion = us-east-1\n# sso_session = my-sso\n# sso_account_id = 111122223333\n# sso_role_name = ReadOnlyAccess\n',
        ),
      );
    }
    return file;
  });

  reg('cloudtrailLens.aws.configureSso', async () => {
    // The AWS CLI is started directly (no shell parses anything); it asks its questions in the terminal.
    const terminal = vscode.window.createTerminal({ name: 'AWS configure SSO', shellPath: 'aws', shellArgs: ['configure', 'sso'] });
    terminal.show();
    void vscode.window
      .showInformationMessage('Answer `aws configure sso` in the terminal (AWS CLI v2 needed), then reload the AWS profiles.', 'Reload')
      .then((choice) => (choice === 'Reload' ? vscode.commands.executeCommand('cloudtrailLens.aws.refresh') : undefined));
    return ['configure', 'sso'];
  });

  reg('cloudtrailLens.aws.switchProfile', async (name?: unknown) => {
    if (typeof name === 'string') {
      await config.update('aws.profile', name, vscode.ConfigurationTarget.Global);
      return;
    }
    const listing = await section.session.profiles(true);
    const active = await section.session.active();
    type Item = vscode.QuickPickItem & { profile?: string; action?: 'regions' | 'reload' | 'env' | 'docs' };
    const items: Item[] = [
      { label: '$(globe) Choose regions…', description: active.regions.join(', '), action: 'regions' },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...listing.profiles.map<Item>((p) => ({
        label: `${p.name === active.profile ? '$(check) ' : ''}${p.name}`,
        description: [p.kind !== 'other' ? p.kind : '', p.region ?? ''].filter(Boolean).join(' · '),
        detail: `from the ${p.sources.join(' and ')} file`,
        profile: p.name,
      })),
    ];
    if (listing.envCredentials) items.push({ label: '$(key) Environment credentials', description: 'AWS_ACCESS_KEY_ID, container or web identity', action: 'env' });
    if (!listing.profiles.length && !listing.envCredentials) {
      items.push({ label: '$(info) No profiles found', description: 'configure one with `aws configure` or `aws configure sso`', action: 'docs' });
    }
    items.push({ label: '$(refresh) Reload profiles from the AWS config files', action: 'reload' });
    const pick = await vscode.window.showQuickPick(items, { title: 'CloudTrail Lens: AWS profile', placeHolder: `Active: ${activeLabel(active.profile, listing)}` });
    if (!pick) return;
    if (pick.action === 'regions') return vscode.commands.executeCommand('cloudtrailLens.aws.selectRegions');
    if (pick.action === 'reload') return section.reload();
    if (pick.action === 'docs') return vscode.env.openExternal(vscode.Uri.parse('https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html'));
    await config.update('aws.profile', pick.action === 'env' ? '' : pick.profile, vscode.ConfigurationTarget.Global);
  });

  reg('cloudtrailLens.aws.selectRegions', async (regions?: unknown) => {
    if (Array.isArray(regions)) {
      await config.update('aws.regions', regions.filter((r): r is string => typeof r === 'string'), vscode.ConfigurationTarget.Global);
      return;
    }
    const active = await section.session.active();
    const all = [...new Set([...active.regions, ...COMMON_REGIONS])];
    const picks = await vscode.window.showQuickPick(
      all.map((r) => ({ label: r, picked: active.regions.includes(r) })),
      { canPickMany: true, title: 'CloudTrail Lens: regions to browse', placeHolder: 'Each region is a separate node; LookupEvents is per region' },
    );
    if (!picks) return;
    await config.update('aws.regions', picks.map((p) => p.label), vscode.ConfigurationTarget.Global);
  });

  reg('cloudtrailLens.aws.ssoLogin', async (node?: unknown) => {
    const active = await section.session.active();
    const profile = node instanceof ErrorNode ? node.profile : active.profile;
    // The AWS CLI is started directly with an argument list: no shell (bash, PowerShell, cmd.exe) ever parses the
    // profile name, and a name with characters AWS does not allow is dropped (ssoLoginArgs).
    const args = ssoLoginArgs(profile);
    const terminal = vscode.window.createTerminal({ name: 'AWS SSO login', shellPath: 'aws', shellArgs: args });
    terminal.show();
    void vscode.window
      .showInformationMessage(`Complete the sign-in started by \`aws ${args.join(' ')}\` in the terminal, then reload.`, 'Reload')
      .then((choice) => (choice === 'Reload' ? section.reload() : undefined));
    return args;
  });

  // --- generic node actions --------------------------------------------------------------------------
  reg('cloudtrailLens.aws.retry', async (node?: unknown) => {
    if (node instanceof ErrorNode) {
      if (node.retryTarget) return node.retryTarget.refresh();
      if (node.parent instanceof RecentEventsNode) return node.parent.retry();
    }
    return section.reload();
  });
  reg('cloudtrailLens.aws.refreshNode', async (node?: unknown) => {
    if (node instanceof LoadingNode || node instanceof RecentEventsNode) return node.refresh();
    return section.reload();
  });

  // --- recent events ---------------------------------------------------------------------------------
  reg('cloudtrailLens.aws.loadMore', async (node?: unknown) => {
    const n = await pickEventsNode(node);
    if (n) await n.loadMore();
  });

  reg('cloudtrailLens.aws.filterEvents', async (nodeArg?: unknown, filterArg?: unknown) => {
    const node = await pickEventsNode(nodeArg);
    if (!node) return;
    if (filterArg && typeof filterArg === 'object') {
      node.setFilter(normaliseFilter(filterArg as Partial<LookupFilter>));
      return;
    }
    const filter = await askFilter(node);
    if (filter) node.setFilter(filter);
  });

  reg('cloudtrailLens.aws.clearFilter', async (nodeArg?: unknown) => {
    const node = await pickEventsNode(nodeArg);
    node?.setFilter(EMPTY_FILTER);
  });

  reg('cloudtrailLens.aws.groupEvents', async (nodeArg?: unknown, byArg?: unknown) => {
    const node = await pickEventsNode(nodeArg);
    if (!node) return;
    let by = typeof byArg === 'string' && byArg in GROUP_BY_LABELS ? (byArg as GroupBy) : undefined;
    if (!by) {
      const pick = await vscode.window.showQuickPick(
        (Object.keys(GROUP_BY_LABELS) as GroupBy[]).map((k) => ({ label: GROUP_BY_LABELS[k], description: k === node.groupBy ? 'current' : undefined, by: k })),
        { title: 'Group recent events by' },
      );
      by = pick?.by;
    }
    if (by) node.setGroupBy(by);
  });

  reg('cloudtrailLens.aws.openEvent', async (node?: unknown) => {
    if (!(node instanceof EventNode)) return;
    const e = node.event;
    if (!e.record) {
      void vscode.window.showWarningMessage(safe(`CloudTrail Lens: cannot show ${e.name}: ${e.recordProblem ?? 'no record'}.`));
      return;
    }
    await openInViewer({ title: `${e.name} · ${e.time?.toISOString() ?? ''}`, events: [e.record], origin: regionAccountOrigin(node.target.region) });
  });

  reg('cloudtrailLens.aws.openEventJson', async (node?: unknown) => {
    if (!(node instanceof EventNode)) return;
    await openJson(node.event.record ?? { problem: node.event.recordProblem, eventId: node.event.id, eventName: node.event.name });
  });

  reg('cloudtrailLens.aws.openAllEvents', async (nodeArg?: unknown) => {
    const node = await pickEventsNode(nodeArg);
    if (!node) return;
    const events = node.loadedEvents.map((e) => e.record).filter((r): r is Record<string, unknown> => Boolean(r));
    if (!events.length) {
      void vscode.window.showInformationMessage('CloudTrail Lens: no events loaded yet. Expand "Recent events" first.');
      return;
    }
    await openInViewer({
      title: `Recent events · ${node.target.profile ?? 'env'} · ${node.target.region} · ${events.length} event${events.length === 1 ? '' : 's'}`,
      events,
      origin: regionAccountOrigin(node.target.region),
    });
  });

  // --- trails ----------------------------------------------------------------------------------------
  reg('cloudtrailLens.aws.openSelectors', async (arg?: unknown) => {
    let doc: EventSelectorsDocument | undefined;
    if (arg instanceof SelectorsNode || arg instanceof TrailNode) {
      const node = arg instanceof SelectorsNode ? arg : ((arg.getChildren().find((c) => c instanceof SelectorsNode) as SelectorsNode | undefined) ?? undefined);
      if (!node) return;
      doc = node.document ?? (await section.progress(() => node.fetch(section.signal)));
    } else if (arg && typeof arg === 'object' && 'TrailARN' in arg) {
      doc = arg as EventSelectorsDocument;
    }
    if (doc) await openJson(doc);
  });

  reg('cloudtrailLens.aws.openLogFile', async (node?: unknown) => {
    if (!(node instanceof S3FileNode)) return;
    const name = node.key.slice(node.key.lastIndexOf('/') + 1);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading ${name}`, cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          const client = await section.session.s3(node.target);
          const bytes = await getObjectBytes(client, node.bucket, node.key, { signal: AbortSignal.any([controller.signal, section.signal]) });
          if (token.isCancellationRequested) return;
          // Keep the object as a file so the record viewer reads it like any local log (gzip, digest, problems).
          // Keys are untrusted: no '..' or empty segments may climb out of the storage folder.
          const safeKey = node.key.split('/').map((p) => {
            const x = p.replace(/[^\w.@=+-]/g, '_');
            return !x || /^\.+$/.test(x) ? '_' : x;
          });
          const uri = vscode.Uri.joinPath(section.context.globalStorageUri, 's3', (node.bucket.replace(/[^\w.-]/g, '_').replace(/^\.+$/, '_') || '_'), ...safeKey);
          try {
            await vscode.workspace.fs.writeFile(uri, bytes);
            await vscode.commands.executeCommand('vscode.openWith', uri, 'cloudtrailLens.viewer');
            return;
          } catch (err) {
            logError(`opening ${uri.toString()} in the record viewer`, err);
          }
          // Shown from memory through the same ingest path (problems and digests as for a file).
          await openBytesInViewer(name, bytes);
        } finally {
          sub.dispose();
        }
      },
    );
  });

  // --- test hook -------------------------------------------------------------------------------------
  /**
   * Internal (hidden from the palette): the tree below the node reached by `path` (labels, or label prefixes),
   * `depth` levels deep. Expanding nodes here loads them exactly as the view would.
   */
  reg('cloudtrailLens.explorer.snapshot', async (args?: { path?: string[]; depth?: number }) => {
    const path = Array.isArray(args?.path) ? args!.path : [];
    const depth = typeof args?.depth === 'number' ? args.depth : 1;
    let children = await tree.getChildren(undefined);
    for (const seg of path) {
      let next: ExplorerNode | undefined;
      for (const c of children) {
        const l = labelOf(await c.getTreeItem());
        if (l === seg) {
          next = c;
          break;
        }
        if (!next && l.startsWith(seg)) next = c;
      }
      if (!next) throw new Error(`snapshot: no node "${seg}" among ${children.length} children`);
      children = await tree.getChildren(next);
    }
    const snap = async (nodes: ExplorerNode[], d: number): Promise<SnapshotItem[]> => {
      const out: SnapshotItem[] = [];
      for (const n of nodes) {
        const item = await n.getTreeItem();
        const collapsible = item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None;
        out.push({
          label: labelOf(item),
          description: typeof item.description === 'string' ? item.description : undefined,
          tooltip: textOf(item.tooltip),
          contextValue: item.contextValue,
          icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
          collapsible,
          command: item.command?.command,
          children: collapsible && d > 1 ? await snap(await tree.getChildren(n), d - 1) : undefined,
          node: n,
        });
      }
      return out;
    };
    return snap(children, depth);
  });
}

function normaliseFilter(f: Partial<LookupFilter>): LookupFilter {
  const attr = f.attribute && isLookupKey(f.attribute.key) && typeof f.attribute.value === 'string' ? f.attribute : undefined;
  const client = Array.isArray(f.clientFilters) ? f.clientFilters.filter((c) => isLookupKey(c?.key) && typeof c.value === 'string') : [];
  const range: TimeRangeSpec = f.range && typeof f.range === 'object' && 'kind' in f.range ? f.range : { kind: 'all' };
  return { attribute: attr, clientFilters: client, range };
}

/** The filter dialog: one server-side attribute, a time range, then optional client-side conditions. */
async function askFilter(node: RecentEventsNode): Promise<LookupFilter | undefined> {
  const current = node.filter;
  const attribute = await askAttribute(node, 'Filter recent events (server-side, one attribute)', current.attribute, true);
  if (attribute === null) return undefined;

  type RangeItem = vscode.QuickPickItem & { spec?: TimeRangeSpec; custom?: boolean };
  const rangeItems: RangeItem[] = [
    { label: 'Any time', description: 'the last 90 days (all LookupEvents keeps)', spec: { kind: 'all' } },
    ...TIME_PRESETS.map<RangeItem>((p) => ({ label: presetLabel(p), spec: { kind: 'preset', preset: p } })),
    { label: 'Custom range…', description: 'start and end, UTC', custom: true },
  ];
  const rangePick = await vscode.window.showQuickPick(rangeItems, { title: 'Time range' });
  if (!rangePick) return undefined;
  let range: TimeRangeSpec = rangePick.spec ?? { kind: 'all' };
  if (rangePick.custom) {
    const validate = (v: string) => (!v.trim() || parseUserTime(v) ? undefined : 'Use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC), or leave empty');
    const start = await vscode.window.showInputBox({ title: 'Start (UTC)', placeHolder: '2024-05-01 or 2024-05-01T08:00', validateInput: validate });
    if (start === undefined) return undefined;
    const end = await vscode.window.showInputBox({ title: 'End (UTC, empty = now)', placeHolder: '2024-05-02T18:00', validateInput: validate });
    if (end === undefined) return undefined;
    const s = parseUserTime(start);
    const e = parseUserTime(end);
    if (s && e && s > e) {
      void vscode.window.showWarningMessage('CloudTrail Lens: the start is after the end; the range was not changed.');
      return undefined;
    }
    range = { kind: 'custom', start: start.trim() || undefined, end: end.trim() || undefined };
  }

  const clientFilters: AttributeFilter[] = [];
  for (;;) {
    const more = await vscode.window.showQuickPick(
      [
        { label: '$(check) Apply', value: false },
        { label: '$(add) Add a client-side condition…', description: 'applied to loaded pages, since the API takes one attribute', value: true },
      ],
      { title: `Filter: ${[attribute ? `${attribute.key} = ${attribute.value}` : 'all events', ...clientFilters.map((c) => `client: ${c.key} = ${c.value}`)].join(' · ')}` },
    );
    if (!more) return undefined;
    if (!more.value) break;
    const c = await askAttribute(node, 'Client-side condition', undefined, false);
    if (c) clientFilters.push(c);
  }
  return { attribute: attribute ?? undefined, clientFilters, range };
}

/** Asks for a key and a value; undefined = "no attribute", null = cancelled. */
async function askAttribute(node: RecentEventsNode, title: string, current: AttributeFilter | undefined, allowNone: boolean): Promise<AttributeFilter | undefined | null> {
  type KeyItem = vscode.QuickPickItem & { key?: LookupKey };
  const keyItems: KeyItem[] = [
    ...(allowNone ? [{ label: 'All events', description: 'no attribute' } as KeyItem] : []),
    ...LOOKUP_KEYS.map<KeyItem>((k) => ({ label: k, description: KEY_HELP[k] + (current?.key === k ? ` (current: ${current.value})` : ''), key: k })),
  ];
  const keyPick = await vscode.window.showQuickPick(keyItems, { title });
  if (!keyPick) return null;
  if (!keyPick.key) return undefined;
  const key = keyPick.key;
  // Offer values seen in the loaded events; any typed value is accepted too.
  const seen = new Map<string, number>();
  for (const e of node.loadedEvents) {
    const vals =
      key === 'EventName' ? [e.name] : key === 'Username' ? [e.user] : key === 'EventSource' ? [e.source] : key === 'AccessKeyId' ? [e.accessKeyId]
      : key === 'ReadOnly' ? [String(e.readOnly)] : key === 'EventId' ? [e.id] : key === 'ResourceType' ? e.resources.map((r) => r.type) : e.resources.map((r) => r.name);
    for (const v of vals) if (v && v !== 'undefined') seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  const value = await new Promise<string | undefined>((resolve) => {
    const qp = vscode.window.createQuickPick();
    qp.title = `${key} equals…`;
    qp.placeholder = `Type a value (${KEY_HELP[key]}) or pick one seen in the loaded events`;
    qp.items = [...seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, 100).map(([v, n]) => ({ label: v, description: `${n} loaded` }));
    if (current?.key === key) qp.value = current.value;
    let done = false;
    qp.onDidAccept(() => {
      done = true;
      resolve(qp.selectedItems[0]?.label ?? (qp.value.trim() || undefined));
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
  if (!value) return null;
  return { key, value };
}

/** The active profile in words; never claims environment credentials when there are none. */
function activeLabel(profile: string | undefined, listing: { envCredentials: boolean; profiles: unknown[] }): string {
  if (profile) return profile;
  return listing.envCredentials ? 'environment credentials' : 'none (no AWS credentials found)';
}

/** The AWS config file "Open AWS Config File" opens: the setting, else AWS_CONFIG_FILE, else ~/.aws/config. */
function awsConfigPath(): string {
  return config.awsSharedFiles().config || process.env.AWS_CONFIG_FILE || path.join(os.homedir(), '.aws', 'config');
}

/** What Refresh AWS found, in one sentence. */
async function describeAwsState(section: AwsSection): Promise<string> {
  const listing = await section.session.profiles();
  const active = await section.session.active();
  const names = listing.profiles.map((p) => p.name);
  const files = `${active.files.config || process.env.AWS_CONFIG_FILE || '~/.aws/config'} and ${active.files.credentials || process.env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials'}`;
  const found = names.length
    ? `${names.length} profile${names.length === 1 ? '' : 's'} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`
    : 'no profiles';
  const env = listing.envCredentials ? ', environment credentials' : '';
  const warnings = listing.warnings.length ? ` ${listing.warnings.length} problem${listing.warnings.length === 1 ? '' : 's'} reading them (see the log).` : '';
  if (!names.length && !listing.envCredentials) return `Reloaded AWS profiles from ${files}: no credentials found.${warnings}`;
  return `Reloaded AWS profiles from ${files}: ${found}${env}. Active: ${activeLabel(active.profile, listing)} in ${active.regions.join(', ')}; trees and caches cleared.${warnings}`;
}

/** The status-bar item: active profile and regions; click to switch. */
export function registerStatusBar(context: vscode.ExtensionContext, section: AwsSection): void {
  const item = vscode.window.createStatusBarItem('cloudtrailLens.aws.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'CloudTrail Lens: AWS profile';
  item.command = 'cloudtrailLens.aws.switchProfile';
  context.subscriptions.push(item);
  const update = async () => {
    try {
      const listing = await section.session.profiles();
      const active = await section.session.active();
      const has = section.session.hasCredentialsSource(listing);
      const regions = active.regions.length > 1 ? `${active.regions[0]} +${active.regions.length - 1}` : active.regions[0];
      item.text = has ? `$(cloud) ${active.profile ?? 'env'} · ${regions}` : '$(cloud) AWS: no profile';
      const tip = has
        ? `CloudTrail Lens — AWS profile: ${activeLabel(active.profile, listing)}\nRegions: ${active.regions.join(', ')}\n\nClick to switch profile or regions.`
        : 'CloudTrail Lens — no AWS credentials found in the AWS config or credentials files or the environment. Click to choose or reload.';
      const md = new vscode.MarkdownString();
      md.appendText(tip);
      item.tooltip = md;
      // Without this, VS Code reads the tooltip's Markdown source (spaces as `&nbsp;`) to screen readers.
      item.accessibilityInformation = {
        label: has
          ? `CloudTrail Lens AWS profile ${activeLabel(active.profile, listing)}, Regions ${active.regions.join(', ')}. Click to switch profile or Regions.`
          : 'CloudTrail Lens: no AWS credentials found. Click to choose a profile or reload.',
      };
      item.show();
    } catch (err) {
      logError('updating the AWS status bar item', err);
    }
  };
  context.subscriptions.push(section.onDidChange((n) => (n === undefined ? void update() : undefined)));
  void update();
}
