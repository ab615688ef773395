/**
 * The AWS part of the explorer tree: profile → region → Trails (status, selectors, insights, log files),
 * Recent events (LookupEvents, paged and filtered) and Event data stores. Failures become nodes in place
 * (with Retry or a hint), so one denied call never hides the rest of the tree.
 */
import * as vscode from 'vscode';
import type { ExplorerNode } from '../node';
import type { AwsTarget, SharedFiles } from '../../core/aws/sdk';
import type { ProfileInfo } from '../../core/aws/profiles';
import { classifyAwsError, type ClassifiedAwsError } from '../../core/aws/errors';
import {
  describeTrails,
  getTrailStatus,
  getEventSelectors,
  getInsightSelectors,
  listEventDataStores,
  type TrailInfo,
  type TrailStatus,
  type EventSelectorsDocument,
} from '../../core/aws/trails';
import { listLevel, logsRootPrefix, lastSegment, describeLevel } from '../../core/aws/s3logs';
import {
  EMPTY_FILTER,
  describeFilter,
  eventTooltipFields,
  groupEvents,
  relativeTime,
  isFiltered,
  GROUP_BY_LABELS,
  type EventSummary,
  type GroupBy,
  type LookupFilter,
} from '../../core/aws/events';
import type { LookupResults } from '../../core/aws/lookup';
import type { AwsSession } from './session';

export const VIEW_ID = 'cloudtrailLens.explorer';

/** What nodes need from their section: change events, progress, cancellation and the session. */
export interface AwsHost {
  readonly session: AwsSession;
  fire(node: ExplorerNode | undefined): void;
  /** Runs work with the view's progress bar. */
  progress<T>(work: () => Promise<T>): Promise<T>;
  /** Aborted when the section reloads (profile switch, refresh, dispose). */
  readonly signal: AbortSignal;
}

function icon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function isAbortError(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || classifyAwsError(err).kind === 'cancelled';
}

export abstract class AwsNode implements ExplorerNode {
  constructor(
    readonly parent: ExplorerNode | undefined,
    protected readonly host: AwsHost,
  ) {}
  abstract getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
}

/** A leaf with a message; optionally clickable. */
export class MessageNode extends AwsNode {
  constructor(
    parent: ExplorerNode | undefined,
    host: AwsHost,
    private readonly label: string,
    private readonly opts: { description?: string; tooltip?: string; icon?: vscode.ThemeIcon; command?: vscode.Command; contextValue?: string } = {},
  ) {
    super(parent, host);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = this.opts.description;
    item.tooltip = this.opts.tooltip;
    item.iconPath = this.opts.icon ?? icon('info');
    item.command = this.opts.command;
    item.contextValue = this.opts.contextValue ?? 'awsMessage';
    return item;
  }
}

/** A failure shown where it happened, with the action that fixes it. */
export class ErrorNode extends AwsNode {
  constructor(
    parent: ExplorerNode | undefined,
    host: AwsHost,
    readonly error: ClassifiedAwsError,
    /** The node to reload on Retry. */
    readonly retryTarget: LoadingNode | undefined,
    readonly profile: string | undefined,
  ) {
    super(parent, host);
  }
  getTreeItem(): vscode.TreeItem {
    const e = this.error;
    const item = new vscode.TreeItem(e.message, vscode.TreeItemCollapsibleState.None);
    const md = new vscode.MarkdownString();
    md.appendText(e.message);
    if (e.detail && e.detail !== e.message) {
      md.appendMarkdown('\n\n');
      md.appendText(`${e.code ? e.code + ': ' : ''}${e.detail}`);
    }
    item.tooltip = md;
    const notAvailable = e.kind === 'not-available' || e.kind === 'not-found';
    item.iconPath = notAvailable ? icon('info') : e.kind === 'access-denied' ? icon('lock', 'problemsWarningIcon.foreground') : icon('error', 'problemsErrorIcon.foreground');
    switch (e.action) {
      case 'sso-login':
        item.description = 'Run sso login';
        item.contextValue = 'awsError.sso';
        item.command = { command: 'cloudtrailLens.aws.ssoLogin', title: 'Run aws sso login', arguments: [this] };
        break;
      case 'choose-profile':
        item.description = 'Choose profile…';
        item.contextValue = 'awsError.profile';
        item.command = { command: 'cloudtrailLens.aws.switchProfile', title: 'Choose AWS Profile' };
        break;
      case 'retry':
        item.description = 'Retry';
        item.contextValue = 'awsError.retry';
        item.command = { command: 'cloudtrailLens.aws.retry', title: 'Retry', arguments: [this] };
        break;
      default:
        item.contextValue = 'awsError';
    }
    return item;
  }
}

