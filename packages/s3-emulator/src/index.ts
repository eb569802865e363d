export { type EmbeddedS3, sendS3Error, startEmbeddedS3 } from './s3-emulator.js';
