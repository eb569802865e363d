import type {
  AcknowledgeJobInput,
  AcknowledgeJobOutput,
  ActionType,
  FailureType,
  GetJobDetailsInput,
  GetJobDetailsOutput,
  PollForJobsInput,
  PollForJobsOutput,
  PutJobFailureResultInput,
  PutJobSuccessResultInput,
} from '@aws-sdk/client-codepipeline';
import type { JobRecord } from '../../state/index.js';
import { requireCustomActionType } from '../action-types/index.js';
import type { CodePipelineContext } from '../context.js';
import {
  CodePipelineError,
  constraintViolation,
  enumValue,
  optionalInteger,
  optionalString,
  requiredString,
  UUID_RULE,
} from '../errors.js';

const FAILURE_TYPES: readonly FailureType[] = [
  'JobFailed',
  'ConfigurationError',
  'PermissionError',
  'RevisionOutOfSync',
  'RevisionUnavailable',
  'SystemUnavailable',
];
/** "maximum size limit of 122880 bytes for all output variables combined for a particular action". */
const OUTPUT_VARIABLES_LIMIT = 122_880;

/** PollForJobs: Queued jobs of a registered custom action type (never long-polls: empty when none). */
export function pollForJobs(input: PollForJobsInput, context: CodePipelineContext): PollForJobsOutput {
  const type = requireCustomActionType(context.store.state, input.actionTypeId);
  const maxBatchSize = optionalInteger(input.maxBatchSize, 'maxBatchSize', 1) ?? 1;
  const matches = queryMatcher(type, input.queryParam);
  return { jobs: context.jobs.poll(type.id!, maxBatchSize, matches) };
}

export function acknowledgeJob(
  input: AcknowledgeJobInput,
  context: CodePipelineContext,
): AcknowledgeJobOutput {
  const jobId = requiredString(input.jobId, 'jobId', UUID_RULE);
  const nonce = requiredString(input.nonce, 'nonce', { max: 50 });
  return { status: context.jobs.acknowledge(jobId, nonce) };
}

export function getJobDetails(input: GetJobDetailsInput, context: CodePipelineContext): GetJobDetailsOutput {
  const jobId = requiredString(input.jobId, 'jobId', UUID_RULE);
  return { jobDetails: context.jobs.details(jobId) };
}

/**
 * PutJobSuccessResult: with a continuation token the action goes on with a follow-up job, without one
 * it has succeeded. outputVariables belong to the final report only.
 */
export function putJobSuccessResult(
  input: PutJobSuccessResultInput,
  context: CodePipelineContext,
): Record<string, never> {
  const jobId = requiredString(input.jobId, 'jobId', UUID_RULE);
  const continuationToken = optionalString(input.continuationToken, 'continuationToken', { max: 2048 });
  const details = input.executionDetails;
  const executionDetails = details && {
    summary: optionalString(details.summary, 'executionDetails.summary', { max: 2048 }),
    externalExecutionId: optionalString(details.externalExecutionId, 'executionDetails.externalExecutionId', {
      max: 1500,
    }),
    percentComplete: optionalInteger(details.percentComplete, 'executionDetails.percentComplete', 0, 100),
  };
  const revision = input.currentRevision;
  const currentRevision = revision && {
    revision: requiredString(revision.revision, 'currentRevision.revision', { max: 1500 }),
    changeIdentifier: requiredString(revision.changeIdentifier, 'currentRevision.changeIdentifier', {
      max: 100,
    }),
    created: revision.created,
    revisionSummary: optionalString(revision.revisionSummary, 'currentRevision.revisionSummary', {
      max: 2048,
    }),
  };
  const outputVariables = validOutputVariables(input.outputVariables);
  if (outputVariables !== undefined && continuationToken !== undefined) {
    throw new CodePipelineError(
      'ValidationException',
      'outputVariables can be included only when there is no continuation token on the request',
    );
  }
  context.jobs.succeed(jobId, {
    jobId,
    continuationToken,
    executionDetails,
    currentRevision,
    outputVariables,
  });
  return {};
}

export function putJobFailureResult(
  input: PutJobFailureResultInput,
  context: CodePipelineContext,
): Record<string, never> {
  const jobId = requiredString(input.jobId, 'jobId', UUID_RULE);
  const details = input.failureDetails;
  if (!details) throw constraintViolation(details, 'failureDetails', 'Member must not be null');
  context.jobs.fail(jobId, {
    type: enumValue(details.type, 'failureDetails.type', FAILURE_TYPES),
    message: requiredString(details.message, 'failureDetails.message', { max: 5000 }),
    externalExecutionId: optionalString(details.externalExecutionId, 'failureDetails.externalExecutionId', {
      max: 1500,
    }),
  });
  return {};
}

/**
 * queryParam: for an action type with a queryable property the poller names that property and gets
 * only jobs whose configuration has that value; for one without, it must be absent or empty.
 */
function queryMatcher(
  type: ActionType,
  queryParam: Record<string, string> | undefined,
): (job: JobRecord) => boolean {
  const entries = Object.entries(queryParam ?? {});
  const queryable = type.actionConfigurationProperties?.find((property) => property.queryable);
  if (!queryable) {
    if (entries.length > 0) {
      throw new CodePipelineError(
        'ValidationException',
        'queryParam must be null or an empty map for an action type with no queryable property',
      );
    }
    return () => true;
  }
  const [entry, ...more] = entries;
  if (!entry || more.length > 0 || entry[0] !== queryable.name) {
    throw new CodePipelineError(
      'ValidationException',
      `queryParam must hold exactly the queryable property '${queryable.name}' of this action type`,
    );
  }
  const value = requiredString(entry[1], `queryParam.${entry[0]}`, { max: 50, pattern: '[a-zA-Z0-9_-]+' });
  return (job) => job.data.actionConfiguration?.configuration?.[entry[0]] === value;
}

function validOutputVariables(
  variables: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (variables === undefined || variables === null) return undefined;
  let size = 0;
  for (const [key, value] of Object.entries(variables)) {
    requiredString(key, 'outputVariables.key', { pattern: '[A-Za-z0-9@\\-_]+' });
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (size > OUTPUT_VARIABLES_LIMIT) {
    throw new CodePipelineError(
      'OutputVariablesSizeExceededException',
      'Exceeded the total size limit for all variables in the pipeline.',
    );
  }
  return { ...variables };
}
