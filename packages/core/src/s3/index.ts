export { createS3Client } from '../aws/s3-client.js';
export {
  FINGERPRINT_METADATA_KEY,
  type FingerprintLocation,
  type FoundBundle,
  findBundleByFingerprint,
  recordFingerprint,
} from './fingerprint-pointer.js';
export {
  DEFAULT_PART_SIZE,
  DEFAULT_QUEUE_SIZE,
  findSameBundle,
  MIN_PART_SIZE,
  SHA256_METADATA_KEY,
  type UploadBundleInput,
  type UploadProgress,
  type UploadResult,
  uploadBundle,
} from './upload.js';
export {
  type BundleExtension,
  bucketNameProblem,
  contentAddressedKey,
  fingerprintKey,
  parseS3Url,
  type S3Url,
} from './url.js';
