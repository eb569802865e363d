import type {
  ActionExecutionDetail,
  ActionRevision,
  ActionType,
  JobData,
  JobStatus,
  PipelineDeclaration,
  PipelineExecution,
  SourceRevision,
  Tag,
} from '@aws-sdk/client-codepipeline';
import { type NameTable, nameTable } from './name-table.js';

/** A custom action type (CreateCustomActionType); the built-in AWS ones live in code. */
export interface ActionTypeRecord {
  actionType: ActionType;
  tags: Tag[];
}

/** A pipeline as CreatePipeline stored it (defaults filled in, secrets unmasked). */
export interface PipelineRecord {
  declaration: PipelineDeclaration;
  arn: string;
  created: Date;
  updated: Date;
  tags: Tag[];
}

/** An artifact in the artifact store bucket. */
export interface ArtifactRecord {
  name: string;
  bucket: string;
  key: string;
  /** The source revision (S3 version id or ETag), or the revision a custom action reported. */
  revision?: string;
}

/** One run of a pipeline: its status and the artifacts its actions have produced so far. */
export interface PipelineExecutionRecord {
  execution: PipelineExecution;
  startTime: Date;
  lastUpdateTime: Date;
  /** The revisions the source actions fetched (ListPipelineExecutions' sourceRevisions). */
  sourceRevisions: SourceRevision[];
  /** Output artifacts produced so far, by artifact name. */
  artifacts: NameTable<ArtifactRecord>;
}

/**
 * One run of one action within a pipeline execution, shaped as ListActionExecutions reports it, plus
 * what GetPipelineState shows besides. A custom action keeps one record across all its jobs.
 */
export interface ActionExecutionRecord {
  detail: ActionExecutionDetail;
  /** When the status last changed (reports that keep the action InProgress do not count). */
  lastStatusChange: Date;
  /** Where the action's output artifacts go, assigned when it starts. */
  outputArtifacts: ArtifactRecord[];
  /** The latest executionDetails.summary / percentComplete the job worker reported. */
  summary?: string;
  percentComplete?: number;
  /** The revision a source action produced (ActionState.currentRevision). */
  currentRevision?: ActionRevision;
}

/**
 * A job handed to job workers for a custom action. `deadline` is when its current status ends on its
 * own: Created → Queued (continuation delay), Dispatched → Queued again (not acknowledged in time),
 * InProgress → TimedOut (no result in time). Artifact credentials are minted on every read.
 */
export interface JobRecord {
  id: string;
  status: JobStatus;
  /** The nonce the job was last handed out with; none while Created or Queued. */
  nonce?: string;
  deadline?: Date;
  createdAt: Date;
  data: Omit<JobData, 'artifactCredentials'>;
}

/** Everything the local CodePipeline knows. */
export interface CodePipelineState {
  /** Custom action types by `${category}/${owner}/${provider}/${version}`. */
  actionTypes: NameTable<ActionTypeRecord>;
  /** Pipelines by name. */
  pipelines: NameTable<PipelineRecord>;
  /** Pipeline executions by id, oldest first. */
  executions: NameTable<PipelineExecutionRecord>;
  /** Action executions by id, oldest first. */
  actionExecutions: NameTable<ActionExecutionRecord>;
  /** Jobs by id, oldest first, kept after they end (the history of every job of every action). */
  jobs: NameTable<JobRecord>;
}

export function emptyCodePipelineState(): CodePipelineState {
  return {
    actionTypes: nameTable(),
    pipelines: nameTable(),
    executions: nameTable(),
    actionExecutions: nameTable(),
    jobs: nameTable(),
  };
}
