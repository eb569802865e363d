export { newArtifactCredentials } from './credentials.js';
export { artifactKey, randomString } from './keys.js';
