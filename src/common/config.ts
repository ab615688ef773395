/**
 * The one typed accessor for the extension's settings. Every key of package.json `contributes.configuration`
 * has exactly one entry in KEYS and one getter below; nothing else calls `getConfiguration(…).get(…)`
 * (test/unit/architecture/config.test.ts checks both). Values are validated here, so callers get usable values.
 */
import * as vscode from 'vscode';
import * as os from 'node:os';
import * as path from 'node:path';
import { isValidProfileName, pickActive, type ActiveAws, type ProfileListing } from '../core/aws/profiles';
import type { SharedFiles } from '../core/aws/sdk';
import { log } from './log';

export const SECTION = 'cloudtrailLens';

/** Every setting, by its key below `cloudtrailLens.`, with its type (mirrors package.json). */
export interface Settings {
  'selectors.target': 'auto' | 'trail' | 'event-data-store';
  'selectors.logBucket': string;
  'hovers.enabled': boolean;
  'aws.profile': string;
  'aws.configFile': string;
  'aws.credentialsFile': string;
  'aws.regions': string[];
  logFolders: string[];
  maxCombinedRecords: number;
  maxDecompressedMB: number;
  'query.memoryLimit': string;
  'query.threads': number;
  'query.tempDirectory': string;
  'query.maxRows': number;
  'query.cache': boolean;
  'athena.region': string;
  'athena.profile': string;
  'athena.workgroup': string;
  'athena.outputLocation': string;
  'athena.pricePerTerabyte': number;
  'athena.warnWithoutPartitionFilter': boolean;
  'viewer.timeZone': 'utc' | 'local';
}
export type SettingKey = keyof Settings;
type QueryKey = Extract<SettingKey, `query.${string}` | `athena.${string}`>;

/** Keys and defaults (the same as in package.json). */
export const KEYS: { readonly [K in SettingKey]: Settings[K] } = {
  'selectors.target': 'auto',
  'selectors.logBucket': '',
  'hovers.enabled': true,
  'aws.profile': '',
  'aws.configFile': '',
  'aws.credentialsFile': '',
  'aws.regions': [],
  logFolders: [],
  maxCombinedRecords: 200_000,
  maxDecompressedMB: 4096,
  'query.memoryLimit': '',
  'query.threads': 0,
  'query.tempDirectory': '',
  'query.maxRows': 10_000,
  'query.cache': false,
  'athena.region': '',
  'athena.profile': '',
  'athena.workgroup': '',
  'athena.outputLocation': '',
  'athena.pricePerTerabyte': 5,
  'athena.warnWithoutPartitionFilter': true,
  'viewer.timeZone': 'utc',
};

/** Settings that VS Code ignores at workspace level in untrusted workspaces (package.json restrictedConfigurations). */
export const RESTRICTED: readonly SettingKey[] = ['aws.profile', 'aws.configFile', 'aws.credentialsFile', 'logFolders'];

function raw(key: SettingKey, scope?: vscode.ConfigurationScope): unknown {
  return vscode.workspace.getConfiguration(SECTION, scope).get<unknown>(key);
}
function str(key: SettingKey, scope?: vscode.ConfigurationScope): string {
  const v = raw(key, scope);
  return typeof v === 'string' ? v.trim() : '';
}
function strings(key: SettingKey): string[] {
  const v = raw(key);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
function expandHome(p: string): string | undefined {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p || undefined;
}

let warnedProfile: string | undefined;

export const config = {
  selectorsTarget(): Settings['selectors.target'] {
    const v = raw('selectors.target');
    return v === 'trail' || v === 'event-data-store' ? v : 'auto';
  },
  selectorsLogBucket(): string {
    return str('selectors.logBucket');
  },
  hoversEnabled(scope?: vscode.ConfigurationScope): boolean {
    return raw('hovers.enabled', scope) !== false;
  },
  /** The configured profile, or undefined when empty or not a valid profile name (then logged once). */
  awsProfile(): string | undefined {
    const v = str('aws.profile');
    if (!v) return undefined;
    if (isValidProfileName(v)) return v;
    if (warnedProfile !== v) {
      warnedProfile = v;
      log().warn(`Ignoring cloudtrailLens.aws.profile ${JSON.stringify(v)}: profile names use only letters, digits and _ - . @ + = , : /`);
    }
    return undefined;
  },
  /** The configured profile exactly as written (to tell the user why it is ignored). */
  awsProfileRaw(): string {
    return str('aws.profile');
  },
  /** Config/credentials file paths (`~` expanded); undefined = the SDK's defaults. */
  awsSharedFiles(): SharedFiles {
    return { config: expandHome(str('aws.configFile')), credentials: expandHome(str('aws.credentialsFile')) };
  },
  awsRegions(): string[] {
    return strings('aws.regions');
  },
  /** The one rule for the active profile and Regions (explorer, selector commands, status bar): see pickActive. */
  awsActive(listing: ProfileListing): ActiveAws {
    return pickActive(listing, { profile: config.awsProfile(), regions: config.awsRegions() });
  },
  logFolders(): string[] {
    return strings('logFolders');
  },
  /** logFolders as set at each level (to remove an entry where it was written, and to know who wrote it). */
  logFoldersByLevel(): { workspace?: unknown; global?: unknown } {
    const i = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('logFolders');
    return { workspace: i?.workspaceValue ?? i?.workspaceFolderValue, global: i?.globalValue };
  },
  maxCombinedRecords(): number {
    const v = raw('maxCombinedRecords');
    return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : KEYS.maxCombinedRecords;
  },
  /** The decompressed-size cap for one gzip file, in bytes (issue 14, D4). */
  maxDecompressedBytes(): number {
    const v = raw('maxDecompressedMB');
    const mb = typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : KEYS.maxDecompressedMB;
    return mb * 1024 * 1024;
  },
  /** Query and Athena settings: the value when it has the default's type (strings trimmed), else the default. */
  query<K extends QueryKey>(key: K): Settings[K] {
    const v = raw(key);
    const d = KEYS[key];
    if (typeof v !== typeof d) return d;
    if (typeof v === 'number' && (!Number.isFinite(v) || v < 0)) return d;
    return (typeof v === 'string' ? v.trim() : v) as Settings[K];
  },
  /** How the record viewer's Time column shows times: UTC (default) or the local time zone. */
  viewerTimeZone(): Settings['viewer.timeZone'] {
    return raw('viewer.timeZone') === 'local' ? 'local' : 'utc';
  },
  update<K extends SettingKey>(key: K, value: Settings[K] | undefined, target: vscode.ConfigurationTarget): Thenable<void> {
    return vscode.workspace.getConfiguration(SECTION).update(key, value, target);
  },
  /** Whether a configuration change touches `key` (or any key under a prefix such as `aws`). */
  affects(e: vscode.ConfigurationChangeEvent, key: SettingKey | 'aws' | 'selectors'): boolean {
    return e.affectsConfiguration(`${SECTION}.${key}`);
  },
};
