import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddTagsToOnPremisesInstancesCommand,
  ApplicationDoesNotExistException,
  BatchGetApplicationsCommand,
  BatchGetDeploymentGroupsCommand,
  BatchGetOnPremisesInstancesCommand,
  CodeDeployServiceException,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  DeleteApplicationCommand,
  DeleteDeploymentConfigCommand,
  DeleteDeploymentGroupCommand,
  DeregisterOnPremisesInstanceCommand,
  GetApplicationCommand,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  GetOnPremisesInstanceCommand,
  ListApplicationRevisionsCommand,
  ListApplicationsCommand,
  ListDeploymentConfigsCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentsCommand,
  ListOnPremisesInstancesCommand,
  ListTagsForResourceCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  RegisterApplicationRevisionCommand,
  RegisterOnPremisesInstanceCommand,
  RemoveTagsFromOnPremisesInstancesCommand,
  type RevisionLocation,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApplicationCommand,
  UpdateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import {
  AcknowledgeJobCommand,
  CodePipelineServiceException,
  CreateCustomActionTypeCommand,
  CreatePipelineCommand,
  GetJobDetailsCommand,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListActionTypesCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  type PipelineDeclaration,
  PollForJobsCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSServiceException,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaServiceException,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, ROLE_ARN, rejectionOf, startHarness } from '../e2e/helpers.js';
import { jsonHeaders, sendBody } from './raw-http.js';

/** Names that are members of every JavaScript object, and so keys a plain `{}` already "holds". */
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'isPrototypeOf',
] as const;
const name = fc.constantFrom(...PROTOTYPE_NAMES, 'web', 'orders-2');

