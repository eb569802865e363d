// The entry ncc bundles into dist/codedeploy-gate.mjs: the whole CLI as the process, in one file.
import { runAsProcess } from '@codedeploy-gate/cli';

// Core loads its S3, Lambda and ECS support on demand (dynamic imports, so other front ends start
// faster); ncc would emit what only a dynamic import reaches as chunk files beside the bundle. Naming
// it here keeps it in the one file a Jenkins agent gets.
export {
  buildDeploymentPlan,
  createEcsClient,
  createLambdaClient,
  createS3Client,
  ecsRevision,
  lambdaRevision,
} from '@codedeploy-gate/core';
// Likewise the proxy agents, which core imports only when HTTPS_PROXY / HTTP_PROXY is set.
export { proxyAgents } from '@codedeploy-gate/core/proxy-agent';

runAsProcess(process.argv.slice(2));
