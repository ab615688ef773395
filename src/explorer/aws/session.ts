/**
 * The AWS state behind the explorer: known profiles, the active profile and regions (from settings), SDK client
 * pools and the paced LookupEvents service. Everything AWS is loaded lazily on first use.
 */
import * as vscode from 'vscode';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { S3Client } from '@aws-sdk/client-s3';
import { listProfiles, type ProfileListing, type ProfileInfo } from '../../core/aws/profiles';
import { createCloudTrailClient, createS3Client, type AwsTarget, type SharedFiles } from '../../core/aws/sdk';
import { LookupService } from '../../core/aws/lookup';
import { log } from '../../common/log';
import { config } from '../../common/config';
import { Disposable } from '../../common/dispose';


export interface ActiveSelection {
  /** undefined = the SDK's default chain (environment credentials without any profile file). */
  profile?: string;
  files: SharedFiles;
  profileInfo?: ProfileInfo;
  regions: string[];
}

export class AwsSession extends Disposable {
  private listing?: ProfileListing;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private ctPool = new Map<string, Promise<CloudTrailClient>>();
  private lookupPool = new Map<string, Promise<CloudTrailClient>>();
  private s3Pool = new Map<string, Promise<S3Client>>();
  readonly lookup: LookupService;

  constructor() {
    super();
    this.lookup = new LookupService({ getClient: (t) => this.lookupClient(t) });
    this.register(this.changed);
    this.register({ dispose: () => this.resetClients() });
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (config.affects(e, 'aws')) {
          // The settings may name other config files: read the profiles again.
          this.listing = undefined;
          this.resetClients();
          this.changed.fire();
        }
      }),
    );
  }

  async profiles(refresh = false): Promise<ProfileListing> {
    if (!this.listing || refresh) {
      const files = config.awsSharedFiles();
      this.listing = await listProfiles({ configFile: files.config, credentialsFile: files.credentials });
      for (const w of this.listing.warnings) log().warn(w);
      log().info(`AWS profiles: ${this.listing.profiles.map((p) => p.name).join(', ') || '(none)'}`);
    }
    return this.listing;
  }

  /** Re-reads the profile files and drops clients, so edited files and fresh logins are picked up. */
  async reload(): Promise<void> {
    this.resetClients();
    this.lookup.invalidate();
    await this.profiles(true);
    this.changed.fire();
  }

  /** Whether any way to get credentials exists (profiles in the files, or environment credentials). */
  hasCredentialsSource(l: ProfileListing): boolean {
    return l.profiles.length > 0 || l.envCredentials;
  }

  /** The profile and regions to show: settings first, then AWS_PROFILE, `default`, the first profile. */
  async active(): Promise<ActiveSelection> {
    return { ...config.awsActive(await this.profiles()), files: config.awsSharedFiles() };
  }

  private resetClients(): void {
    for (const pool of [this.ctPool, this.lookupPool, this.s3Pool] as Map<string, Promise<{ destroy(): void }>>[]) {
      for (const c of pool.values()) c.then((x) => x.destroy(), () => undefined);
      pool.clear();
    }
  }

  private key(t: AwsTarget): string {
    return `${t.profile ?? ''}|${t.region}|${t.files?.config ?? ''}|${t.files?.credentials ?? ''}`;
  }

  private pooled<T>(pool: Map<string, Promise<T>>, t: AwsTarget, make: () => Promise<T>): Promise<T> {
    const k = this.key(t);
    let p = pool.get(k);
    if (!p) {
      p = make();
      pool.set(k, p);
      // A failed creation (e.g. SDK load failure) must not stick.
      p.catch(() => pool.delete(k));
    }
    return p;
  }

  cloudTrail(t: AwsTarget): Promise<CloudTrailClient> {
    return this.pooled(this.ctPool, t, () => createCloudTrailClient(t, { maxAttempts: 3 }));
  }

  /**
   * LookupEvents gets its own client; pacing is LookupService's token bucket and backoff. Standard retry: the
   * SDK's adaptive limiter added nothing on top of the bucket (test/bench/lookup.bench.ts).
   */
  lookupClient(t: AwsTarget): Promise<CloudTrailClient> {
    return this.pooled(this.lookupPool, t, () => createCloudTrailClient(t, { maxAttempts: 3, retryMode: 'standard' }));
  }

  s3(t: AwsTarget): Promise<S3Client> {
    return this.pooled(this.s3Pool, t, () => createS3Client(t, { maxAttempts: 3 }));
  }
}
