import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  AcknowledgeJobCommand,
  type ActionTypeId,
  CodePipelineClient,
  CreateCustomActionTypeCommand,
  type CreateCustomActionTypeInput,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  PollForJobsCommand,
  PutJobSuccessResultCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createBundle } from '@codedeploy-gate/core';
import { type Fleet, provisionFleet } from '@codedeploy-gate/local';
import { type RunningProcess, startProcess, until, writeRevision } from '@codedeploy-gate/test-support';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const WORKER = join(PACKAGE_DIR, 'dist/index.js');
/** The action type as users register it (action-type.json), and a "smoke test" stage after it. */
export const ACTION_TYPE = JSON.parse(
  readFileSync(join(PACKAGE_DIR, 'action-type.json'), 'utf8'),
) as CreateCustomActionTypeInput;
export const GATE: ActionTypeId = {
  category: 'Deploy',
  owner: 'Custom',
  provider: ACTION_TYPE.provider,
  version: ACTION_TYPE.version,
};
export const SMOKE: ActionTypeId = { category: 'Test', owner: 'Custom', provider: 'Smoke', version: '1' };
export const ARTIFACT_BUCKET = 'codepipeline-artifacts';
export const SOURCE_BUCKET = 'app-releases';
const ROLE = 'arn:aws:iam::111122223333:role/CodePipelineServiceRole';

export async function registerActionTypes(codePipeline: CodePipelineClient, s3: S3Client): Promise<void> {
  await codePipeline.send(new CreateCustomActionTypeCommand(ACTION_TYPE));
  await codePipeline.send(
    new CreateCustomActionTypeCommand({
      ...SMOKE,
      inputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
      outputArtifactDetails: { minimumCount: 0, maximumCount: 0 },
    }),
  );
  for (const Bucket of [ARTIFACT_BUCKET, SOURCE_BUCKET]) await s3.send(new CreateBucketCommand({ Bucket }));
}

/**
 * A fleet, a release zip in the source bucket (the revision, or the revision under `deploy/` when
 * `nested`), and a pipeline: Source (S3) → Deploy (our action) → Verify (the smoke stage).
 */
export async function newPipeline(
  clients: { codeDeploy: CodeDeployClient; codePipeline: CodePipelineClient; s3: S3Client },
  name: string,
  options: {
    spec?: Parameters<typeof writeRevision>[0];
    nested?: boolean;
    /** Extra files of a `nested` build output, by path (a .codedeployignore there shapes its zip). */
    artifactFiles?: Record<string, string>;
    configuration?: Record<string, string>;
    kmsKeyId?: string;
    /** Changes the revision folder before it is zipped (a hook of the test's own). */
    prepare?: (dir: string) => Promise<void>;
  } = {},
): Promise<{ fleet: Fleet; name: string }> {
  const fleet = await provisionFleet(
    { codeDeploy: clients.codeDeploy, s3: clients.s3 },
    { application: name, instances: 2 },
  );
  const revision = await writeRevision(options.spec ?? {});
  const work = await mkdtemp(join(tmpdir(), 'pipeline-source-'));
  try {
    await options.prepare?.(revision.dir);
    // The artifact is a build output; with `nested`, the revision is its deploy/ folder.
    let tree = revision.dir;
    if (options.nested) {
      tree = join(work, 'build');
      await cp(revision.dir, join(tree, 'deploy'), { recursive: true });
      await writeFile(join(tree, 'README.md'), 'build output\n');
      for (const [path, content] of Object.entries(options.artifactFiles ?? {}))
        await writeFile(join(tree, path), content);
    }
    await uploadRelease(clients.s3, `${name}/release.zip`, tree);
  } finally {
    await revision.cleanup();
    await rm(work, { recursive: true, force: true });
  }
  await createPipeline(clients.codePipeline, {
    name,
    configuration: {
      ApplicationName: fleet.application,
      DeploymentGroupName: fleet.deploymentGroup,
      ...options.configuration,
    },
    ...(options.kmsKeyId ? { kmsKeyId: options.kmsKeyId } : {}),
  });
  return { fleet, name };
}

/** A folder zipped (as a build would) into the source bucket under `key`. */
export async function uploadRelease(s3: S3Client, key: string, dir: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'pipeline-release-'));
  try {
    const zip = join(work, 'release.zip');
    await createBundle(dir, zip, { format: 'zip' });
    await s3.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, Body: readFileSync(zip) }));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Source (an S3 source action per artifact: `Release` from NAME/release.zip, and any `extraSources`,
 * e.g. an image's imageDetail.json) → Deploy (our action, all of them as input artifacts, Release
 * first) → Verify (the smoke stage).
 */
