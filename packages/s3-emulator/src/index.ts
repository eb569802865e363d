export { type EmbeddedS3, startEmbeddedS3 } from './s3-emulator.js';
export { sendS3Error } from './xml-response.js';
