/**
 * Profiles as the AWS CLI sees them: the sections of the shared config file (`AWS_CONFIG_FILE`, default
 * ~/.aws/config) and credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default ~/.aws/credentials). Reading uses
 * the SDK's own loader so the files are parsed exactly as credential resolution will parse them.
 */

export type ProfileKind = 'sso' | 'assume-role' | 'process' | 'static' | 'web-identity' | 'login' | 'other';

export interface ProfileInfo {
  name: string;
  /** `region` from the config file, if any. */
  region?: string;
  kind: ProfileKind;
  /** Where the profile is defined. */
  sources: ('config' | 'credentials')[];
  /** For SSO profiles: the value to give `aws sso login --profile`. */
  ssoSession?: string;
  sourceProfile?: string;
}

export interface ProfileListing {
  profiles: ProfileInfo[];
  /** Problems reading the files (unreadable file, parse failure); a missing file is not a problem. */
  warnings: string[];
  /** Profile selected by `AWS_PROFILE` in the environment, when set. */
  envProfile?: string;
  /** Whether credentials are available from the environment (AWS_ACCESS_KEY_ID / container / web identity). */
  envCredentials: boolean;
}

type Section = Record<string, string | undefined>;

/** Section names the SDK keys with a prefix (`sso-session.x`, `services.x`) are not profiles. */
const NON_PROFILE_PREFIXES = ['sso-session.', 'services.'];

export function profileKind(section: Section): ProfileKind {
  if (section.sso_session || section.sso_start_url || section.sso_account_id) return 'sso';
  if (section.role_arn && section.web_identity_token_file) return 'web-identity';
  if (section.role_arn) return 'assume-role';
  if (section.credential_process) return 'process';
  if (section.aws_access_key_id) return 'static';
  if (section.login_session) return 'login';
  return 'other';
}

/** Builds the profile list from already-parsed files (pure; the loader below does the I/O). */
export function profilesFromFiles(
  configFile: Record<string, Section>,
  credentialsFile: Record<string, Section>,
): ProfileInfo[] {
  const byName = new Map<string, ProfileInfo>();
  const add = (name: string, section: Section, source: 'config' | 'credentials') => {
    if (NON_PROFILE_PREFIXES.some((p) => name.startsWith(p))) return;
    let info = byName.get(name);
    if (!info) {
      info = { name, kind: 'other', sources: [] };
      byName.set(name, info);
    }
    info.sources.push(source);
    if (source === 'config' && typeof section.region === 'string' && section.region.trim()) {
      info.region = section.region.trim();
    }
    const kind = profileKind(section);
    // Credentials-file keys win over a config section that only carries settings such as region.
    if (kind !== 'other' && (info.kind === 'other' || source === 'credentials')) info.kind = kind;
    if (section.sso_session) info.ssoSession = section.sso_session;
    if (section.source_profile) info.sourceProfile = section.source_profile;
  };
  for (const [name, section] of Object.entries(configFile)) add(name, section ?? {}, 'config');
  for (const [name, section] of Object.entries(credentialsFile)) add(name, section ?? {}, 'credentials');
  // `default` first, then alphabetical: the order the AWS CLI's `aws configure list-profiles` users expect.
  return [...byName.values()].sort((a, b) =>
    a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name),
  );
}

export interface ListProfilesOptions {
  env?: NodeJS.ProcessEnv;
  /** Paths that override the environment's (from settings). */
  configFile?: string;
  credentialsFile?: string;
}

/** Reads the shared config and credentials files. Never throws: problems come back as warnings. */
export async function listProfiles(options: ListProfilesOptions = {}): Promise<ProfileListing> {
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  let configFile: Record<string, Section> = {};
  let credentialsFile: Record<string, Section> = {};
  try {
    // The SDK's loader (resolved lazily so activation does not evaluate it). It honours AWS_CONFIG_FILE and
    // AWS_SHARED_CREDENTIALS_FILE, and treats a missing file as empty.
    const { loadSharedConfigFiles } = await import('@smithy/core/config');
    const files = await loadSharedConfigFiles({
      ignoreCache: true,
      filepath: options.credentialsFile || env.AWS_SHARED_CREDENTIALS_FILE || undefined,
      configFilepath: options.configFile || env.AWS_CONFIG_FILE || undefined,
    });
    configFile = files.configFile as Record<string, Section>;
    credentialsFile = files.credentialsFile as Record<string, Section>;
  } catch (err) {
    warnings.push(`Could not read the AWS config files: ${err instanceof Error ? err.message : String(err)}`);
  }
  const envCredentials = Boolean(
    (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
      env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE,
  );
  return {
    profiles: profilesFromFiles(configFile, credentialsFile),
    warnings,
    envProfile: env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || undefined,
    envCredentials,
  };
}

/** The region to use for a profile when the user has not chosen any: profile region, env, else us-east-1. */
export function defaultRegion(profile: ProfileInfo | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return profile?.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

/** The command that refreshes an SSO profile's token. */
export function ssoLoginCommand(profile: string): string {
  return `aws ${ssoLoginArgs(profile).join(' ')}`;
}

/**
 * Whether `name` can be an AWS profile name: the characters the AWS CLI and SDKs accept in `[profile …]`
 * sections (letters, digits and `_ - . @ + = , :` and `/`), at most 128 of them. A setting with anything else
 * (quotes, `;`, spaces, `$`) is refused rather than passed on to a shell or the SDK.
 */
export function isValidProfileName(name: string): boolean {
  return /^[A-Za-z0-9_.@+=,:/-]{1,128}$/.test(name);
}

/** The `aws sso login` arguments for a profile (as an argument list: no shell ever parses them). */
export function ssoLoginArgs(profile: string | undefined): string[] {
  return profile && isValidProfileName(profile) ? ['sso', 'login', '--profile', profile] : ['sso', 'login'];
}

/** The profile and Regions in use, decided in one place for every feature (explorer, selector commands, status bar). */
export interface ActiveAws {
  /** undefined = the SDK's default chain (environment credentials without any profile file). */
  profile?: string;
  profileInfo?: ProfileInfo;
  regions: string[];
}

/**
 * Settings first (`configured`, already validated), then AWS_PROFILE, `default`, the first profile found (unless
 * environment credentials exist). Regions: the configured ones (well-formed, deduplicated), else the profile's default.
 */
export function pickActive(listing: ProfileListing, configured: { profile?: string; regions: readonly string[] }): ActiveAws {
  let name: string | undefined = configured.profile || listing.envProfile;
  if (!name) {
    if (listing.profiles.some((p) => p.name === 'default')) name = 'default';
    else if (!listing.envCredentials) name = listing.profiles[0]?.name;
  }
  const info = name ? listing.profiles.find((p) => p.name === name) : undefined;
  const regions = [...new Set(configured.regions.map((r) => r.trim()).filter((r) => /^[a-z0-9-]{4,30}$/.test(r)))];
  return { profile: name, profileInfo: info, regions: regions.length ? regions : [defaultRegion(info)] };
}
