/**
 * Turns whatever the AWS SDK (or the network under it) throws into something a user can act on.
 * Pure: looks only at the error's name, code, message and HTTP status.
 */
import { ssoLoginCommand } from './profiles';

export type AwsErrorKind =
  | 'no-credentials'
  | 'sso-expired'
  | 'expired-token'
  | 'invalid-credentials'
  | 'access-denied'
  | 'throttled'
  | 'network'
  | 'timeout'
  | 'not-found'
  | 'not-available'
  | 'cancelled'
  | 'unknown';

/** What the user can do about it; the explorer turns each into a button or tree item. */
export type AwsErrorAction = 'choose-profile' | 'sso-login' | 'retry' | 'none';

export interface ClassifiedAwsError {
  kind: AwsErrorKind;
  /** One or two sentences for the user, saying what happened and what to do. */
  message: string;
  action: AwsErrorAction;
  /** The service's own error name or the system error code, for the log. */
  code?: string;
  /** The SDK/system message as it came. */
  detail: string;
  /** For `sso-login`: the command to run in a terminal. */
  command?: string;
}

export interface ClassifyContext {
  profile?: string;
  /** What was being done, e.g. "listing trails" — used in messages. */
  operation?: string;
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'NotAuthorized',
  'AuthorizationError',
  'InsufficientDependencyServiceAccessPermissionException',
  'CloudTrailAccessNotEnabledException',
  'NotOrganizationMasterAccountException',
  'NoManagementAccountSLRExistsException',
]);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
]);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
]);
const NOT_FOUND = new Set([
  'TrailNotFoundException',
  'NoSuchBucket',
  'NoSuchKey',
  'NotFound',
  'EventDataStoreNotFoundException',
  'InsightNotEnabledException',
  'ResourceNotFoundException',
]);
const NOT_AVAILABLE = new Set([
  'UnsupportedOperationException',
  'OperationNotPermittedException',
  'InvalidAction',
  'UnknownOperationException',
  'NotImplemented',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

function field(err: unknown, key: string): unknown {
  return err !== null && typeof err === 'object' ? (err as Record<string, unknown>)[key] : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

export function classifyAwsError(err: unknown, ctx: ClassifyContext = {}): ClassifiedAwsError {
  const name = str(field(err, 'name')) ?? '';
  const type = str(field(err, 'Code')) ?? str(field(err, '__type'))?.split('#').pop();
  const code = str(field(err, 'code')) ?? str(field(field(err, 'cause'), 'code'));
  const detail = (str(field(err, 'message')) ?? (typeof err === 'string' ? err : '') ?? '').trim() || name || 'Unknown error';
  const status = field(field(err, '$metadata'), 'httpStatusCode');
  const id = name && name !== 'Error' ? name : (type ?? code ?? '');
  const what = ctx.operation ? ` while ${ctx.operation}` : '';
  const profileText = ctx.profile ? `profile "${ctx.profile}"` : 'the default credentials';
  const make = (kind: AwsErrorKind, message: string, action: AwsErrorAction, extra: Partial<ClassifiedAwsError> = {}) => ({
    kind,
    message,
    action,
    code: id || undefined,
    detail,
    ...extra,
  });

  if (name === 'AbortError' || code === 'ABORT_ERR' || /aborted|cancell?ed/i.test(name)) {
    return make('cancelled', 'Cancelled.', 'none');
  }
  const lower = detail.toLowerCase();
  if (
    (name === 'CredentialsProviderError' || name === 'TokenProviderError' || /sso/i.test(detail)) &&
    /sso/.test(lower) &&
    /(expired|invalid|refresh|sso login)/.test(lower)
  ) {
    const command = ctx.profile ? ssoLoginCommand(ctx.profile) : 'aws sso login';
    return make('sso-expired', `The SSO session for ${profileText} has expired or is not signed in. Run \`${command}\` in a terminal, then retry.`, 'sso-login', { command });
  }
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError' || /could not (load|resolve) credentials/i.test(detail)) {
    return make(
      'no-credentials',
      `No usable AWS credentials for ${profileText}: ${detail} Choose another profile or configure this one as for the AWS CLI.`,
      'choose-profile',
    );
  }
  if (EXPIRED.has(id) || EXPIRED.has(type ?? '') || /security token included in the request is expired/i.test(detail)) {
    return make('expired-token', `The credentials of ${profileText} have expired. Refresh them (for example sign in again), then retry.`, 'retry');
  }
  if (INVALID_CREDENTIALS.has(id) || INVALID_CREDENTIALS.has(type ?? '')) {
    return make('invalid-credentials', `AWS rejected the credentials of ${profileText} (${id || type}). Check the profile's keys, or choose another profile.`, 'choose-profile');
  }
  if (ACCESS_DENIED.has(id) || ACCESS_DENIED.has(type ?? '') || /not authorized to perform/i.test(detail)) {
    return make('access-denied', `Access denied${what}: ${detail}`, 'retry');
  }
  if (THROTTLED.has(id) || THROTTLED.has(type ?? '') || status === 429) {
    return make('throttled', `AWS is throttling requests${what}. Wait a moment, then retry.`, 'retry');
  }
  // The SDK names a reset or refused connection "TimeoutError" too (code ECONNRESET): the socket's code decides.
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') {
    return make('network', `The connection to AWS was reset${what} (${code}). Check the network connection or proxy, then retry.`, 'retry');
  }
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || /timed? ?out/i.test(name)) {
    return make('timeout', `The request timed out${what}. Check the network connection, then retry.`, 'retry');
  }
  if ((code && NETWORK_CODES.has(code)) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up|getaddrinfo/.test(detail)) {
    return make('network', `Could not reach AWS${what} (${code ?? 'network error'}). Check the network connection or proxy, then retry.`, 'retry');
  }
  if (NOT_FOUND.has(id) || NOT_FOUND.has(type ?? '') || status === 404) {
    return make('not-found', `Not found${what}: ${detail}`, 'retry');
  }
  // An HTML or otherwise unparsable answer usually means the endpoint does not implement the API (local emulators).
  if (NOT_AVAILABLE.has(id) || NOT_AVAILABLE.has(type ?? '') || (name === 'SyntaxError' && typeof status === 'number') || status === 501) {
    return make('not-available', `Not available from this endpoint${what}${typeof status === 'number' ? ` (HTTP ${status})` : ''}.`, 'none');
  }
  if (typeof status === 'number' && status >= 500) {
    return make('unknown', `AWS answered with a server error${what} (HTTP ${status}): ${detail} Retry later.`, 'retry');
  }
  return make('unknown', `Failed${what}: ${detail}`, 'retry');
}

export function isThrottle(err: unknown): boolean {
  return classifyAwsError(err).kind === 'throttled';
}

export function isAbort(err: unknown): boolean {
  return classifyAwsError(err).kind === 'cancelled';
}
