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
export { createEcsClient } from './ecs-client.js';
export { createLambdaClient } from './lambda-client.js';
export { withAwsProfile } from './profile.js';
export { createS3Client } from './s3-client.js';
