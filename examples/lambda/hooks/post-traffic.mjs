// AfterAllowTraffic hook: CodeDeploy calls it once the alias sends all traffic to the new version.
// It calls the alias, as users do, a few times; a failure here rolls the alias back to the version it
// had before.
import { healthCheck, runHook, shiftOf } from './lifecycle.mjs';

const ATTEMPTS = 3;

export async function handler(event) {
  return runHook(event, 'post-traffic check', async () => {
    const { functionName, alias } = await shiftOf(event.DeploymentId);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const check = await healthCheck(functionName, alias);
      if (!check.ok)
        return { ok: false, detail: `${functionName}:${alias} call ${attempt}: ${check.detail}` };
    }
    return { ok: true, detail: `${functionName}:${alias} answered ${ATTEMPTS} calls with statusCode 200` };
  });
}