const ACCOUNT = '111122223333';
const LAMBDA_ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda`;
/** An empty zip archive: the local Lambda stores code packages, it does not unpack them here. */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } };

/** What the JavaScript realm looked like before any request: every member of the shared prototypes. */
function prototypeSnapshot(): Map<string, unknown> {
  const members = new Map<string, unknown>();
  for (const [label, proto] of [
    ['Object', Object.prototype],
    ['Array', Array.prototype],
    ['Function', Function.prototype],
    ['String', String.prototype],
  ] as const) {
    for (const key of Reflect.ownKeys(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      members.set(`${label}.${String(key)}`, descriptor?.value ?? descriptor?.get);
    }
  }
  return members;
}

function expectCleanPrototypes(before: Map<string, unknown>): void {
  expect(prototypeSnapshot()).toEqual(before);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  for (const key in {}) expect.unreachable(`{} enumerates an inherited member ${key}`);
}

type Service = 'CodeDeploy' | 'CodePipeline' | 'Lambda' | 'ECS';
const SERVICE_EXCEPTIONS: Record<Service, new (...args: never[]) => Error> = {
  CodeDeploy: CodeDeployServiceException,
  CodePipeline: CodePipelineServiceException,
  Lambda: LambdaServiceException,
  ECS: ECSServiceException,
};

/**
 * A failure is acceptable only as one of the service's own modelled exceptions: the SDK deserialises
 * those into their own subclasses of the service's base exception, and an error code the model does
 * not know (InternalFailure, ServiceException from a crash) into the base class itself.
 */
function expectModelledException(service: Service, operation: string, error: unknown): void {
  const base = SERVICE_EXCEPTIONS[service];
  const described = `${operation} failed with ${String((error as Error).name)}: ${String((error as Error).message)}`;
  expect(error instanceof base, described).toBe(true);
  expect((error as Error).constructor, described).not.toBe(base);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  expect(status, described).toBeGreaterThanOrEqual(400);
  expect(status, described).toBeLessThan(500);
  expect((error as Error).message, described).not.toMatch(/\n\s+at /);
}

interface Operation {
  service: Service;
  name: string;
  /** Sends the operation with the names `n` and `m` in every name-taking member. */
  send(h: Harness, n: string, m: string): Promise<unknown>;
}

type Send = Operation['send'];

function operations(service: Service, calls: readonly (readonly [string, Send])[]): Operation[] {
  return calls.map(([name, send]) => ({ service, name, send }));
}

const s3Revision = (bucket: string, key: string): RevisionLocation => ({
  revisionType: 'S3',
  s3Location: { bucket: `${bucket.toLowerCase().replace(/_/g, 'x')}-bucket`, key, bundleType: 'zip' },
});
const applicationArn = (n: string) => `arn:aws:codedeploy:us-east-1:${ACCOUNT}:application:${n}`;

const CODEDEPLOY = operations('CodeDeploy', [
  ['CreateApplication', (h, n) => h.codeDeploy.send(new CreateApplicationCommand({ applicationName: n }))],
  ['GetApplication', (h, n) => h.codeDeploy.send(new GetApplicationCommand({ applicationName: n }))],
  [
    'BatchGetApplications',
    (h, n, m) => h.codeDeploy.send(new BatchGetApplicationsCommand({ applicationNames: [n, m] })),
  ],
  ['ListApplications', (h) => h.codeDeploy.send(new ListApplicationsCommand({}))],
  [
    'UpdateApplication',
    (h, n, m) =>
      h.codeDeploy.send(new UpdateApplicationCommand({ applicationName: n, newApplicationName: m })),
  ],
  ['DeleteApplication', (h, n) => h.codeDeploy.send(new DeleteApplicationCommand({ applicationName: n }))],
  [
    'CreateDeploymentGroup',
    (h, n, m) =>
      h.codeDeploy.send(
        new CreateDeploymentGroupCommand({
          applicationName: n,
          deploymentGroupName: m,
          serviceRoleArn: ROLE_ARN,
          onPremisesInstanceTagFilters: [{ Key: m, Value: n, Type: 'KEY_AND_VALUE' }],
        }),
      ),
  ],
  [
    'CreateDeploymentGroup (config)',
    (h, n, m) =>
      h.codeDeploy.send(
        new CreateDeploymentGroupCommand({
          applicationName: n,
          deploymentGroupName: `${m}-configured`,
          serviceRoleArn: ROLE_ARN,
          deploymentConfigName: m,
        }),
      ),
  ],
  [
    'GetDeploymentGroup',
    (h, n, m) =>
      h.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: n, deploymentGroupName: m })),
  ],
  [
    'BatchGetDeploymentGroups',
    (h, n, m) =>
      h.codeDeploy.send(
        new BatchGetDeploymentGroupsCommand({ applicationName: n, deploymentGroupNames: [m, n] }),
      ),
  ],
  [
    'ListDeploymentGroups',
    (h, n) => h.codeDeploy.send(new ListDeploymentGroupsCommand({ applicationName: n })),
  ],
  [
    'UpdateDeploymentGroup',
    (h, n, m) =>
      h.codeDeploy.send(
        new UpdateDeploymentGroupCommand({
          applicationName: n,
          currentDeploymentGroupName: m,
          newDeploymentGroupName: `${m}-renamed`,
          deploymentConfigName: n,
        }),
      ),
  ],
  [
    'DeleteDeploymentGroup',
    (h, n, m) =>
      h.codeDeploy.send(new DeleteDeploymentGroupCommand({ applicationName: n, deploymentGroupName: m })),
  ],
  [
    'CreateDeploymentConfig',
    (h, n) =>
      h.codeDeploy.send(
        new CreateDeploymentConfigCommand({
          deploymentConfigName: n,
          minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 },
        }),
      ),
  ],
  [
    'GetDeploymentConfig',
    (h, n) => h.codeDeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: n })),
  ],
  ['ListDeploymentConfigs', (h) => h.codeDeploy.send(new ListDeploymentConfigsCommand({}))],
  [
    'DeleteDeploymentConfig',
    (h, n) => h.codeDeploy.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: n })),
  ],
  [
    'RegisterOnPremisesInstance',
    (h, n) =>
      h.codeDeploy.send(
        new RegisterOnPremisesInstanceCommand({
          instanceName: n,
          iamUserArn: `arn:aws:iam::${ACCOUNT}:user/${n}`,
        }),
      ),
  ],
  [
    'GetOnPremisesInstance',
    (h, n) => h.codeDeploy.send(new GetOnPremisesInstanceCommand({ instanceName: n })),
  ],
  [
    'BatchGetOnPremisesInstances',
    (h, n, m) => h.codeDeploy.send(new BatchGetOnPremisesInstancesCommand({ instanceNames: [n, m] })),
  ],
  [
    'AddTagsToOnPremisesInstances',
    (h, n, m) =>
      h.codeDeploy.send(
        new AddTagsToOnPremisesInstancesCommand({ instanceNames: [n], tags: [{ Key: m, Value: n }] }),
      ),
  ],
  [
    'RemoveTagsFromOnPremisesInstances',
    (h, n, m) =>
      h.codeDeploy.send(
        new RemoveTagsFromOnPremisesInstancesCommand({ instanceNames: [n], tags: [{ Key: m, Value: n }] }),
      ),
  ],
  [
    'ListOnPremisesInstances',
    (h, n, m) =>
      h.codeDeploy.send(
        new ListOnPremisesInstancesCommand({ tagFilters: [{ Key: m, Value: n, Type: 'KEY_AND_VALUE' }] }),
      ),
  ],
  [
    'DeregisterOnPremisesInstance',
    (h, n) => h.codeDeploy.send(new DeregisterOnPremisesInstanceCommand({ instanceName: n })),
  ],
  [
    'RegisterApplicationRevision',
    (h, n, m) =>
      h.codeDeploy.send(
        new RegisterApplicationRevisionCommand({ applicationName: n, revision: s3Revision(m, n) }),
      ),
  ],
  [
    'GetApplicationRevision',
    (h, n, m) =>
      h.codeDeploy.send(
        new GetApplicationRevisionCommand({ applicationName: n, revision: s3Revision(m, n) }),
      ),
  ],
  [
    'ListApplicationRevisions',
    (h, n) => h.codeDeploy.send(new ListApplicationRevisionsCommand({ applicationName: n })),
  ],
  [
    'TagResource',
    (h, n, m) =>
      h.codeDeploy.send(
        new TagResourceCommand({ ResourceArn: applicationArn(n), Tags: [{ Key: m, Value: n }] }),
      ),
  ],
  [
    'ListTagsForResource',
    (h, n) => h.codeDeploy.send(new ListTagsForResourceCommand({ ResourceArn: applicationArn(n) })),
  ],
  [
    'UntagResource',
    (h, n, m) =>
      h.codeDeploy.send(new UntagResourceCommand({ ResourceArn: applicationArn(n), TagKeys: [m] })),
  ],
  [
    'CreateDeployment',
    (h, n, m) =>
      h.codeDeploy.send(
        new CreateDeploymentCommand({
          applicationName: n,
          deploymentGroupName: m,
          deploymentConfigName: n,
          revision: s3Revision(m, n),
        }),
      ),
  ],
  ['GetDeployment', (h, n) => h.codeDeploy.send(new GetDeploymentCommand({ deploymentId: n }))],
  [
    'ListDeployments',
    (h, n, m) =>
      h.codeDeploy.send(new ListDeploymentsCommand({ applicationName: n, deploymentGroupName: m })),
  ],
  [
    'GetDeploymentTarget',
    (h, n, m) => h.codeDeploy.send(new GetDeploymentTargetCommand({ deploymentId: n, targetId: m })),
  ],
  [
    'PutLifecycleEventHookExecutionStatus',
    (h, n, m) =>
      h.codeDeploy.send(
        new PutLifecycleEventHookExecutionStatusCommand({
          deploymentId: n,
          lifecycleEventHookExecutionId: m,
          status: 'Succeeded',
        }),
      ),
  ],
]);

function pipeline(n: string, m: string): PipelineDeclaration {
  return {
    name: n,
    roleArn: ROLE_ARN,
    artifactStore: { type: 'S3', location: 'artifacts-bucket' },
    stages: [
      {
        name: n,
        actions: [
          {
            name: n,
            actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
            configuration: { S3Bucket: 'sources-bucket', S3ObjectKey: m, PollForSourceChanges: 'false' },
            outputArtifacts: [{ name: m }],
          },
        ],
      },
      {
        name: m,
        actions: [
          {
            name: m,
            actionTypeId: { category: 'Deploy', owner: 'Custom', provider: n, version: '1' },
            configuration: { [m]: n },
            inputArtifacts: [{ name: m }],
          },
        ],
      },
    ],
  };
}

const CODEPIPELINE = operations('CodePipeline', [
  [
    'CreateCustomActionType',
    (h, n, m) =>
      h.codePipeline.send(
        new CreateCustomActionTypeCommand({
          category: 'Deploy',
          provider: n,
          version: '1',
          configurationProperties: [{ name: m, required: true, key: true, secret: false, queryable: true }],
          inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
          outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
        }),
      ),
  ],
  [
    'ListActionTypes',
    (h) => h.codePipeline.send(new ListActionTypesCommand({ actionOwnerFilter: 'Custom' })),
  ],
  [
    'CreatePipeline',
    (h, n, m) => h.codePipeline.send(new CreatePipelineCommand({ pipeline: pipeline(n, m) })),
  ],
  ['GetPipeline', (h, n) => h.codePipeline.send(new GetPipelineCommand({ name: n }))],
  ['ListPipelines', (h) => h.codePipeline.send(new ListPipelinesCommand({}))],
  ['GetPipelineState', (h, n) => h.codePipeline.send(new GetPipelineStateCommand({ name: n }))],
  ['StartPipelineExecution', (h, n) => h.codePipeline.send(new StartPipelineExecutionCommand({ name: n }))],
  [
    'ListPipelineExecutions',
    (h, n) => h.codePipeline.send(new ListPipelineExecutionsCommand({ pipelineName: n })),
  ],
  [
    'GetPipelineExecution',
    (h, n, m) =>
      h.codePipeline.send(new GetPipelineExecutionCommand({ pipelineName: n, pipelineExecutionId: m })),
  ],
  [
    'ListActionExecutions',
    (h, n) => h.codePipeline.send(new ListActionExecutionsCommand({ pipelineName: n })),
  ],
  [
    'PollForJobs',
    (h, n, m) =>
      h.codePipeline.send(
        new PollForJobsCommand({
          actionTypeId: { category: 'Deploy', owner: 'Custom', provider: n, version: '1' },
          queryParam: { [m]: 'value' },
        }),
      ),
  ],
  ['GetJobDetails', (h, n) => h.codePipeline.send(new GetJobDetailsCommand({ jobId: n }))],
  ['AcknowledgeJob', (h, n, m) => h.codePipeline.send(new AcknowledgeJobCommand({ jobId: n, nonce: m }))],
]);

/** A Fargate task definition of family `family` with one container `container` on port 8080. */
function taskDefinition(family: string, container: string): RegisterTaskDefinitionCommandInput {
  return {
    family,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      { name: container, image: 'registry/web:1', portMappings: [{ containerPort: 8080 }] },
    ],
  };
}

/** A CodeDeploy-controlled Fargate service running the latest revision of `family`. */
function service(cluster: string, serviceName: string, family: string): CreateServiceCommandInput {
  return {
    cluster,
    serviceName,
    taskDefinition: family,
    desiredCount: 1,
    launchType: 'FARGATE',
    networkConfiguration: NETWORK,
    deploymentController: { type: 'CODE_DEPLOY' },
  };
}

/** A zip-packaged function (the local Lambda stores the package; nothing runs in these tests). */
function zipFunction(name: string): CreateFunctionCommandInput {
  return {
    FunctionName: name,
    Role: LAMBDA_ROLE,
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Code: { ZipFile: EMPTY_ZIP },
  };
}

const LAMBDA = operations('Lambda', [
  [
    'CreateFunction',
    (h, n, m) =>
      h.lambda.send(new CreateFunctionCommand({ ...zipFunction(n), Environment: { Variables: { [m]: n } } })),
  ],
  ['GetFunction', (h, n) => h.lambda.send(new GetFunctionCommand({ FunctionName: n }))],
  [
    'GetFunctionConfiguration',
    (h, n, m) => h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: n, Qualifier: m })),
  ],
  ['ListFunctions', (h) => h.lambda.send(new ListFunctionsCommand({}))],
  [
    'UpdateFunctionCode',
    (h, n) => h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: n, ZipFile: EMPTY_ZIP })),
  ],
  ['PublishVersion', (h, n) => h.lambda.send(new PublishVersionCommand({ FunctionName: n }))],
  ['ListVersionsByFunction', (h, n) => h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: n }))],
  [
    'CreateAlias',
    (h, n, m) =>
      h.lambda.send(new CreateAliasCommand({ FunctionName: n, Name: m, FunctionVersion: '$LATEST' })),
  ],
  ['GetAlias', (h, n, m) => h.lambda.send(new GetAliasCommand({ FunctionName: n, Name: m }))],
  [
    'UpdateAlias',
    (h, n, m) =>
      h.lambda.send(
        new UpdateAliasCommand({
          FunctionName: n,
          Name: m,
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { [n]: 0.1 } },
        }),
      ),
  ],
  ['ListAliases', (h, n) => h.lambda.send(new ListAliasesCommand({ FunctionName: n }))],
  [
    'Invoke',
    (h, n, m) =>
      h.lambda.send(new InvokeCommand({ FunctionName: n, Qualifier: m, InvocationType: 'DryRun' })),
  ],
]);

const ECS = operations('ECS', [
  ['CreateCluster', (h, n) => h.ecs.send(new CreateClusterCommand({ clusterName: n }))],
  ['DescribeClusters', (h, n, m) => h.ecs.send(new DescribeClustersCommand({ clusters: [n, m] }))],
  [
    'RegisterTaskDefinition',
    (h, n, m) => h.ecs.send(new RegisterTaskDefinitionCommand(taskDefinition(n, m))),
  ],
  ['DescribeTaskDefinition', (h, n) => h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: n }))],
  ['CreateService', (h, n, m) => h.ecs.send(new CreateServiceCommand(service(n, m, n)))],
  ['DescribeServices', (h, n, m) => h.ecs.send(new DescribeServicesCommand({ cluster: n, services: [m] }))],
]);

const OPERATIONS = [...CODEDEPLOY, ...CODEPIPELINE, ...LAMBDA, ...ECS];

/**
 * A server for the enclosing describe block (closed after it, even when a test fails), and the
 * shared prototypes as they were before it started.
 */
function serverForBlock(): { readonly h: Harness; readonly before: Map<string, unknown> } {
  let harness: Harness | undefined;
  let before = new Map<string, unknown>();
  beforeAll(async () => {
    before = prototypeSnapshot();
    harness = await startHarness({}, { maxAttempts: 1 });
  });
  afterAll(async () => {
    await harness?.close();
  });
  return {
    get h() {
      if (!harness) throw new Error('the server is not started yet');
      return harness;
    },
    get before() {
      return before;
    },
  };
}

describe('names that are JavaScript object keys', () => {
  const server = serverForBlock();

  it('every name-taking operation answers success or one of its own modelled exceptions', async () => {
    const { h } = server;
    const answered = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...OPERATIONS), name, name), { minLength: 1, maxLength: 12 }),
        async (calls) => {
          for (const [operation, n, m] of calls) {
            try {
              await operation.send(h, n, m);
              answered.add(`${operation.service}:${operation.name} ok`);
            } catch (error) {
              expectModelledException(operation.service, `${operation.name}(${n}, ${m})`, error);
            }
          }
          expectCleanPrototypes(server.before);
        },
      ),
      { numRuns: 150 },
    );
    // The property saw creations succeed, not only rejections.
    for (const created of [
      'CreateApplication',
      'CreateFunction',
      'CreateCluster',
      'CreateDeploymentConfig',
    ]) {
      expect([...answered]).toContainEqual(expect.stringContaining(`${created} ok`));
    }
  });

  it('operation names from X-Amz-Target are looked up as names, never as object members', async () => {
    const { h } = server;
    const services = [
      ['CodeDeploy_20141006.', 'codedeploy'],
      ['CodePipeline_20150709.', 'codepipeline'],
      ['AmazonEC2ContainerServiceV20141113.', 'ecs'],
    ] as const;
    for (const [prefix, signingName] of services) {
      for (const operation of PROTOTYPE_NAMES) {
        const answer = await sendBody(
          `${h.server.endpoint}/`,
          'POST',
          jsonHeaders(signingName, `${prefix}${operation}`),
          '{}',
        );
        expect(answer.status, `${prefix}${operation}`).toBe(400);
        expect(JSON.parse(answer.body), `${prefix}${operation}`).toEqual({
          __type: 'UnknownOperationException',
          message: `Unknown operation ${operation}`,
        });
      }
    }
    expectCleanPrototypes(server.before);
  });
});

describe('round trips of names that are JavaScript object keys', () => {
  const server = serverForBlock();
  afterEach(() => expectCleanPrototypes(server.before));

  it.each(PROTOTYPE_NAMES)('CodeDeploy: an application, group, config and instance named %s', async (n) => {
    const { h } = server;
    await h.codeDeploy.send(new CreateApplicationCommand({ applicationName: n }));
    expect(
      (await h.codeDeploy.send(new GetApplicationCommand({ applicationName: n }))).application,
    ).toMatchObject({ applicationName: n, computePlatform: 'Server' });
    expect((await h.codeDeploy.send(new ListApplicationsCommand({}))).applications).toContain(n);
    await h.codeDeploy.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: n,
        minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 },
      }),
    );
    await h.codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: n,
        deploymentGroupName: n,
        deploymentConfigName: n,
        serviceRoleArn: ROLE_ARN,
      }),
    );
    expect(
      (await h.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: n, deploymentGroupName: n })))
        .deploymentGroupInfo,
    ).toMatchObject({ applicationName: n, deploymentGroupName: n, deploymentConfigName: n });
    expect(
      (await h.codeDeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: n })))
        .deploymentConfigInfo,
    ).toMatchObject({
      deploymentConfigName: n,
      minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 },
    });
    await h.codeDeploy.send(
      new RegisterOnPremisesInstanceCommand({
        instanceName: n,
        iamUserArn: `arn:aws:iam::${ACCOUNT}:user/a`,
      }),
    );
    expect(
      (await h.codeDeploy.send(new GetOnPremisesInstanceCommand({ instanceName: n }))).instanceInfo,
    ).toMatchObject({
      instanceName: n,
    });
    await h.codeDeploy.send(new DeregisterOnPremisesInstanceCommand({ instanceName: n }));

    await h.codeDeploy.send(new DeleteApplicationCommand({ applicationName: n }));
    await h.codeDeploy.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: n }));
    expect(
      await rejectionOf(h.codeDeploy.send(new GetApplicationCommand({ applicationName: n }))),
    ).toBeInstanceOf(ApplicationDoesNotExistException);
    expect((await h.codeDeploy.send(new ListApplicationsCommand({}))).applications).not.toContain(n);
  });

  it.each(PROTOTYPE_NAMES)('CodePipeline: a custom action type and a pipeline named %s', async (n) => {
    const { h } = server;
    await h.codePipeline.send(
      new CreateCustomActionTypeCommand({
        category: 'Deploy',
        provider: n,
        version: '1',
        configurationProperties: [{ name: 'Target', required: true, key: true, secret: false }],
        inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
        outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
      }),
    );
    const declaration = pipeline(n, `${n}-deploy`);
    const deploy = declaration.stages?.[1]?.actions?.[0];
    if (deploy) deploy.configuration = { Target: n };
    await h.codePipeline.send(new CreatePipelineCommand({ pipeline: declaration }));
    expect((await h.codePipeline.send(new GetPipelineCommand({ name: n }))).pipeline).toMatchObject({
      name: n,
      stages: [{ name: n }, { name: `${n}-deploy`, actions: [{ configuration: { Target: n } }] }],
    });
    expect((await h.codePipeline.send(new ListPipelinesCommand({}))).pipelines?.map((p) => p.name)).toContain(
      n,
    );
    expect(
      (await h.codePipeline.send(new GetPipelineStateCommand({ name: n }))).stageStates?.[0]?.stageName,
    ).toBe(n);
  });

  it.each(PROTOTYPE_NAMES)('Lambda: a function and an alias named %s', async (n) => {
    const { h } = server;
    const alias = n === 'prototype' ? '__proto__' : 'prototype';
    await h.lambda.send(new CreateFunctionCommand(zipFunction(n)));
    expect(
      (await h.lambda.send(new GetFunctionCommand({ FunctionName: n }))).Configuration?.FunctionName,
    ).toBe(n);
    expect(
      (await h.lambda.send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName),
    ).toContain(n);
    await h.lambda.send(new PublishVersionCommand({ FunctionName: n }));
    await h.lambda.send(new CreateAliasCommand({ FunctionName: n, Name: alias, FunctionVersion: '1' }));
    expect(await h.lambda.send(new GetAliasCommand({ FunctionName: n, Name: alias }))).toMatchObject({
      Name: alias,
      FunctionVersion: '1',
    });
    expect(
      (await h.lambda.send(new ListAliasesCommand({ FunctionName: n }))).Aliases?.map((a) => a.Name),
    ).toEqual([alias]);
    expect(
      (await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: n }))).Versions?.map(
        (v) => v.Version,
      ),
    ).toEqual(['$LATEST', '1']);
  });

  it.each(PROTOTYPE_NAMES)('ECS: a cluster, task definition family and service named %s', async (n) => {
    const { h } = server;
    await h.ecs.send(new CreateClusterCommand({ clusterName: n }));
    await h.ecs.send(new RegisterTaskDefinitionCommand(taskDefinition(n, n)));
    await h.ecs.send(new CreateServiceCommand(service(n, n, n)));
    expect(
      (await h.ecs.send(new DescribeClustersCommand({ clusters: [n] }))).clusters?.[0]?.clusterName,
    ).toBe(n);
    expect(
      (await h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: n }))).taskDefinition,
    ).toMatchObject({
      family: n,
      revision: 1,
    });
    expect(
      (await h.ecs.send(new DescribeServicesCommand({ cluster: n, services: [n] }))).services?.[0],
    ).toMatchObject({
      serviceName: n,
      status: 'ACTIVE',
    });
  });
});

describe('a state dir holding names that are JavaScript object keys', () => {
  const dirs: string[] = [];
  const running: Harness[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((harness) => harness.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const start = async (stateDir: string) => {
    const harness = await startHarness({ stateDir }, { maxAttempts: 1 });
    running.push(harness);
    return harness;
  };

  it('reloads what the server saved under such names after a restart', async () => {
    const before = prototypeSnapshot();
    const stateDir = mkdtempSync(join(tmpdir(), 'local-prototype-names-'));
    dirs.push(stateDir);
    const first = await start(stateDir);
    for (const n of PROTOTYPE_NAMES) {
      await first.codeDeploy.send(new CreateApplicationCommand({ applicationName: n }));
      await first.lambda.send(new CreateFunctionCommand(zipFunction(n)));
      await first.ecs.send(new CreateClusterCommand({ clusterName: n }));
    }
    await first.close();
    running.splice(0);

    const second = await start(stateDir);
    expect((await second.codeDeploy.send(new ListApplicationsCommand({}))).applications).toEqual(
      [...PROTOTYPE_NAMES].sort(),
    );
    for (const n of PROTOTYPE_NAMES) {
      expect(
        (await second.codeDeploy.send(new GetApplicationCommand({ applicationName: n }))).application
          ?.applicationName,
      ).toBe(n);
      expect(
        (await second.lambda.send(new GetFunctionCommand({ FunctionName: n }))).Configuration?.FunctionName,
      ).toBe(n);
      expect(
        (await second.ecs.send(new DescribeClustersCommand({ clusters: [n] }))).clusters?.[0]?.clusterName,
      ).toBe(n);
    }
    // A name nobody created is still unknown, whatever Object.prototype holds.
    expect(
      await rejectionOf(
        second.codeDeploy.send(new GetApplicationCommand({ applicationName: 'propertyIsEnumerable' })),
      ),
    ).toBeInstanceOf(ApplicationDoesNotExistException);
    expectCleanPrototypes(before);
  });

  it("keeps a record named like the state file's date marker ($date) when it is alone in its table", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'local-prototype-names-'));
    dirs.push(stateDir);
    const first = await start(stateDir);
    await first.codeDeploy.send(new CreateApplicationCommand({ applicationName: '$date' }));
    await first.close();
    running.splice(0);
    const second = await start(stateDir);
    expect((await second.codeDeploy.send(new ListApplicationsCommand({}))).applications).toEqual(['$date']);
  });

  it('a saved file with "__proto__" keys neither pollutes a prototype nor invents records', async () => {
    const before = prototypeSnapshot();
    const stateDir = mkdtempSync(join(tmpdir(), 'local-prototype-names-'));
    dirs.push(stateDir);
    const first = await start(stateDir);
    await first.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'web' }));
    await first.close();
    running.splice(0);
    // Hand-edited as an attacker would: "__proto__" members where JSON.parse makes them own members.
    const file = join(stateDir, 'codedeploy-state.json');
    const state = JSON.parse(readFileSync(file, 'utf8'));
    const application = { applicationName: '__proto__', applicationId: 'id', computePlatform: 'Server' };
    state.PROTO = { polluted: 'yes' };
    state.applications.PROTO = { ...application, polluted: 'yes' };
    state.alarms.PROTO = 'ALARM';
    state.alarms.constructor = 'OK';
    state.ecs.lastRevision.PROTO = 7;
    writeFileSync(file, JSON.stringify(state).replaceAll('"PROTO"', '"__proto__"'));

    const second = await start(stateDir);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await second.codeDeploy.send(new ListApplicationsCommand({}))).applications).toEqual([
      '__proto__',
      'web',
    ]);
    // Only ApplicationInfo's members come back: the edited file's extra member is not answered.
    expect(
      (await second.codeDeploy.send(new GetApplicationCommand({ applicationName: '__proto__' }))).application,
    ).toEqual({ applicationName: '__proto__', applicationId: 'id', computePlatform: 'Server' });
    for (const absent of ['constructor', 'toString', 'polluted']) {
      expect(
        await rejectionOf(second.codeDeploy.send(new GetApplicationCommand({ applicationName: absent }))),
      ).toBeInstanceOf(ApplicationDoesNotExistException);
    }
    expect(Object.entries(second.server.compute.alarms())).toEqual([
      ['__proto__', 'ALARM'],
      ['constructor', 'OK'],
    ]);
    expectCleanPrototypes(before);
  });
});
