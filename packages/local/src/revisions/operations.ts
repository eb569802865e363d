import { createHash } from 'node:crypto';
import type {
  BatchGetApplicationRevisionsInput,
  BatchGetApplicationRevisionsOutput,
  GetApplicationRevisionInput,
  GetApplicationRevisionOutput,
  ListApplicationRevisionsInput,
  ListApplicationRevisionsOutput,
  RegisterApplicationRevisionInput,
  RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { requireApplication } from '../applications/index.js';
import { revisionKey } from '../deployments/index.js';
import { sameRevision } from '../engine/index.js';
import type { LocalState, RevisionRecord } from '../state/index.js';
import type { CodeDeployError } from '../wire/codedeploy-error.js';
import { codeDeployError } from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { pageOf } from '../wire/paging.js';

/** Description limit shared with deployments (CodeDeploy quotas). */
const DESCRIPTION_LIMIT = 256;

function invalidRevision(message: string): CodeDeployError {
  return codeDeployError('InvalidRevisionException', message);
}

/** RevisionRequired / InvalidRevision: the location must name one revision completely. */
function validRevision(revision: RevisionLocation | undefined): RevisionLocation {
  if (!revision) throw codeDeployError('RevisionRequiredException');
  switch (revision.revisionType) {
    case 'S3': {
      const s3 = revision.s3Location;
      if (!s3?.bucket) throw invalidRevision('No S3 bucket specified.');
      if (!s3.key) throw invalidRevision('No S3 key specified.');
      if (!s3.bundleType) throw invalidRevision('No bundle type specified.');
      return revision;
    }
    case 'GitHub':
      if (!revision.gitHubLocation?.repository) throw invalidRevision('No GitHub repository specified.');
      if (!revision.gitHubLocation.commitId) throw invalidRevision('No GitHub commit ID specified.');
      return revision;
    case 'String':
    case 'AppSpecContent': {
      const content = revision.revisionType === 'String' ? revision.string : revision.appSpecContent;
      if (!content?.content) throw invalidRevision('No AppSpec content specified.');
      const sha256 = createHash('sha256').update(content.content).digest('hex');
      if (content.sha256 && content.sha256.toLowerCase() !== sha256) {
        throw invalidRevision('The SHA256 hash does not match the AppSpec content.');
      }
      const located = { ...content, sha256 };
      return revision.revisionType === 'String'
        ? { revisionType: 'String', string: located }
        : { revisionType: 'AppSpecContent', appSpecContent: located };
    }
    default:
      throw invalidRevision('No revision type specified.');
  }
}

/** S3 and GitHub revisions key as deployments register them; AppSpec content keys by its sha256. */
function keyOf(applicationName: string, revision: RevisionLocation): string {
  const content = revision.string ?? revision.appSpecContent;
  const key = content ? `content:${content.sha256 ?? ''}` : revisionKey(revision);
  return `${applicationName}/${key}`;
}

function findRevision(
  state: LocalState,
  applicationName: string,
  revision: RevisionLocation,
): RevisionRecord | undefined {
  return Object.values(state.revisions).find(
    (record) => record.applicationName === applicationName && sameRevision(record.revision, revision),
  );
}

export function registerApplicationRevision(
  input: RegisterApplicationRevisionInput,
  context: OperationContext,
): Record<string, never> {
  const applicationName =
    requireApplication(context.store.state, input.applicationName).applicationName ?? '';
  if ((input.description ?? '').length > DESCRIPTION_LIMIT) {
    throw codeDeployError('DescriptionTooLongException');
  }
  const revision = validRevision(input.revision);
  context.store.update((state) => {
    const existing = findRevision(state, applicationName, revision);
    if (existing) {
      if (input.description !== undefined) existing.info.description = input.description;
      return;
    }
    state.revisions[keyOf(applicationName, revision)] = {
      applicationName,
      revision,
      info: {
        ...(input.description !== undefined ? { description: input.description } : {}),
        deploymentGroups: [],
        registerTime: context.now(),
      },
    };
  });
  return {};
}

export function getApplicationRevision(
  input: GetApplicationRevisionInput,
  context: OperationContext,
): GetApplicationRevisionOutput {
  const state = context.store.state;
  const applicationName = requireApplication(state, input.applicationName).applicationName ?? '';
  const revision = validRevision(input.revision);
  const record = findRevision(state, applicationName, revision);
  if (!record) {
    throw codeDeployError(
      'RevisionDoesNotExistException',
      `No application revision found for revision ${describe(revision)} of application ${applicationName}`,
    );
  }
  return {
    applicationName,
    revision: structuredClone(record.revision),
    revisionInfo: structuredClone(record.info),
  };
}

/** Known revisions come back; unknown ones are named in errorMessage. */
export function batchGetApplicationRevisions(
  input: BatchGetApplicationRevisionsInput,
  context: OperationContext,
): BatchGetApplicationRevisionsOutput {
  const state = context.store.state;
  const applicationName = requireApplication(state, input.applicationName).applicationName ?? '';
  const requested = input.revisions ?? [];
  if (requested.length === 0) validRevision(undefined);
  const missing: string[] = [];
  const revisions = requested.flatMap((location) => {
    const record = findRevision(state, applicationName, validRevision(location));
    if (!record) {
      missing.push(describe(location));
      return [];
    }
    return [
      {
        revisionLocation: structuredClone(record.revision),
        genericRevisionInfo: structuredClone(record.info),
      },
    ];
  });
  return {
    applicationName,
    revisions,
    ...(missing.length > 0
      ? { errorMessage: `No application revision found for: ${missing.join(', ')}` }
      : {}),
  };
}

/**
 * (sortBy, sortOrder and deployed values are the model's enums, checked before this handler runs.)
 * Filters by S3 bucket and key prefix and by whether a revision is some group's target revision
 * (`deployed`), then sorts by the chosen time (missing times first when ascending).
 */
export function listApplicationRevisions(
  input: ListApplicationRevisionsInput,
  context: OperationContext,
): ListApplicationRevisionsOutput {
  const state = context.store.state;
  const applicationName = requireApplication(state, input.applicationName).applicationName ?? '';
  if (input.s3KeyPrefix && !input.s3Bucket) {
    throw codeDeployError('BucketNameFilterRequiredException');
  }
  const sortBy = input.sortBy ?? 'registerTime';
  const direction = input.sortOrder === 'descending' ? -1 : 1;
  const deployed = input.deployed ?? 'ignore';
  const revisions = Object.values(state.revisions)
    .filter((record) => record.applicationName === applicationName)
    .filter((record) => {
      if (!input.s3Bucket) return true;
      const s3 = record.revision.s3Location;
      return s3?.bucket === input.s3Bucket && (s3.key ?? '').startsWith(input.s3KeyPrefix ?? '');
    })
    .filter((record) => {
      const isTarget = (record.info.deploymentGroups ?? []).length > 0;
      return deployed === 'ignore' || (deployed === 'include' ? isTarget : !isTarget);
    })
    .sort((a, b) => direction * ((a.info[sortBy]?.getTime() ?? 0) - (b.info[sortBy]?.getTime() ?? 0)))
    .map((record) => structuredClone(record.revision));
  const { items, nextToken } = pageOf(revisions, input.nextToken);
  return { revisions: items, ...(nextToken ? { nextToken } : {}) };
}

function describe(revision: RevisionLocation): string {
  if (revision.revisionType === 'S3') {
    const s3 = revision.s3Location;
    return `s3://${s3?.bucket ?? ''}/${s3?.key ?? ''}`;
  }
  if (revision.revisionType === 'GitHub') {
    return `${revision.gitHubLocation?.repository ?? ''}@${revision.gitHubLocation?.commitId ?? ''}`;
  }
  return `${revision.revisionType ?? 'unknown'} ${(revision.string ?? revision.appSpecContent)?.sha256 ?? ''}`;
}