/**
 * A node whose children come from AWS. Children are cached until refreshed; a failure is not cached, so
 * expanding again or Retry tries again. Loads are cancelled when the node is refreshed or the section reloads.
 */
export abstract class LoadingNode extends AwsNode {
  private children?: ExplorerNode[];
  private controller?: AbortController;
  protected abstract readonly operation: string;
  protected abstract readonly target: AwsTarget;

  protected abstract load(signal: AbortSignal): Promise<ExplorerNode[]>;

  async getChildren(): Promise<ExplorerNode[]> {
    if (this.children) return this.children;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const signal = AbortSignal.any([controller.signal, this.host.signal]);
    try {
      const children = await this.host.progress(() => this.load(signal));
      if (this.controller === controller) this.children = children;
      return children;
    } catch (err) {
      if (isAbortError(err, signal)) return [];
      return [this.errorNode(err)];
    }
  }

  protected errorNode(err: unknown): ErrorNode {
    return new ErrorNode(this, this.host, classifyAwsError(err, { profile: this.target.profile, operation: this.operation }), this, this.target.profile);
  }

  /** Drops cached children (cancelling a load in flight) and asks the view to ask again. */
  refresh(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.children = undefined;
    this.host.fire(this);
  }
}

/**
 * Shown instead of a profile when no credentials were found at all: says so, and offers the ways to add a
 * profile (open the AWS config file, run `aws configure sso` in a terminal) and to read the files again.
 */
export class NoCredentialsNode extends AwsNode {
  constructor(
    host: AwsHost,
    private readonly files: SharedFiles,
  ) {
    super(undefined, host);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('AWS', vscode.TreeItemCollapsibleState.Expanded);
    item.description = 'no credentials found';
    const md = new vscode.MarkdownString();
    md.appendText(
      `No AWS profile was found in the AWS config file (${this.files.config || '~/.aws/config'}) or credentials file (${this.files.credentials || '~/.aws/credentials'}), ` +
        'and no credentials are set in the environment. Add a profile to browse trails and recent events; local log files work without one.',
    );
    item.tooltip = md;
    item.iconPath = icon('cloud', 'problemsWarningIcon.foreground');
    item.contextValue = 'awsNoCredentials';
    item.accessibilityInformation = { label: 'AWS: no credentials found. Expand for how to add a profile.' };
    return item;
  }
  getChildren(): ExplorerNode[] {
    return [
      new MessageNode(this, this.host, 'Add a profile to ~/.aws/config', {
        description: 'Open AWS Config File',
        tooltip: 'Opens the AWS config file (created if missing) with an example profile to fill in.',
        icon: icon('go-to-file'),
        command: { command: 'cloudtrailLens.aws.openConfigFile', title: 'Open AWS Config File' },
        contextValue: 'awsNoCredentials.config',
      }),
      new MessageNode(this, this.host, 'Sign in with IAM Identity Center', {
        description: 'Run aws configure sso',
        tooltip: 'Runs `aws configure sso` (AWS CLI v2) in a terminal; it writes an SSO profile to ~/.aws/config.',
        icon: icon('terminal'),
        command: { command: 'cloudtrailLens.aws.configureSso', title: 'Run aws configure sso' },
        contextValue: 'awsNoCredentials.sso',
      }),
      new MessageNode(this, this.host, 'Reload AWS profiles', {
        description: 'after adding one',
        icon: icon('refresh'),
        command: { command: 'cloudtrailLens.aws.refresh', title: 'Refresh AWS' },
        contextValue: 'awsNoCredentials.reload',
      }),
    ];
  }
}

