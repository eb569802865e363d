import { AwsError } from './gate-error.js';

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number };
  $fault?: 'client' | 'server';
}

const HINTS: Record<string, string> = {
  AccessDenied:
    'Check that the credentials in use (AWS_PROFILE, AWS_ACCESS_KEY_ID, the runner role) allow this call.',
  AccessDeniedException:
    'Check that the credentials in use (AWS_PROFILE, AWS_ACCESS_KEY_ID, the runner role) allow this call.',
  NoSuchBucket: 'Create the bucket first or fix the bucket name in --s3-location.',
  CredentialsProviderError:
    'No AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run on a host with a role.',
  ECONNREFUSED:
    'Nothing is listening at the endpoint: check AWS_ENDPOINT_URL (and the local CodeDeploy, if you use it).',
  ENOTFOUND: 'The endpoint host name does not resolve: check AWS_REGION and AWS_ENDPOINT_URL.',
  ProxyConnectionError:
    'Check HTTPS_PROXY / HTTP_PROXY (host, port, that the proxy runs), or list the endpoint host in NO_PROXY to go direct.',
  ApplicationDoesNotExistException:
    'Create the application first (aws deploy create-application) or fix the application name.',
};

/**
 * Wraps whatever an AWS SDK call threw into an {@link AwsError} that says what we were doing
 * ("uploading bundle to s3://b/k: Access Denied"). Never includes request parameters, so secrets in
 * them cannot leak into the message. `hints` by error code win over the general ones (an access
 * denied on GetAlias can name the permission).
 */
export function wrapAwsError(doing: string, error: unknown, hints: Record<string, string> = {}): AwsError {
  if (error instanceof AwsError) return error;
  const e = (error ?? {}) as AwsLikeError;
  const code = e.name && e.name !== 'Error' ? e.name : e.code;
  const detail = e.message?.trim() || code || 'unknown error';
  const options: ConstructorParameters<typeof AwsError>[1] = { cause: error };
  if (code !== undefined) options.code = code;
  if (e.$metadata?.requestId !== undefined) options.requestId = e.$metadata.requestId;
  const hint = code === undefined ? undefined : (hints[code] ?? HINTS[code]);
  if (hint !== undefined) options.hint = hint;
  return new AwsError(`${doing}: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`, options);
}
