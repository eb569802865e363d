import type { CodeDeployClient, DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { hasAwsConsole } from '../aws/console-link.js';
import { ExitCode } from '../errors/index.js';
import { buildDeploymentReport } from '../report/build.js';
import { ReportMasking } from '../report/masking.js';
import {
  type DeploymentReport,
  type GateAction,
  type GateReport,
  REPORT_SCHEMA,
  type Verdict,
} from '../report/model.js';
import type { SecretMasker } from '../secrets/index.js';
import { summarize } from './gate.js';
import { getDeployment, listTargets, TERMINAL_STATUSES } from './reads.js';
import { TrafficRoutingLookup } from './traffic-routing.js';
import { newWatchStats } from './watch.js';

/** What one look at a deployment found: still going, or ended with the gate's verdict. */
export type DeploymentLook =
  | { state: 'running'; info: DeploymentInfo; deployment: DeploymentReport }
  | { state: 'ended'; info: DeploymentInfo; report: GateReport };

export interface LookOptions {
  /** For console links. */
  region: string;
  signal?: AbortSignal | undefined;
  /** What was done before (created, stopped on timeout...), to appear in the report. */
  actions?: GateAction[] | undefined;
  /** Masks credentials in the report's text; default `secretMasker(process.env)`. */
  masker?: SecretMasker | undefined;
}

/**
 * One look at a deployment, for a front end that must not hold a process while it runs (the
 * CodePipeline worker answers each job with a single look and a continuation token). A running
 * deployment costs one GetDeployment (a running Lambda or ECS deployment also its one target, so the
 * look shows how far traffic has shifted); an ended one also its targets and its rollback, so the
 * verdict carries the same evidence as `gateDeployment`'s.
 */
export async function lookAtDeployment(
  client: CodeDeployClient,
  deploymentId: string,
  options: LookOptions,
): Promise<DeploymentLook> {
  const { region, signal } = options;
  const info = await getDeployment(client, deploymentId, { signal });
  const routing = new TrafficRoutingLookup(client, signal);
  const masking = new ReportMasking(options.masker);
  const awsConsole = await hasAwsConsole(client);
  if (!TERMINAL_STATUSES.has(info.status ?? '')) {
    const shifting = info.computePlatform === 'Lambda' || info.computePlatform === 'ECS';
    if (!shifting)
      return {
        state: 'running',
        info,
        deployment: buildDeploymentReport(info, [], region, { masking, awsConsole }),
      };
    const targets = await listTargets(client, deploymentId, { signal });
    const trafficRouting = await routing.of(info);
    return {
      state: 'running',
      info,
      deployment: buildDeploymentReport(info, targets, region, { trafficRouting, masking, awsConsole }),
    };
  }
  const targets = await listTargets(client, deploymentId, { signal });
  const verdict: Verdict =
    info.status === 'Succeeded' ? 'succeeded' : info.status === 'Stopped' ? 'stopped' : 'failed';
  const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
  let rollback: DeploymentReport | undefined;
  if (rollbackId) {
    const rollbackInfo = await getDeployment(client, rollbackId, { signal });
    rollback = buildDeploymentReport(
      rollbackInfo,
      await listTargets(client, rollbackId, { signal }),
      region,
      { trafficRouting: await routing.of(rollbackInfo), masking, awsConsole },
    );
  }
  const deployment = buildDeploymentReport(info, targets, region, {
    trafficRouting: await routing.of(info),
    masking,
    awsConsole,
  });
  const actions = (options.actions ?? []).map((action) => masking.action(action));
  const report: GateReport = {
    schema: REPORT_SCHEMA,
    verdict,
    exitCode: verdict === 'succeeded' ? ExitCode.Success : ExitCode.DeploymentFailed,
    summary: '',
    region,
    generatedAt: new Date().toISOString(),
    deployment,
    ...(rollback ? { rollback } : {}),
    actions,
    watch: newWatchStats(),
    maskedValues: masking.count,
  };
  report.summary = summarize(report);
  return { state: 'ended', info, report };
}