export class ProfileNode extends AwsNode {
  private regionNodes?: RegionNode[];
  constructor(
    host: AwsHost,
    readonly profile: string | undefined,
    readonly info: ProfileInfo | undefined,
    readonly regions: string[],
    readonly files: SharedFiles = {},
  ) {
    super(undefined, host);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.profile ?? 'Environment credentials', vscode.TreeItemCollapsibleState.Expanded);
    item.id = `aws:profile:${this.profile ?? ''}`;
    item.description = [this.info?.kind && this.info.kind !== 'other' ? this.info.kind : undefined, this.regions.join(', ')].filter(Boolean).join(' · ');
    const md = new vscode.MarkdownString();
    md.appendText(`AWS profile: ${this.profile ?? '(default credential chain)'}\n\nRegions: ${this.regions.join(', ')}`);
    if (this.info) md.appendText(`\n\nCredentials: ${this.info.kind}; defined in ${this.info.sources.join(' and ')} file`);
    item.tooltip = md;
    item.iconPath = icon('account');
    item.contextValue = 'awsProfile';
    return item;
  }
  getChildren(): ExplorerNode[] {
    this.regionNodes ??= this.regions.map((r) => new RegionNode(this, this.host, { profile: this.profile, region: r, files: this.files }, this.regions.length === 1));
    return this.regionNodes;
  }
}

export class RegionNode extends AwsNode {
  private kids?: ExplorerNode[];
  readonly events: RecentEventsNode;
  constructor(
    parent: ProfileNode,
    host: AwsHost,
    readonly target: AwsTarget,
    private readonly expanded: boolean,
  ) {
    super(parent, host);
    this.events = new RecentEventsNode(this, host, target);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.target.region, this.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `aws:${this.target.profile ?? ''}:${this.target.region}`;
    item.iconPath = icon('globe');
    item.contextValue = 'awsRegion';
    return item;
  }
  getChildren(): ExplorerNode[] {
    this.kids ??= [new TrailsNode(this, this.host, this.target), this.events, new DataStoresNode(this, this.host, this.target)];
    return this.kids;
  }
}

export class TrailsNode extends LoadingNode {
  protected readonly operation = 'listing trails';
  constructor(
    parent: RegionNode,
    host: AwsHost,
    protected readonly target: AwsTarget,
  ) {
    super(parent, host);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Trails', vscode.TreeItemCollapsibleState.Expanded);
    item.id = `aws:${this.target.profile ?? ''}:${this.target.region}:trails`;
    item.iconPath = icon('list-tree');
    item.contextValue = 'awsTrails';
    return item;
  }
  protected async load(signal: AbortSignal): Promise<ExplorerNode[]> {
    const client = await this.host.session.cloudTrail(this.target);
    const trails = await describeTrails(client, this.target.region, signal);
    if (!trails.length) return [new MessageNode(this, this.host, 'No trails in this region')];
    return trails.map((t) => new TrailNode(this, this.host, this.target, t));
  }
}

