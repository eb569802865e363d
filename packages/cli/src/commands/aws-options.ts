import { type AwsClientOptions, withAwsProfile } from '@codedeploy-gate/core/aws';

/** `--region` and `--profile`, accepted by every command that talks to AWS. */
export const AWS_OPTIONS = {
  region: { type: 'string' },
  profile: { type: 'string' },
} as const;

/** The help lines for {@link AWS_OPTIONS}, descriptions starting at `column` as the command's others do. */
export function awsUsage(column = 27): string {
  return [
    ['--region REGION', "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region)"],
    ['--profile NAME', 'AWS profile in ~/.aws/config (else AWS_PROFILE, else default)'],
  ]
    .map(([flag, text]) => `  ${(flag ?? '').padEnd(column - 2)}${text}`)
    .join('\n');
}

/**
 * The AWS settings a command runs with: the flags, then the environment, then the profile's region
 * (read from AWS_CONFIG_FILE / ~/.aws/config before anything is sent, so a missing profile is exit 2).
 */
export function awsOptions(
  env: NodeJS.ProcessEnv,
  values: { region?: string | undefined; profile?: string | undefined },
): Promise<AwsClientOptions> {
  return withAwsProfile({
    env,
    ...(values.region ? { region: values.region } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
  });
}
