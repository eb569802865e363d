import { randomBytes } from 'node:crypto';
import type { AWSSessionCredentials } from '@aws-sdk/client-codepipeline';
import { randomString } from './keys.js';

const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Temporary credentials for the artifact store, shaped like STS session credentials (`ASIA…` key id,
 * 40-character secret, a session token). Fresh on every PollForJobs and GetJobDetails; the local S3
 * accepts any signer, so they work as given.
 */
export function newArtifactCredentials(): AWSSessionCredentials {
  return {
    accessKeyId: `ASIA${randomString(16, UPPER_ALPHANUMERIC)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
  };
}
