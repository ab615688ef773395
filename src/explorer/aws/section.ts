/** The AWS section of the explorer: one root per active profile, rebuilt when the profile or regions change. */
import * as vscode from 'vscode';
import type { ExplorerNode, ExplorerSection } from '../node';
import { AwsSession } from './session';
import { NoCredentialsNode, ProfileNode, VIEW_ID, type AwsHost } from './nodes';
import { config } from '../../common/config';
import { logError } from '../../common/log';
import { Disposable } from '../../common/dispose';

export const HAS_PROFILES_KEY = 'cloudtrailLens.hasProfiles';

export class AwsSection extends Disposable implements ExplorerSection, AwsHost {
  readonly session = new AwsSession();
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChange = this.changed.event;
  private controller = new AbortController();
  private rootNodes?: Promise<ExplorerNode[]>;
  /**
   * Whether the explorer's other sections show nothing. Then the "no credentials" state is left to the view's
   * welcome content (which has the same buttons, plus opening a file and adding a log folder); otherwise it is
   * the "AWS" node.
   */
  othersEmpty: () => Promise<boolean> = async () => false;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    this.register({ dispose: () => this.controller.abort() });
    this.register(this.session);
    this.register(this.changed);
    this.register(this.session.onDidChange(() => this.reset()));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  async roots(): Promise<ExplorerNode[]> {
    this.rootNodes ??= this.buildRoots().catch((err) => {
      // Never leave the view spinning: an unexpected failure shows as no AWS roots plus a log entry.
      logError('building the AWS explorer', err);
      this.rootNodes = undefined;
      return [];
    });
    const roots = await this.rootNodes;
    if (roots.length === 1 && roots[0] instanceof NoCredentialsNode && (await this.othersEmpty().catch(() => false))) return [];
    return roots;
  }

  private async buildRoots(): Promise<ExplorerNode[]> {
    const listing = await this.session.profiles();
    const has = this.session.hasCredentialsSource(listing);
    await vscode.commands.executeCommand('setContext', HAS_PROFILES_KEY, has);
    if (!has) return [new NoCredentialsNode(this, config.awsSharedFiles())];
    const active = await this.session.active();
    return [new ProfileNode(this, active.profile, active.profileInfo, active.regions, active.files)];
  }

  fire(node: ExplorerNode | undefined): void {
    this.changed.fire(node);
  }

  progress<T>(work: () => Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: { viewId: VIEW_ID } }, work));
  }

  /** Cancels everything in flight and rebuilds the section from the current settings. */
  private reset(): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.rootNodes = undefined;
    this.changed.fire(undefined);
  }

  /** Re-reads the profile files, drops caches and clients, and rebuilds. */
  async reload(): Promise<void> {
    this.controller.abort();
    this.controller = new AbortController();
    this.rootNodes = undefined;
    await this.session.reload();
    this.changed.fire(undefined);
  }
}
