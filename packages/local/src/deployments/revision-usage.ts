import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import { sameRevision } from '../engine/index.js';
import type { LocalState } from '../state/index.js';

/**
 * A deployment registers its revision if the application does not know it yet (the service describes
 * such revisions as "Application revision registered by Deployment ID: d-…") and stamps its use.
 */
export function recordRevisionUse(
  state: LocalState,
  applicationName: string,
  revision: RevisionLocation,
  deploymentId: string,
  now: Date,
): void {
  const existing = Object.values(state.revisions).find(
    (record) => record.applicationName === applicationName && sameRevision(record.revision, revision),
  );
  if (existing) {
    existing.info.firstUsedTime ??= now;
    existing.info.lastUsedTime = now;
    return;
  }
  state.revisions[`${applicationName}/${revisionKey(revision)}`] = {
    applicationName,
    revision,
    info: {
      description: `Application revision registered by Deployment ID: ${deploymentId}`,
      deploymentGroups: [],
      firstUsedTime: now,
      lastUsedTime: now,
      registerTime: now,
    },
  };
}

/**
 * A stable key for a revision location (S3: bucket/key/bundle/version; GitHub: repository/commit;
 * AppSpecContent and String: the content's sha256). An S3 location's eTag is left out: it names no
 * object, it only asks the service to check the object (see sameRevision).
 */
export function revisionKey(revision: RevisionLocation): string {
  if (revision.revisionType === 'AppSpecContent' || revision.revisionType === 'String') {
    const inline = revision.appSpecContent ?? revision.string;
    return `content:${inline?.sha256 ?? ''}`;
  }
  if (revision.revisionType === 'GitHub') {
    return `github:${revision.gitHubLocation?.repository ?? ''}@${revision.gitHubLocation?.commitId ?? ''}`;
  }
  const s3 = revision.s3Location;
  return `s3:${s3?.bucket ?? ''}/${s3?.key ?? ''}#${s3?.bundleType ?? ''}#${s3?.version ?? ''}`;
}