export async function createPipeline(
  codePipeline: CodePipelineClient,
  options: {
    name: string;
    configuration: Record<string, string>;
    extraSources?: Array<{ artifact: string; key: string }>;
    kmsKeyId?: string;
  },
): Promise<void> {
  const { name } = options;
  const sources = [{ artifact: 'Release', key: `${name}/release.zip` }, ...(options.extraSources ?? [])];
  await codePipeline.send(
    new CreatePipelineCommand({
      pipeline: {
        name,
        roleArn: ROLE,
        artifactStore: {
          type: 'S3',
          location: ARTIFACT_BUCKET,
          ...(options.kmsKeyId ? { encryptionKey: { id: options.kmsKeyId, type: 'KMS' } } : {}),
        },
        stages: [
          {
            name: 'Source',
            actions: sources.map((source) => ({
              name: source.artifact,
              actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
              configuration: {
                S3Bucket: SOURCE_BUCKET,
                S3ObjectKey: source.key,
                PollForSourceChanges: 'false',
              },
              outputArtifacts: [{ name: source.artifact }],
            })),
          },
          {
            name: 'Deploy',
            actions: [
              {
                name: 'Gate',
                actionTypeId: GATE,
                configuration: options.configuration,
                inputArtifacts: sources.map((source) => ({ name: source.artifact })),
              },
            ],
          },
          {
            name: 'Verify',
            actions: [{ name: 'Smoke', actionTypeId: SMOKE, inputArtifacts: [{ name: 'Release' }] }],
          },
        ],
      },
    }),
  );
}

export async function startExecution(codePipeline: CodePipelineClient, name: string): Promise<string> {
  const { pipelineExecutionId } = await codePipeline.send(new StartPipelineExecutionCommand({ name }));
  return pipelineExecutionId as string;
}

/** The state of a stage's action: status, summary, errorDetails... */
export async function actionState(codePipeline: CodePipelineClient, name: string, stage: string) {
  const { stageStates = [] } = await codePipeline.send(new GetPipelineStateCommand({ name }));
  return stageStates.find((s) => s.stageName === stage)?.actionStates?.[0]?.latestExecution;
}

/** Plays the smoke-test stage's worker: the next stage has run once its job appears; it passes it. */
export async function passSmokeJobs(codePipeline: CodePipelineClient): Promise<number> {
  const { jobs = [] } = await codePipeline.send(
    new PollForJobsCommand({ actionTypeId: SMOKE, maxBatchSize: 10 }),
  );
  for (const job of jobs) {
    await codePipeline.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: job.nonce }));
    await codePipeline.send(new PutJobSuccessResultCommand({ jobId: job.id }));
  }
  return jobs.length;
}

/** Waits for an execution to end, passing the smoke stage's jobs meanwhile; returns its status. */
export async function executionEnd(
  codePipeline: CodePipelineClient,
  name: string,
  id: string,
  timeoutMs = 60_000,
) {
  let smokeJobs = 0;
  const status = await until(
    `pipeline ${name} execution ${id} to end`,
    async () => {
      smokeJobs += await passSmokeJobs(codePipeline);
      const { pipelineExecution } = await codePipeline.send(
        new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: id }),
      );
      const s = pipelineExecution?.status;
      return s === 'Succeeded' || s === 'Failed' || s === 'Stopped' ? s : undefined;
    },
    timeoutMs,
  );
  return { status, smokeJobs };
}

export async function deploymentsOf(codeDeploy: CodeDeployClient, fleet: Fleet): Promise<string[]> {
  const { deployments = [] } = await codeDeploy.send(
    new ListDeploymentsCommand({
      applicationName: fleet.application,
      deploymentGroupName: fleet.deploymentGroup,
    }),
  );
  return deployments;
}

export interface WorkerProcess extends RunningProcess {
  lines(): Array<Record<string, unknown>>;
}

/** The bundled worker as a process, its JSON log lines readable while it runs. */
export function startWorker(
  env: Record<string, string>,
  stateDir: string,
  extra: string[] = [],
): WorkerProcess {
  const args = [
    WORKER,
    '--provider',
    GATE.provider as string,
    '--version',
    GATE.version as string,
    '--poll-interval',
    '100ms',
    '--state-dir',
    stateDir,
    ...extra,
  ];
  const running = startProcess(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env } });
  let out = '';
  running.child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  return {
    ...running,
    lines: () =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export function newCodePipelineClient(endpoint: string): CodePipelineClient {
  return new CodePipelineClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** What GetPipelineState showed for a stage's action, each change once, in order. */
export interface ActionView {
  status?: string | undefined;
  summary?: string | undefined;
  percentComplete?: number | undefined;
}

/**
 * Watches a stage's action as someone at the console would (GetPipelineState every 25 ms) and keeps
 * each change of its status, summary or percent complete; `stop()` returns them.
 */
export function observeAction(
  codePipeline: CodePipelineClient,
  name: string,
  stage: string,
): { stop(): Promise<ActionView[]> } {
  const views: ActionView[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const latest = await actionState(codePipeline, name, stage).catch(() => undefined);
      if (latest) {
        const view = {
          status: latest.status,
          summary: latest.summary,
          percentComplete: latest.percentComplete,
        };
        if (JSON.stringify(views.at(-1)) !== JSON.stringify(view)) views.push(view);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return views;
    },
  };
}
