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
} from './config.js';
