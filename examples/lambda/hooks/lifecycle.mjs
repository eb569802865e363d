// What both hook functions share: find the version the deployment shifts to, check it, and tell
// CodeDeploy the outcome. A hook function must always report: without a report CodeDeploy waits for
// the hook's timeout (one hour) and then fails the deployment.
import {
  CodeDeployClient,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

// Region, credentials and (for a local CodeDeploy) AWS_ENDPOINT_URL come from the environment.
const codeDeploy = new CodeDeployClient({});
const lambda = new LambdaClient({});

/** The function, alias and target version the deployment shifts (a Lambda deployment has one target). */
export async function shiftOf(deploymentId) {
  const { targetIds = [] } = await codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId }));
  const { deploymentTarget } = await codeDeploy.send(
    new GetDeploymentTargetCommand({ deploymentId, targetId: targetIds[0] }),
  );
  const info = deploymentTarget?.lambdaTarget?.lambdaFunctionInfo;
  if (!info?.functionName || !info.targetVersion) {
    throw new Error(`deployment ${deploymentId} has no Lambda target to check`);
  }
  return { functionName: info.functionName, alias: info.functionAlias, targetVersion: info.targetVersion };
}

/** Invokes FUNCTION:QUALIFIER with a health request; healthy when it answers statusCode 200. */
export async function healthCheck(functionName, qualifier) {
  const { FunctionError, Payload } = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      Qualifier: qualifier,
      Payload: JSON.stringify({ path: '/health', httpMethod: 'GET' }),
    }),
  );
  const text = Buffer.from(Payload ?? []).toString('utf8');
  if (FunctionError) return { ok: false, detail: `${FunctionError} error: ${text}` };
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    return { ok: false, detail: `not a JSON answer: ${text}` };
  }
  const ok = answer?.statusCode === 200;
  return { ok, detail: `statusCode ${answer?.statusCode} ${answer?.body ?? ''}`.trim() };
}

/** PutLifecycleEventHookExecutionStatus: Succeeded lets the deployment go on, Failed rolls it back. */
export async function report(event, ok) {
  await codeDeploy.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: event.DeploymentId,
      lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
      status: ok ? 'Succeeded' : 'Failed',
    }),
  );
}

/** Runs `check`, reports its outcome (Failed when it throws) and returns it. */
export async function runHook(event, name, check) {
  let outcome;
  try {
    outcome = await check();
  } catch (error) {
    outcome = { ok: false, detail: `check failed: ${error?.message ?? error}` };
  }
  console.log(
    `${name} for deployment ${event.DeploymentId}: ${outcome.ok ? 'passed' : 'FAILED'}: ${outcome.detail}`,
  );
  await report(event, outcome.ok);
  return outcome;
}
