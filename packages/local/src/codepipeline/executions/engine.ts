import { randomUUID } from 'node:crypto';
import type {
  ActionDeclaration,
  ActionExecutionOutput,
  ActionExecutionResult,
  Artifact,
  ErrorDetails,
  ExecutionDetails,
  FailureDetails,
  PutJobSuccessResultInput,
} from '@aws-sdk/client-codepipeline';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type ActionExecutionRecord,
  type ArtifactRecord,
  type CodePipelineState,
  type JobRecord,
  nameTable,
  type PipelineExecutionRecord,
  type PipelineRecord,
  type Store,
} from '../../state/index.js';
import { fillUrlTemplate, findActionType } from '../action-types/index.js';
import { artifactKey } from '../artifacts/index.js';
import type { JobListener, JobQueue, JobTimings } from '../jobs/index.js';
import { type ActionStatusOf, nextStep } from './progress.js';
import { fetchS3Source, SourceUnavailableError } from './s3-source.js';

export interface ExecutionEngineOptions {
  store: Store;
  jobs: JobQueue;
  /** This server's own endpoint: the S3 source action copies objects through it. */
  endpoint: string;
  now: () => Date;
  log: (line: string) => void;
  region: string;
  timings: JobTimings;
}

/**
 * Runs pipeline executions: stages in order, actions by runOrder, every change persisted at once so a
 * reader of GetPipelineState or ListActionExecutions sees the progress. The S3 source action runs
 * here; custom actions become jobs in the JobQueue, and the engine hears back how each job ended.
 */
export class ExecutionEngine implements JobListener {
  /** Running S3 source actions by action execution id. */
  private readonly sources = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly s3: S3Client;
  private closed = false;

