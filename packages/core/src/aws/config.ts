import { homedir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '../errors/index.js';

/** How every command builds its AWS clients. All fields are optional; the defaults are the SDK's. */
export interface AwsClientOptions {
  /** `--region`; wins over `AWS_REGION`, `AWS_DEFAULT_REGION` and the profile's region. */
  region?: string;
  /** `--profile`; wins over `AWS_PROFILE`. {@link withAwsProfile} reads its region. */
  profile?: string;
  /**
   * Where `AWS_REGION`, `AWS_ENDPOINT_URL*`, `AWS_PROFILE`, `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE` and static
   * keys are read from. Defaults to `process.env`.
   */
  env?: NodeJS.ProcessEnv;
  /** Attempts per call, first try included (default `AWS_MAX_ATTEMPTS`, else 5). */
  maxAttempts?: number;
  /** Explicit credentials (a CodePipeline job's artifact credentials, say) instead of the chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export type AwsService = 's3' | 'codedeploy' | 'codepipeline' | 'lambda' | 'ecs';

/** Used when a custom endpoint is set and no region is: emulators accept any region. */
export const EMULATOR_DEFAULT_REGION = 'us-east-1';

const SERVICE_ENDPOINT_VARIABLE: Record<AwsService, string> = {
  s3: 'AWS_ENDPOINT_URL_S3',
  codedeploy: 'AWS_ENDPOINT_URL_CODEDEPLOY',
  codepipeline: 'AWS_ENDPOINT_URL_CODEPIPELINE',
  lambda: 'AWS_ENDPOINT_URL_LAMBDA',
  ecs: 'AWS_ENDPOINT_URL_ECS',
};

/** Region names are lower-case words and digits joined by hyphens (`us-east-1`, `eu-central-2`). */
const REGION_PATTERN = /^[a-z]{2}(-[a-z0-9]+)+$/;

/** The endpoint a client for `service` talks to, and the variable it came from. */
export interface CustomEndpoint {
  url: string;
  variable: string;
}

/**
 * The custom endpoint for `service` from the environment, or `undefined` for the real AWS endpoint.
 * Same precedence as the SDK (`AWS_ENDPOINT_URL_<SERVICE>` over `AWS_ENDPOINT_URL`, both ignored when
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), but read from `options.env` so callers and tests can pass
 * an environment other than the process's.
 */
export function resolveEndpoint(
  service: AwsService,
  options: AwsClientOptions = {},
): CustomEndpoint | undefined {
  const env = options.env ?? process.env;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true') return undefined;
  for (const variable of [SERVICE_ENDPOINT_VARIABLE[service], 'AWS_ENDPOINT_URL']) {
    const value = env[variable]?.trim();
    if (value) return { url: checkEndpointUrl(value, variable), variable };
  }
  return undefined;
}

/**
 * The custom endpoint in use for `service`, for logs: `http://127.0.0.1:4569 (AWS_ENDPOINT_URL_S3)`.
 * `undefined` means the SDK's regional AWS endpoint. User info in the URL is never shown.
 */
export function describeEndpoint(service: AwsService, options: AwsClientOptions = {}): string | undefined {
  const endpoint = resolveEndpoint(service, options);
  if (endpoint === undefined) return undefined;
  const url = new URL(endpoint.url);
  url.username = '';
  url.password = '';
  return `${url.origin}${url.pathname === '/' ? '' : url.pathname} (${endpoint.variable})`;
}

/**
 * `--region` > `AWS_REGION` > `AWS_DEFAULT_REGION` (the profile's region arrives as `options.region`
 * through {@link withAwsProfile}). Without any of them, a custom endpoint (an emulator) gets
 * `us-east-1`; real AWS gets an error rather than a silent guess, because a wrong region shows up
 * later as a confusing "application does not exist".
 */
export function resolveRegion(options: AwsClientOptions = {}): string {
  const env = options.env ?? process.env;
  const candidates: Array<[string | undefined, string]> = [
    [options.region, '--region'],
    [env.AWS_REGION, 'AWS_REGION'],
    [env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION'],
  ];
  for (const [value, source] of candidates) {
    const region = value?.trim();
    if (region) return checkRegionName(region, source);
  }
  const services = Object.keys(SERVICE_ENDPOINT_VARIABLE) as AwsService[];
  if (services.some((service) => resolveEndpoint(service, options) !== undefined)) {
    return EMULATOR_DEFAULT_REGION;
  }
  const files = sharedConfigFiles(env);
  const profile = options.profile?.trim() || env.AWS_PROFILE?.trim() || 'default';
  throw new InvalidInputError(
    `No AWS region is set: looked at the region option, AWS_REGION, AWS_DEFAULT_REGION and the region of profile "${profile}" in ${files.config} and ${files.credentials}`,
    {
      hint: `Pass --region, set AWS_REGION (for example AWS_REGION=us-east-1), or add region = ... to the profile (aws configure set region us-east-1${profile === 'default' ? '' : ` --profile ${profile}`}).`,
    },
  );
}

/** `region` when it is shaped like a region code; `source` names where it came from in the error. */
export function checkRegionName(region: string, source: string): string {
  if (!REGION_PATTERN.test(region)) {
    throw new InvalidInputError(`${source} "${region}" is not an AWS region name`, {
      hint: 'Use a region code such as us-east-1 or eu-west-2.',
    });
  }
  return region;
}

/** The shared config and credentials files the AWS CLI and SDKs read, for `env`. */
export function sharedConfigFiles(env: NodeJS.ProcessEnv): { config: string; credentials: string } {
  const home = env.HOME?.trim() || homedir();
  return {
    config: env.AWS_CONFIG_FILE?.trim() || join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE?.trim() || join(home, '.aws', 'credentials'),
  };
}

/** `AWS_MAX_ATTEMPTS` when it is a positive integer, else `undefined`; `options.maxAttempts` wins. */
export function resolveMaxAttempts(options: AwsClientOptions = {}, fallback = 5): number {
  if (options.maxAttempts !== undefined) return checkMaxAttempts(options.maxAttempts, 'maxAttempts');
  const fromEnv = (options.env ?? process.env).AWS_MAX_ATTEMPTS?.trim();
  if (fromEnv) return checkMaxAttempts(Number(fromEnv), 'AWS_MAX_ATTEMPTS');
  return fallback;
}

function checkMaxAttempts(value: number, source: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidInputError(`${source} must be a whole number of at least 1, got ${value}`, {
      hint: 'It counts the first try, so 1 means "no retries".',
    });
  }
  return value;
}

function checkEndpointUrl(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(`${variable} is not a URL`, {
      hint: `Set ${variable} to a full URL such as http://127.0.0.1:4566.`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError(`${variable} must be an http:// or https:// URL, got ${url.protocol}//`, {
      hint: `Set ${variable} to a full URL such as http://127.0.0.1:4566.`,
    });
  }
  return value;
}
