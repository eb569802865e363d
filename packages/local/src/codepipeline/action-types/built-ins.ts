import type { ActionType } from '@aws-sdk/client-codepipeline';

/**
 * Amazon S3 as a source (`Source/AWS/S3/1`): copies `S3Bucket`/`S3ObjectKey` into the artifact store.
 * The entity URL is the one the service reports for it (aws-cli's get-pipeline-state example).
 */
export const S3_SOURCE: ActionType = {
  id: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
  settings: { entityUrlTemplate: 'https://console.aws.amazon.com/s3/home?#' },
  actionConfigurationProperties: [
    { name: 'S3Bucket', required: true, key: true, secret: false, queryable: false },
    { name: 'S3ObjectKey', required: true, key: true, secret: false, queryable: false },
    { name: 'PollForSourceChanges', required: false, key: false, secret: false, queryable: false },
  ],
  inputArtifactDetails: { minimumCount: 0, maximumCount: 0 },
  outputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
};

/** The AWS-owned action types the local CodePipeline runs itself. */
export const BUILT_IN_ACTION_TYPES: readonly ActionType[] = [S3_SOURCE];
