/**
 * Lazily-loaded AWS SDK clients. Nothing here evaluates the SDK until a client is first asked for, so the
 * extension activates fast; esbuild bundles the SDK but keeps each `import()` as a deferred module body.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsTarget {
  /** Named profile from the shared files; undefined = the SDK's default chain (env, AWS_PROFILE, default…). */
  profile?: string;
  region: string;
  /** Shared files other than AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE / ~/.aws (from settings). */
  files?: SharedFiles;
}

export interface SharedFiles {
  config?: string;
  credentials?: string;
}

export interface ClientOptions {
  /** Total attempts including the first; 1 disables the SDK's retries. */
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
  /** Abort a request that gets no answer in this time (ms), so nothing hangs on a dead network. */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export type SdkCloudTrail = typeof import('@aws-sdk/client-cloudtrail');
export type SdkS3 = typeof import('@aws-sdk/client-s3');

let cloudTrailModule: Promise<SdkCloudTrail> | undefined;
let s3Module: Promise<SdkS3> | undefined;

export function loadCloudTrailSdk(): Promise<SdkCloudTrail> {
  cloudTrailModule ??= import('@aws-sdk/client-cloudtrail');
  return cloudTrailModule;
}

export function loadS3Sdk(): Promise<SdkS3> {
  s3Module ??= import('@aws-sdk/client-s3');
  return s3Module;
}

/** Credentials exactly as the AWS CLI would resolve them for the profile (SSO, role_arn, credential_process…). */
export async function credentialsFor(profile: string | undefined, files: SharedFiles = {}): Promise<AwsCredentialIdentityProvider> {
  const { fromIni, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  // ignoreCache: a profile edited or re-logged while VS Code runs is read afresh on the next client.
  const init = { ignoreCache: true, filepath: files.credentials || undefined, configFilepath: files.config || undefined };
  return profile ? fromIni({ ...init, profile }) : fromNodeProviderChain(init);
}

function commonConfig(target: AwsTarget, options: ClientOptions, credentials: AwsCredentialIdentityProvider) {
  return {
    region: target.region,
    credentials,
    maxAttempts: options.maxAttempts ?? 3,
    retryMode: options.retryMode ?? 'standard',
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      throwOnRequestTimeout: true,
    },
  };
}

export async function createCloudTrailClient(target: AwsTarget, options: ClientOptions = {}): Promise<CloudTrailClient> {
  const [sdk, credentials] = await Promise.all([loadCloudTrailSdk(), credentialsFor(target.profile, target.files)]);
  return new sdk.CloudTrailClient(commonConfig(target, options, credentials));
}

export async function createS3Client(target: AwsTarget, options: ClientOptions = {}): Promise<S3Client> {
  const env = options.env ?? process.env;
  const [sdk, credentials] = await Promise.all([loadS3Sdk(), credentialsFor(target.profile, target.files)]);
  return new sdk.S3Client({
    ...commonConfig(target, options, credentials),
    // A trail's bucket may live in another region than the one browsed.
    followRegionRedirects: true,
    // Custom endpoints (LocalStack, moto, VPC endpoints by IP) rarely resolve virtual-hosted bucket names.
    forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL) || undefined,
  });
}
