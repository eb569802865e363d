export { awsClientConfig, createCodeDeployClient } from './clients.js';
export {
  type AwsClientOptions,
  type AwsService,
  type CustomEndpoint,
  describeEndpoint,
  EMULATOR_DEFAULT_REGION,
  resolveEndpoint,
  resolveMaxAttempts,
  resolveRegion,
  sharedConfigFiles,
} from './config.js';
export { hasAwsConsole, isAwsEndpointHost } from './console-link.js';
export { withAwsProfile } from './profile.js';
