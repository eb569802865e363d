import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type Fleet,
  type LocalCodeDeploy,
  type LocalCodeDeployOptions,
  startLocalCodeDeploy,
} from '@codedeploy-gate/local';

// Kept apart from local-fleet.ts (which registers vitest hooks) so benchmarks can start one too.

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** A local CodeDeploy, SDK clients to read its state back, and the environment that points the CLI at it. */
export interface LocalService {
  readonly server: LocalCodeDeploy;
  readonly codeDeploy: CodeDeployClient;
  readonly s3: S3Client;
  /** AWS_ENDPOINT_URL, region and (fake) keys: what the CLI child process gets. */
  readonly env: NodeJS.ProcessEnv;
}

/** Starts a local CodeDeploy on a free port, with clients for it; `close` stops all of it. */
export async function startLocalService(
  options: LocalCodeDeployOptions,
): Promise<LocalService & { close(): Promise<void> }> {
  const server = await startLocalCodeDeploy({ port: 0, ...options });
  const codeDeploy = new CodeDeployClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
  });
  const s3 = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return {
    server,
    codeDeploy,
    s3,
    env: {
      AWS_ENDPOINT_URL: server.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    },
    close: async () => {
      codeDeploy.destroy();
      s3.destroy();
      await server.close();
    },
  };
}

/** Gate pacing for tests: look often, so a verdict is seen within a second of the deployment's end. */
export const FAST_POLLING = ['--poll-interval', '0.25s', '--max-poll-interval', '1s'] as const;

/** `deploy DIR` of a fleet, with the fast test polling; `extra` goes last. */
export function deployArgs(fleet: Fleet, dir: string, ...extra: string[]): string[] {
  return [
    'deploy',
    dir,
    '--application',
    fleet.application,
    '--deployment-group',
    fleet.deploymentGroup,
    '--s3-location',
    `s3://${fleet.bucket}/${fleet.application}`,
    ...FAST_POLLING,
    ...extra,
  ];
}
