export { createS3Client } from '../aws/s3-client.js';
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
  parseS3Url,
  type S3Url,
} from './url.js';
