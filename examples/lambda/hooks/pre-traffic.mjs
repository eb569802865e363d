// BeforeAllowTraffic hook: CodeDeploy calls it once the new version is published and before the
// alias sends it any traffic. It calls the new version directly: a version that fails here never
// sees a user.
import { healthCheck, runHook, shiftOf } from './lifecycle.mjs';

export async function handler(event) {
  return runHook(event, 'pre-traffic check', async () => {
    const { functionName, targetVersion } = await shiftOf(event.DeploymentId);
    const check = await healthCheck(functionName, targetVersion);
    return { ok: check.ok, detail: `${functionName} version ${targetVersion}: ${check.detail}` };
  });
}
