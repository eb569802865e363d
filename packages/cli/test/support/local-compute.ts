import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  type CreateDeploymentGroupInput,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { LocalService } from './local-fleet.js';
import { EXAMPLES } from './run-cli.js';

export const ROLE_ARN = 'arn:aws:iam::111122223333:role/CodeDeploy';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/shop/0123456789abcdef';

/** Lambda and ECS clients on the local server, as a user's scripts would make them. */
export function computeClients(local: LocalService): { lambda: LambdaClient; ecs: ECSClient } {
  const config = {
    endpoint: local.server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return { lambda: new LambdaClient(config), ecs: new ECSClient(config) };
}

/** A Lambda application `name` with deployment group `live`. */
export async function lambdaApp(
  local: LocalService,
  name: string,
  group: Partial<CreateDeploymentGroupInput> = {},
): Promise<{ application: string; deploymentGroup: string }> {
  await local.codeDeploy.send(
    new CreateApplicationCommand({ applicationName: name, computePlatform: 'Lambda' }),
  );
  await local.codeDeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: name,
      deploymentGroupName: 'live',
      serviceRoleArn: ROLE_ARN,
      ...group,
    }),
  );
  return { application: name, deploymentGroup: 'live' };
}

/**
 * An ECS service `CLUSTER/web` running `web:1` (container web, image registry.example.com/web:1, port
 * 8080) behind target groups NAME-blue/NAME-green, and an ECS application with group `web` that waits
 * in READY_WAIT for ContinueDeployment (up to 30 minutes) and releases the original at once.
 */
export async function ecsApp(
  local: LocalService,
  name: string,
  group: Partial<CreateDeploymentGroupInput> = {},
): Promise<{ application: string; deploymentGroup: string; cluster: string; service: string }> {
  const cluster = name;
  local.server.compute.putService(cluster, {
    name: 'web',
    taskDefinition: {
      family: `${name}-web`,
      containerDefinitions: [
        {
          name: 'web',
          image: 'registry.example.com/web:1',
          portMappings: [{ containerPort: 8080 }],
        },
        { name: 'log-router', image: 'registry.example.com/fluent-bit:3' },
      ],
    },
    desiredCount: 2,
    targetGroups: [`${name}-blue`, `${name}-green`],
  });
  await local.codeDeploy.send(
    new CreateApplicationCommand({ applicationName: name, computePlatform: 'ECS' }),
  );
  await local.codeDeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: name,
      deploymentGroupName: 'web',
      serviceRoleArn: ROLE_ARN,
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      ecsServices: [{ clusterName: cluster, serviceName: 'web' }],
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          {
            targetGroups: [{ name: `${name}-blue` }, { name: `${name}-green` }],
            prodTrafficRoute: { listenerArns: [`${LISTENER}/prod`] },
            testTrafficRoute: { listenerArns: [`${LISTENER}/test`] },
          },
        ],
      },
      blueGreenDeploymentConfiguration: {
        // Long enough (600 minutes of the test clock) that only the gate ever ends the wait.
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 600 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
      },
      ...group,
    }),
  );
  return { application: name, deploymentGroup: 'web', cluster, service: 'web' };
}

/** Deployments of an application's group, read back through ListDeployments. */
export async function deploymentsOf(
  local: LocalService,
  app: { application: string; deploymentGroup: string },
): Promise<string[]> {
  const { deployments = [] } = await local.codeDeploy.send(
    new ListDeploymentsCommand({
      applicationName: app.application,
      deploymentGroupName: app.deploymentGroup,
    }),
  );
  return deployments;
}

/**
 * examples/lambda/hooks copied into `dir`, with the SDK packages they import linked beside them: on
 * Lambda the runtime provides the SDK, and the example's own node_modules is not installed in the repo.
 * Returns the folder holding pre-traffic.mjs and post-traffic.mjs.
 */
export async function exampleHookFunctions(dir: string): Promise<string> {
  const hooks = join(dir, 'hooks');
  await cp(join(EXAMPLES, 'lambda', 'hooks'), hooks, {
    recursive: true,
    filter: (source) => !source.includes('node_modules'),
  });
  await mkdir(join(hooks, 'node_modules', '@aws-sdk'), { recursive: true });
  for (const name of ['client-codedeploy', 'client-lambda']) {
    const installed = fileURLToPath(new URL(`../../node_modules/@aws-sdk/${name}`, import.meta.url));
    await symlink(installed, join(hooks, 'node_modules', '@aws-sdk', name), 'dir');
  }
  return hooks;
}

/** A valid, empty zip archive whose comment makes its bytes (so its CodeSha256) unique: a code package. */
export async function writeCodePackage(file: string, comment: string): Promise<string> {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(comment.length, 20);
  await writeFile(file, Buffer.concat([end, Buffer.from(comment)]));
  return file;
}

/** A local function runner answering like a healthy (200) or broken (500) HTTP-style function. */
export function answering(statusCode: number): { command: string } {
  return { command: `echo '{"statusCode":${statusCode},"body":"status ${statusCode}"}'` };
}

/** The `⇄ traffic …` lines of a CI log, as [percent, step, steps]. */
export function trafficSteps(log: string): Array<[number, number, number]> {
  return [...log.matchAll(/⇄ traffic (?:Green )?(\d+)%.*?\(step (\d+) of (\d+)/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
  ]);
}