export class TrailNode extends AwsNode {
  private kids?: ExplorerNode[];
  constructor(
    parent: TrailsNode,
    host: AwsHost,
    readonly target: AwsTarget,
    readonly trail: TrailInfo,
  ) {
    super(parent, host);
  }
  getTreeItem(): vscode.TreeItem {
    const t = this.trail;
    const item = new vscode.TreeItem(t.name, vscode.TreeItemCollapsibleState.Collapsed);
    const flags: string[] = [];
    flags.push(t.isHome ? 'home region' : `shadow · home ${t.homeRegion ?? '?'}`);
    if (t.multiRegion) flags.push('multi-region');
    if (t.organization) flags.push('organization');
    item.description = flags.join(' · ');
    const md = new vscode.MarkdownString();
    md.appendText(
      [
        `Trail ${t.name}`,
        `ARN: ${t.arn}`,
        `Home region: ${t.homeRegion ?? 'unknown'}`,
        `Bucket: ${t.bucket ?? 'none'}${t.keyPrefix ? ` (prefix ${t.keyPrefix})` : ''}`,
        `Multi-region: ${t.multiRegion ? 'yes' : 'no'} · Organization: ${t.organization ? 'yes' : 'no'}`,
        `Log file validation: ${t.logFileValidation ? 'on' : 'off'}`,
        t.cloudWatchLogGroupArn ? `CloudWatch Logs: ${t.cloudWatchLogGroupArn}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    item.tooltip = md;
    item.iconPath = icon(t.organization ? 'organization' : t.multiRegion ? 'globe' : 'book');
    item.contextValue = 'awsTrail';
    return item;
  }
  getChildren(): ExplorerNode[] {
    this.kids ??= [
      new StatusNode(this, this.host, this.target, this.trail),
      new SelectorsNode(this, this.host, this.target, this.trail),
      new InsightsNode(this, this.host, this.target, this.trail),
      this.trail.bucket
        ? new S3FolderNode(this, this.host, this.target, this.trail.bucket, logsRootPrefix(this.trail.keyPrefix), 'Log files')
        : new MessageNode(this, this.host, 'Log files', { description: 'no S3 bucket configured', icon: icon('warning', 'problemsWarningIcon.foreground') }),
    ];
    return this.kids;
  }
}

/** A child of one trail (status, event selectors, insight selectors): knows the trail and where to ask about it. */
abstract class TrailChildNode extends LoadingNode {
  constructor(
    parent: TrailNode,
    host: AwsHost,
    protected readonly target: AwsTarget,
    readonly trail: TrailInfo,
  ) {
    super(parent, host);
  }
}

export class StatusNode extends TrailChildNode {
  protected readonly operation = 'reading the trail status';
  private status?: TrailStatus;
  private failure?: unknown;
  private pending?: Promise<TrailStatus>;
  /** One GetTrailStatus shared by the item (summary) and its children (lines). */
  private fetch(signal: AbortSignal): Promise<TrailStatus> {
    if (this.status) return Promise.resolve(this.status);
    this.pending ??= (async () => {
      try {
        const client = await this.host.session.cloudTrail(this.target);
        this.status = await getTrailStatus(client, this.trail.arn, signal);
        return this.status;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }
  async getTreeItem(): Promise<vscode.TreeItem> {
    const item = new vscode.TreeItem('Status', vscode.TreeItemCollapsibleState.Collapsed);
    item.contextValue = 'awsStatus';
    try {
      // The summary belongs on the collapsed node, so the status is read when the trail is expanded.
      const s = await this.fetch(this.host.signal);
      this.failure = undefined;
      item.description = `${s.isLogging ? 'logging' : 'not logging'}${s.problems ? ` · ${s.problems} problem${s.problems > 1 ? 's' : ''}` : ''}`;
      item.iconPath = s.problems ? icon('warning', 'problemsWarningIcon.foreground') : icon('pass', 'testing.iconPassed');
      if (s.problems) item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    } catch (err) {
      this.failure = err;
      const c = classifyAwsError(err, { profile: this.target.profile, operation: this.operation });
      item.description = c.kind === 'cancelled' ? '' : c.kind === 'access-denied' ? 'access denied' : 'unavailable';
      item.iconPath = icon('error', 'problemsErrorIcon.foreground');
    }
    return item;
  }
  protected async load(signal: AbortSignal): Promise<ExplorerNode[]> {
    if (this.failure && !this.status) {
      const err = this.failure;
      this.failure = undefined;
      throw err;
    }
    const s = await this.fetch(signal);
    return s.lines.map(
      (l) =>
        new MessageNode(this, this.host, l.label, {
          description: l.value,
          tooltip: l.message ?? `${l.label}: ${l.value}`,
          icon: l.severity === 'error' ? icon('error', 'problemsErrorIcon.foreground') : l.severity === 'warning' ? icon('warning', 'problemsWarningIcon.foreground') : icon('check'),
          contextValue: `awsStatusLine.${l.severity}`,
        }),
    );
  }
  override refresh(): void {
    this.status = undefined;
    this.failure = undefined;
    super.refresh();
  }
}

function selectorSummary(sel: Record<string, unknown>, index: number, advanced: boolean): { label: string; description: string } {
  if (advanced) {
    const fields = Array.isArray(sel.FieldSelectors) ? (sel.FieldSelectors as Record<string, unknown>[]) : [];
    const category = fields.find((f) => f.Field === 'eventCategory');
    const equals = Array.isArray(category?.Equals) ? (category!.Equals as unknown[]).join(', ') : '';
    return {
      label: typeof sel.Name === 'string' && sel.Name ? sel.Name : `Advanced selector ${index + 1}`,
      description: `${equals ? equals + ' · ' : ''}${fields.length} field condition${fields.length === 1 ? '' : 's'}`,
    };
  }
  const parts = [`${sel.ReadWriteType ?? 'All'}`, sel.IncludeManagementEvents === false ? 'no management events' : 'management events'];
  const dr = Array.isArray(sel.DataResources) ? sel.DataResources.length : 0;
  if (dr) parts.push(`${dr} data resource${dr > 1 ? 's' : ''}`);
  return { label: `Selector ${index + 1}`, description: parts.join(' · ') };
}

export class SelectorsNode extends TrailChildNode {
  protected readonly operation = 'reading event selectors';
  document?: EventSelectorsDocument;
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Event selectors', vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = icon('filter');
    item.contextValue = 'awsSelectors';
    item.tooltip = 'Expand to read the selectors; use "Open as JSON" to edit them with the selector tooling.';
    return item;
  }
  async fetch(signal: AbortSignal): Promise<EventSelectorsDocument> {
    const client = await this.host.session.cloudTrail(this.target);
    this.document = await getEventSelectors(client, this.trail.arn, signal);
    return this.document;
  }
  protected async load(signal: AbortSignal): Promise<ExplorerNode[]> {
    const doc = await this.fetch(signal);
    const out: ExplorerNode[] = [];
    const add = (list: unknown[] | undefined, advanced: boolean) =>
      (list ?? []).forEach((sel, i) => {
        const s = selectorSummary((sel ?? {}) as Record<string, unknown>, i, advanced);
        const single: EventSelectorsDocument = { TrailARN: doc.TrailARN, [advanced ? 'AdvancedEventSelectors' : 'EventSelectors']: [sel] };
        out.push(
          new MessageNode(this, this.host, s.label, {
            description: `${advanced ? 'advanced' : 'basic'} · ${s.description}`,
            tooltip: JSON.stringify(sel, null, 2).slice(0, 4000),
            icon: icon(advanced ? 'symbol-field' : 'symbol-property'),
            contextValue: 'awsSelector',
            command: { command: 'cloudtrailLens.aws.openSelectors', title: 'Open as JSON', arguments: [single] },
          }),
        );
      });
    add(doc.AdvancedEventSelectors, true);
    add(doc.EventSelectors, false);
    if (!out.length) out.push(new MessageNode(this, this.host, 'No event selectors', { description: 'the trail logs no events' }));
    return out;
  }
}

export class InsightsNode extends TrailChildNode {
  protected readonly operation = 'reading insight selectors';
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Insight selectors', vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = icon('lightbulb');
    item.contextValue = 'awsInsights';
    return item;
  }
  protected async load(signal: AbortSignal): Promise<ExplorerNode[]> {
    const client = await this.host.session.cloudTrail(this.target);
    const info = await getInsightSelectors(client, this.trail.arn, signal);
    if (!info.types.length) return [new MessageNode(this, this.host, 'Insights not enabled')];
    return info.types.map((t) => new MessageNode(this, this.host, t, { icon: icon('lightbulb'), contextValue: 'awsInsight' }));
  }
}

export class S3FolderNode extends LoadingNode {
  protected readonly operation: string;
  constructor(
    parent: ExplorerNode,
    host: AwsHost,
    protected readonly target: AwsTarget,
    readonly bucket: string,
    readonly prefix: string,
    private readonly label?: string,
    private readonly root = prefix,
  ) {
    super(parent, host);
    this.operation = `listing s3://${bucket}/${prefix}`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label ?? lastSegment(this.prefix), vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.label ? `s3://${this.bucket}/${this.prefix}` : describeLevel(this.prefix, this.root);
    item.iconPath = icon(this.label ? 'archive' : 'folder');
    item.contextValue = 'awsS3Folder';
    return item;
  }
  protected async load(signal: AbortSignal): Promise<ExplorerNode[]> {
    const client = await this.host.session.s3(this.target);
    const out: ExplorerNode[] = [];
    let token: string | undefined;
    // Up to 2,000 entries per level; a day folder of one region holds about 300 files.
    for (let i = 0; i < 2; i++) {
      const listing = await listLevel(client, this.bucket, this.prefix, { signal, continuationToken: token });
      for (const f of listing.folders) out.push(new S3FolderNode(this, this.host, this.target, this.bucket, f, undefined, this.root));
      for (const f of listing.files) out.push(new S3FileNode(this, this.host, this.target, this.bucket, f.key, f.size, f.lastModified));
      token = listing.continuationToken;
      if (!token) break;
    }
    if (token) out.push(new MessageNode(this, this.host, 'More objects not shown', { description: 'narrow down by folder' }));
    if (!out.length) out.push(new MessageNode(this, this.host, 'No log files here', { description: `s3://${this.bucket}/${this.prefix}` }));
    return out;
  }
}

function humanSize(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

export class S3FileNode extends AwsNode {
  constructor(
    parent: ExplorerNode,
    host: AwsHost,
    readonly target: AwsTarget,
    readonly bucket: string,
    readonly key: string,
    readonly size: number,
    readonly lastModified?: Date,
  ) {
    super(parent, host);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(lastSegment(this.key), vscode.TreeItemCollapsibleState.None);
    item.description = humanSize(this.size);
    item.tooltip = `s3://${this.bucket}/${this.key}\n${humanSize(this.size)}${this.lastModified ? `\nModified ${this.lastModified.toISOString()}` : ''}`;
    item.iconPath = icon(/CloudTrail-Digest/.test(this.key) ? 'verified' : 'file-zip');
    item.contextValue = 'awsLogFile';
    item.command = { command: 'cloudtrailLens.aws.openLogFile', title: 'Open Log File', arguments: [this] };
    return item;
  }
}

export class DataStoresNode extends LoadingNode {
  protected readonly operation = 'listing event data stores';
  constructor(
    parent: RegionNode,
    host: AwsHost,
    protected readonly target: AwsTarget,
  ) {
    super(parent, host);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Event data stores', vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = icon('database');
    item.contextValue = 'awsDataStores';
    return item;
  }
  protected async load(signal: AbortSignal): Promise<ExplorerNode[]> {
    const client = await this.host.session.cloudTrail(this.target);
    const stores = await listEventDataStores(client, signal);
    if (!stores.length) return [new MessageNode(this, this.host, 'No event data stores')];
    return stores.map(
      (s) =>
        new MessageNode(this, this.host, s.name, {
          description: [s.status, s.multiRegion ? 'multi-region' : '', s.organization ? 'organization' : '', s.retentionDays ? `${s.retentionDays} days` : '']
            .filter(Boolean)
            .join(' · '),
          tooltip: s.arn,
          icon: icon('database'),
          contextValue: 'awsDataStore',
        }),
    );
  }
}

export class RecentEventsNode extends AwsNode {
  filter: LookupFilter = EMPTY_FILTER;
  groupBy: GroupBy = 'none';
  results?: LookupResults;
  private controller?: AbortController;
  private kids?: ExplorerNode[];
  /** Set by a failed load; shown as the node's only child until a retry. */
  private failure?: ClassifiedAwsError;

  constructor(
    parent: RegionNode,
    host: AwsHost,
    readonly target: AwsTarget,
  ) {
    super(parent, host);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Recent events', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `aws:${this.target.profile ?? ''}:${this.target.region}:events`;
    const parts: string[] = [];
    if (isFiltered(this.filter)) parts.push(describeFilter(this.filter));
    if (this.groupBy !== 'none') parts.push(`by ${GROUP_BY_LABELS[this.groupBy].toLowerCase()}`);
    if (this.results?.pagesLoaded) parts.push(`${this.results.visible.length}${this.results.done ? '' : '+'} loaded`);
    item.description = parts.join(' · ') || 'LookupEvents, last 90 days';
    const md = new vscode.MarkdownString();
    md.appendText(
      'Management events from CloudTrail Event history (LookupEvents), newest first, 50 a page.\n\n' +
        (isFiltered(this.filter) ? `Filter: ${describeFilter(this.filter)}\n\nLookupEvents filters on one attribute; other conditions are applied here, on the loaded pages (client-side).` : 'No filter.'),
    );
    item.tooltip = md;
    item.iconPath = icon(isFiltered(this.filter) ? 'filter-filled' : 'history');
    item.contextValue = isFiltered(this.filter) ? 'awsRecentEvents.filtered' : 'awsRecentEvents';
    return item;
  }

  /** The loaded events that pass the client-side filters, newest first. */
  get loadedEvents(): EventSummary[] {
    return this.results?.visible ?? [];
  }

  async getChildren(): Promise<ExplorerNode[]> {
    if (this.kids) return this.kids;
    const results = this.results ?? this.host.session.lookup.results(this.target, this.filter);
    this.results = results;
    if (results.pagesLoaded === 0 && !this.failure) await this.loadPage(results);
    if (results.pagesLoaded === 0) {
      // Nothing loaded: either the first page failed (show why) or the load was cancelled.
      return this.failure ? [new ErrorNode(this, this.host, this.failure, undefined, this.target.profile)] : [];
    }
    this.kids = this.build(results);
    return this.kids;
  }

  private async loadPage(results: LookupResults): Promise<boolean> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const signal = AbortSignal.any([controller.signal, this.host.signal]);
    try {
      await this.host.progress(() => results.loadMore(signal, { minVisible: 1, maxPages: 5 }));
      this.failure = undefined;
      return true;
    } catch (err) {
      if (isAbortError(err, signal)) return false;
      this.failure = classifyAwsError(err, { profile: this.target.profile, operation: 'looking up recent events' });
      return false;
    }
  }

  private build(results: LookupResults): ExplorerNode[] {
    const events = results.visible;
    const out: ExplorerNode[] = [];
    if (!events.length) {
      out.push(
        new MessageNode(this, this.host, results.done ? 'No events' : 'No matching events in the loaded pages', {
          description: isFiltered(this.filter) ? describeFilter(this.filter) : undefined,
        }),
      );
    } else if (this.groupBy === 'none') {
      for (const e of events) out.push(new EventNode(this, this.host, this.target, e));
    } else {
      for (const g of groupEvents(events, this.groupBy)) out.push(new EventGroupNode(this, this.host, this.target, g.key, g.events));
    }
    // A failed "Load more" keeps what was loaded and shows the error where the next page would be.
    if (this.failure) out.push(new ErrorNode(this, this.host, this.failure, undefined, this.target.profile));
    else if (!results.done) out.push(new LoadMoreNode(this, this.host));
    return out;
  }

  /** "Load more…": the next page (or pages, until a client-side filter matches something). */
  async loadMore(): Promise<void> {
    const results = this.results ?? this.host.session.lookup.results(this.target, this.filter);
    this.results = results;
    await this.loadPage(results);
    this.kids = undefined;
    this.host.fire(this);
  }

  setFilter(filter: LookupFilter): void {
    this.filter = filter;
    this.reset();
  }

  setGroupBy(by: GroupBy): void {
    this.groupBy = by;
    this.kids = undefined;
    this.host.fire(this);
  }

  /** Refresh: drop the cache for this filter and load anew. */
  refresh(): void {
    this.host.session.lookup.results(this.target, this.filter, { refresh: true });
    this.reset();
  }

  private reset(): void {
    this.controller?.abort();
    this.results = undefined;
    this.kids = undefined;
    this.failure = undefined;
    this.host.fire(this);
  }

  /** Retry after a failure: the failed page again if some were loaded, else from the start. */
  retry(): Promise<void> | void {
    if (this.results?.pagesLoaded) {
      this.failure = undefined;
      return this.loadMore();
    }
    this.refresh();
  }
}

export class EventGroupNode extends AwsNode {
  constructor(
    parent: RecentEventsNode,
    host: AwsHost,
    readonly target: AwsTarget,
    readonly key: string,
    readonly events: EventSummary[],
  ) {
    super(parent, host);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.key, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${this.events.length}`;
    item.iconPath = icon(this.events.some((e) => e.errorCode) ? 'warning' : 'folder');
    item.contextValue = 'awsEventGroup';
    return item;
  }
  getChildren(): ExplorerNode[] {
    return this.events.map((e) => new EventNode(this, this.host, this.target, e));
  }
}

export class EventNode extends AwsNode {
  constructor(
    parent: ExplorerNode,
    host: AwsHost,
    readonly target: AwsTarget,
    readonly event: EventSummary,
  ) {
    super(parent, host);
  }
  getTreeItem(): vscode.TreeItem {
    const e = this.event;
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
    item.description = `${e.user} · ${relativeTime(e.time, Date.now())}`;
    const md = new vscode.MarkdownString();
    for (const [k, v] of eventTooltipFields(e)) {
      md.appendMarkdown(`**${k}:** `);
      md.appendText(v.length > 300 ? v.slice(0, 300) + '…' : v);
      md.appendMarkdown('  \n');
    }
    if (e.recordProblem) md.appendText(`\n${e.recordProblem}`);
    item.tooltip = md;
    item.iconPath = e.errorCode
      ? icon('error', 'problemsErrorIcon.foreground')
      : e.readOnly === false
        ? icon('edit', 'charts.orange')
        : icon('eye');
    item.contextValue = e.errorCode ? 'awsEvent.error' : 'awsEvent';
    item.accessibilityInformation = {
      label: `${e.name} by ${e.user}, ${relativeTime(e.time, Date.now())}${e.errorCode ? `, failed with ${e.errorCode}` : ''}${e.readOnly === false ? ', write' : ''}`,
    };
    item.command = { command: 'cloudtrailLens.aws.openEvent', title: 'Open Event', arguments: [this] };
    return item;
  }
}

export class LoadMoreNode extends AwsNode {
  constructor(
    readonly owner: RecentEventsNode,
    host: AwsHost,
  ) {
    super(owner, host);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.iconPath = icon('more');
    item.contextValue = 'awsLoadMore';
    item.command = { command: 'cloudtrailLens.aws.loadMore', title: 'Load More', arguments: [this.owner] };
    return item;
  }
}