  constructor(private readonly options: ExecutionEngineOptions) {
    this.s3 = new S3Client({
      endpoint: options.endpoint,
      forcePathStyle: true,
      region: options.region,
      credentials: { accessKeyId: 'codepipeline', secretAccessKey: 'codepipeline' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    options.jobs.listen(this);
    this.recover();
  }

  private get state(): CodePipelineState {
    return this.options.store.state.codePipeline;
  }

  /** StartPipelineExecution: a new InProgress execution whose first actions start at once. */
  start(pipeline: PipelineRecord): string {
    const declaration = pipeline.declaration;
    const pipelineExecutionId = randomUUID();
    const now = this.options.now();
    this.options.store.update((state) => {
      state.codePipeline.executions[pipelineExecutionId] = {
        execution: {
          pipelineName: declaration.name,
          pipelineVersion: declaration.version,
          pipelineExecutionId,
          status: 'InProgress',
          artifactRevisions: [],
          trigger: { triggerType: 'StartPipelineExecution' },
          executionMode: declaration.executionMode,
          executionType: 'STANDARD',
        },
        startTime: now,
        lastUpdateTime: now,
        sourceRevisions: [],
        artifacts: nameTable(),
      };
    });
    this.options.log(`pipeline ${declaration.name}: execution ${pipelineExecutionId} InProgress`);
    this.advance(pipelineExecutionId);
    return pipelineExecutionId;
  }

  /** The worker reported success: record its details, then go on with a follow-up job or finish. */
  succeeded(job: JobRecord, result: PutJobSuccessResultInput): void {
    const found = this.actionOf(job);
    if (!found) return;
    const { execution, action } = found;
    const token = result.continuationToken;
    this.options.store.update(() => {
      this.recordReport(action, result.executionDetails);
      if (token !== undefined) return;
      const revision = result.currentRevision;
      if (revision) {
        this.recordRevision(execution, action, {
          revisionId: revision.revision ?? '',
          revisionChangeId: revision.changeIdentifier ?? '',
          created: revision.created,
          summary: revision.revisionSummary,
        });
      }
      outputOf(action).outputVariables = result.outputVariables ?? {};
      this.produceOutputs(execution, action, revision?.revision);
      this.endAction(execution, action, 'Succeeded');
    });
    if (token !== undefined) {
      this.options.jobs.create(
        { ...structuredClone(job.data), continuationToken: token },
        this.options.timings.continuationDelayMs,
      );
      return;
    }
    this.advance(execution.execution.pipelineExecutionId ?? '');
  }

  /** PutJobFailureResult: the action fails with the worker's failure details. */
  failed(job: JobRecord, details: FailureDetails): void {
    this.fail(job, { code: details.type, message: details.message }, details.externalExecutionId);
  }

  /** Acknowledged, but no result in time: the job timed out and so does the action. */
  timedOut(job: JobRecord): void {
    const seconds = this.options.timings.jobTimeoutMs / 1000;
    this.fail(job, {
      code: 'JobFailed',
      message: `The job worker did not report a result in time: job ${job.id} was acknowledged, but neither PutJobSuccessResult nor PutJobFailureResult came within ${seconds} seconds, so the job timed out.`,
    });
  }

  /** Stops the running S3 source actions (they run again after a restart with the same state dir). */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.sources.values()];
    for (const source of running) source.controller.abort();
    await Promise.allSettled(running.map((source) => source.done));
    this.s3.destroy();
  }

  /** Starts what the execution runs next, or ends it; a no-op once it has ended. */
  private advance(pipelineExecutionId: string): void {
    const execution = this.state.executions[pipelineExecutionId];
    if (execution?.execution.status !== 'InProgress' || this.closed) return;
    const pipeline = this.state.pipelines[execution.execution.pipelineName ?? ''];
    if (!pipeline) return;
    const step = nextStep(pipeline.declaration.stages ?? [], this.statusOf(pipelineExecutionId));
    if (step.kind === 'wait') return;
    if (step.kind === 'finish') {
      this.options.store.update(() => {
        execution.execution.status = step.status;
        execution.lastUpdateTime = this.options.now();
      });
      this.options.log(
        `pipeline ${pipeline.declaration.name}: execution ${pipelineExecutionId} ${step.status}`,
      );
      return;
    }
    for (const action of step.actions) this.startAction(pipeline, execution, step.stage.name ?? '', action);
  }

  private startAction(
    pipeline: PipelineRecord,
    execution: PipelineExecutionRecord,
    stageName: string,
    declaration: ActionDeclaration,
  ): void {
    const store = pipeline.declaration.artifactStore;
    const pipelineName = pipeline.declaration.name ?? '';
    const actionExecutionId = randomUUID();
    const now = this.options.now();
    const inputs = (declaration.inputArtifacts ?? []).flatMap((input) => {
      const artifact = execution.artifacts[input.name ?? ''];
      return artifact ? [artifact] : [];
    });
    const action: ActionExecutionRecord = {
      detail: {
        pipelineExecutionId: execution.execution.pipelineExecutionId,
        actionExecutionId,
        pipelineVersion: pipeline.declaration.version,
        stageName,
        actionName: declaration.name,
        startTime: now,
        lastUpdateTime: now,
        status: 'InProgress',
        input: {
          actionTypeId: structuredClone(declaration.actionTypeId),
          configuration: { ...declaration.configuration },
          resolvedConfiguration: { ...declaration.configuration },
          region: declaration.region ?? this.options.region,
          inputArtifacts: inputs.map((artifact) => ({
            name: artifact.name,
            s3location: { bucket: artifact.bucket, key: artifact.key },
          })),
          ...(declaration.roleArn ? { roleArn: declaration.roleArn } : {}),
          ...(declaration.namespace ? { namespace: declaration.namespace } : {}),
        },
      },
      lastStatusChange: now,
      outputArtifacts: (declaration.outputArtifacts ?? []).map((output) => ({
        name: output.name ?? '',
        bucket: store?.location ?? '',
        key: artifactKey(pipelineName, output.name ?? ''),
      })),
    };
    this.options.store.update((state) => {
      state.codePipeline.actionExecutions[actionExecutionId] = action;
      execution.lastUpdateTime = now;
    });
    this.options.log(`pipeline ${pipelineName}: ${stageName}/${declaration.name} InProgress`);
    if (declaration.actionTypeId?.owner === 'Custom') {
      this.options.jobs.create(
        {
          actionTypeId: structuredClone(declaration.actionTypeId),
          actionConfiguration: { configuration: { ...(declaration.configuration ?? {}) } },
          pipelineContext: {
            pipelineName,
            stage: { name: stageName },
            action: { name: declaration.name, actionExecutionId },
            pipelineArn: pipeline.arn,
            pipelineExecutionId: execution.execution.pipelineExecutionId,
          },
          inputArtifacts: inputs.map(jobArtifact),
          outputArtifacts: action.outputArtifacts.map(jobArtifact),
          ...(store?.encryptionKey ? { encryptionKey: store.encryptionKey } : {}),
        },
        0,
      );
      return;
    }
    this.runSource(execution, action);
  }

  /** The S3 source action (the one built-in action type): copy the object, or fail the action. */
  private runSource(execution: PipelineExecutionRecord, action: ActionExecutionRecord): void {
    const configuration = action.detail.input?.configuration ?? {};
    const [output] = action.outputArtifacts;
    const id = action.detail.actionExecutionId ?? '';
    if (!output) return;
    const controller = new AbortController();
    const done = fetchS3Source(
      this.s3,
      { bucket: configuration.S3Bucket ?? '', key: configuration.S3ObjectKey ?? '' },
      output,
      controller.signal,
    )
      .then(
        (fetched) => {
          if (this.closed) return;
          this.options.store.update(() => {
            const summary = fetched.revisionSummary;
            action.summary = summary;
            const outputs = outputOf(action);
            outputs.executionResult = {
              externalExecutionId: fetched.revisionId,
              ...(summary ? { externalExecutionSummary: summary } : {}),
            };
            // The S3 source action's variables (namespace variables ETag and VersionId).
            outputs.outputVariables = {
              ETag: fetched.eTag,
              ...(fetched.revisionId !== fetched.eTag ? { VersionId: fetched.revisionId } : {}),
            };
            this.recordRevision(execution, action, {
              revisionId: fetched.revisionId,
              revisionChangeId: fetched.eTag,
              created: fetched.lastModified,
              summary,
            });
            this.produceOutputs(execution, action, fetched.revisionId);
            this.endAction(execution, action, 'Succeeded');
          });
        },
        (error: unknown) => {
          if (this.closed) return;
          const message =
            error instanceof SourceUnavailableError
              ? error.message
              : `Could not copy the source object to the artifact store: ${String(error)}`;
          this.options.store.update(() =>
            this.endAction(execution, action, 'Failed', { code: 'JobFailed', message }),
          );
        },
      )
      .then(() => this.advance(execution.execution.pipelineExecutionId ?? ''))
      .catch((error: unknown) => this.options.log(`S3 source ${id}: ${String(error)}`))
      .finally(() => this.sources.delete(id));
    this.sources.set(id, { controller, done });
  }

  private fail(job: JobRecord, error: ErrorDetails, externalExecutionId?: string): void {
    const found = this.actionOf(job);
    if (!found) return;
    const { execution, action } = found;
    this.options.store.update(() => {
      if (externalExecutionId !== undefined) this.recordReport(action, { externalExecutionId });
      this.endAction(execution, action, 'Failed', error);
    });
    this.advance(execution.execution.pipelineExecutionId ?? '');
  }

  /** executionDetails from a job worker: the summary, progress and external id (and so the URL) shown. */
  private recordReport(action: ActionExecutionRecord, details: ExecutionDetails | undefined): void {
    const result = resultOf(action);
    if (details?.summary !== undefined) {
      action.summary = details.summary;
      result.externalExecutionSummary = details.summary;
    }
    if (details?.percentComplete !== undefined) action.percentComplete = details.percentComplete;
    if (details?.externalExecutionId !== undefined) {
      const typeId = action.detail.input?.actionTypeId;
      const type = typeId && findActionType(this.options.store.state, typeId);
      result.externalExecutionId = details.externalExecutionId;
      result.externalExecutionUrl = fillUrlTemplate(type?.settings?.executionUrlTemplate, {
        configuration: action.detail.input?.configuration,
        properties: type?.actionConfigurationProperties,
        externalExecutionId: details.externalExecutionId,
      });
    }
    action.detail.lastUpdateTime = this.options.now();
  }

  /**
   * The revision an action reported (the S3 source's object, or a worker's currentRevision): the
   * action's current revision and, for source actions, the execution's artifact and source revisions.
   */
  private recordRevision(
    execution: PipelineExecutionRecord,
    action: ActionExecutionRecord,
    revision: {
      revisionId: string;
      revisionChangeId: string;
      created: Date | undefined;
      summary?: string | undefined;
    },
  ): void {
    const { revisionId, revisionChangeId, created, summary } = revision;
    action.currentRevision = { revisionId, revisionChangeId, created: created ?? this.options.now() };
    if (action.detail.input?.actionTypeId?.category !== 'Source') return;
    for (const artifact of action.outputArtifacts) {
      execution.execution.artifactRevisions?.push({
        name: artifact.name,
        revisionId,
        revisionChangeIdentifier: revisionChangeId,
        created,
        ...(summary ? { revisionSummary: summary } : {}),
      });
    }
    execution.sourceRevisions.push({
      actionName: action.detail.actionName,
      revisionId,
      ...(summary ? { revisionSummary: summary } : {}),
    });
  }

  /** A succeeded action's output artifacts become available to the actions after it. */
  private produceOutputs(
    execution: PipelineExecutionRecord,
    action: ActionExecutionRecord,
    revision?: string,
  ): void {
    for (const artifact of action.outputArtifacts) {
      execution.artifacts[artifact.name] = { ...artifact, ...(revision ? { revision } : {}) };
    }
    outputOf(action).outputArtifacts = action.outputArtifacts.map((artifact) => ({
      name: artifact.name,
      s3location: { bucket: artifact.bucket, key: artifact.key },
    }));
  }

  private endAction(
    execution: PipelineExecutionRecord,
    action: ActionExecutionRecord,
    status: 'Succeeded' | 'Failed',
    error?: ErrorDetails,
  ): void {
    const now = this.options.now();
    action.detail.status = status;
    action.detail.lastUpdateTime = now;
    action.lastStatusChange = now;
    if (error) resultOf(action).errorDetails = error;
    execution.lastUpdateTime = now;
    this.options.log(
      `pipeline ${execution.execution.pipelineName}: ${action.detail.stageName}/${action.detail.actionName} ${status}`,
    );
  }

  /** The action a job belongs to, while it is still running (a late report changes nothing). */
  private actionOf(
    job: JobRecord,
  ): { execution: PipelineExecutionRecord; action: ActionExecutionRecord } | undefined {
    const context = job.data.pipelineContext;
    const action = this.state.actionExecutions[context?.action?.actionExecutionId ?? ''];
    const execution = this.state.executions[context?.pipelineExecutionId ?? ''];
    if (!action || !execution || action.detail.status !== 'InProgress') return undefined;
    return { execution, action };
  }

  /** The latest run of each action in one pipeline execution. */
  private statusOf(pipelineExecutionId: string): ActionStatusOf {
    const latest = new Map<string, ActionExecutionRecord>();
    for (const action of Object.values(this.state.actionExecutions)) {
      if (action.detail.pipelineExecutionId !== pipelineExecutionId) continue;
      latest.set(`${action.detail.stageName}/${action.detail.actionName}`, action);
    }
    return (stageName, actionName) => latest.get(`${stageName}/${actionName}`)?.detail.status;
  }

  /**
   * After a restart: S3 source actions that were copying copy again, and every running execution
   * moves on from where it stood. Jobs keep their own deadlines (JobQueue).
   */
  private recover(): void {
    for (const execution of Object.values(this.state.executions)) {
      if (execution.execution.status !== 'InProgress') continue;
      const id = execution.execution.pipelineExecutionId ?? '';
      for (const action of Object.values(this.state.actionExecutions)) {
        const running = action.detail.pipelineExecutionId === id && action.detail.status === 'InProgress';
        if (running && action.detail.input?.actionTypeId?.owner !== 'Custom')
          this.runSource(execution, action);
      }
      this.advance(id);
    }
  }
}

/** The action's output as ListActionExecutions shows it, created on first use. */
function outputOf(action: ActionExecutionRecord): ActionExecutionOutput {
  action.detail.output ??= {};
  return action.detail.output;
}

function resultOf(action: ActionExecutionRecord): ActionExecutionResult {
  const output = outputOf(action);
  output.executionResult ??= {};
  return output.executionResult;
}

function jobArtifact(artifact: ArtifactRecord): Artifact {
  return {
    name: artifact.name,
    ...(artifact.revision ? { revision: artifact.revision } : {}),
    location: { type: 'S3', s3Location: { bucketName: artifact.bucket, objectKey: artifact.key } },
  };
}
