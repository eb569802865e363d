import { InvalidInputError } from '../errors/index.js';
import { type AwsClientOptions, checkRegionName, sharedConfigFiles } from './config.js';

/**
 * `options` completed from the AWS profile, as the AWS CLI and SDKs do: the profile is `--profile`
 * (`options.profile`), else `AWS_PROFILE`, else `default`; its `region` is used when neither
 * `--region`, `AWS_REGION` nor `AWS_DEFAULT_REGION` is set. A profile named explicitly must exist in
 * the config or credentials file (the AWS CLI refuses a missing one too). Credentials are left to the
 * SDK's chain (SSO, `credential_process`, `role_arn`, ...), which gets the profile from the client.
 * Front ends call this once, before building clients: it reads files, `resolveRegion` does not.
 */
export async function withAwsProfile(options: AwsClientOptions = {}): Promise<AwsClientOptions> {
  const env = options.env ?? process.env;
  const named = options.profile?.trim()
    ? { profile: options.profile.trim(), source: '--profile' }
    : env.AWS_PROFILE?.trim()
      ? { profile: env.AWS_PROFILE.trim(), source: 'AWS_PROFILE' }
      : undefined;
  const regionIsSet = [options.region, env.AWS_REGION, env.AWS_DEFAULT_REGION].some((value) => value?.trim());
  if (named === undefined && regionIsSet) return options;
  const profile = named?.profile ?? 'default';
  const files = sharedConfigFiles(env);
  // The SDK's own reader (`[profile x]` sections, both files merged), loaded only by commands that
  // talk to AWS.
  const { parseKnownFiles } = await import('@smithy/core/config');
  const profiles = await parseKnownFiles({
    profile,
    filepath: files.credentials,
    configFilepath: files.config,
  });
  const settings = profiles[profile];
  if (named !== undefined && settings === undefined) {
    throw new InvalidInputError(
      `AWS profile "${profile}" (${named.source}) is not in ${files.config} or ${files.credentials}`,
      {
        hint: `Add a [profile ${profile}] section to ${files.config} (aws configure --profile ${profile}), or fix ${named.source}.`,
      },
    );
  }
  const completed: AwsClientOptions = named === undefined ? { ...options } : { ...options, profile };
  const region = settings?.region?.trim();
  if (!regionIsSet && region) {
    completed.region = checkRegionName(region, `region of AWS profile ${profile}`);
  }
  return completed;
}
