import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CodeDeployClient,
  type ComputePlatform,
  type DeploymentConfigInfo,
  type DeploymentGroupInfo,
  GetDeploymentConfigCommand,
} from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { type AwsClientOptions, createCodeDeployClient, resolveRegion } from '../aws/index.js';
import { writeBundle } from '../bundle/index.js';
import { MissingTrafficContainerError } from '../ecs/task-definition.js';
import { wrapAwsError } from '../errors/index.js';
import {
  activeDeploymentOf,
  applicationPlatform,
  assertDeploymentConfig,
  assertSourceFits,
  autoRollbackOf,
  type DeployOptions,
  deploymentGroup,
} from '../gate/deploy.js';
import { checkLocally } from '../gate/local-checks.js';
import { getDeployment } from '../gate/reads.js';
import { type RevisionSource, s3RevisionLocation } from '../gate/revision-source.js';
import { MissingHookFunctionError } from '../lambda/lambda-calls.js';
import { DeniedReads, deniedFinding } from './access-denied.js';
import { appspecFacts, diffAppspecs } from './appspec-diff.js';
import { findBlockers } from './blockers.js';
import type { BundleListing } from './bundle-entries.js';
import { ecsChange } from './ecs-change.js';
import { diffEntries } from './file-diff.js';
import { lambdaChange } from './lambda-change.js';
import { describeLocation, listS3Bundle, type S3BundleListing } from './live-revision.js';
import {
  type DeploymentPlan,
  type LiveRevision,
  PLAN_SCHEMA,
  type PlanFinding,
  type PlannedRevision,
} from './model.js';
import { checkFolderRevision, listLocalBundle } from './revision-check.js';
import { planRollout } from './rollout.js';
import { safeguardsOf } from './safeguards.js';
import { groupTargets } from './targets.js';
import { describeSteps, trafficSteps } from './traffic-steps.js';

/** What `plan` takes: exactly the revision and target settings of `deploy`. */
export interface PlanOptions
  extends AwsClientOptions,
    Pick<
      DeployOptions,
      'application' | 'deploymentGroup' | 'source' | 'deploymentConfig' | 'queue' | 'autoRollback'
    > {
  signal?: AbortSignal | undefined;
  clients?:
    | { codeDeploy?: CodeDeployClient; s3?: S3Client; lambda?: LambdaClient; ecs?: ECSClient }
    | undefined;
  /** Progress for a front end: `reading the live revision s3://…`. */
  onCheck?: ((detail: string) => void) | undefined;
  clock?: { now(): number } | undefined;
}

/**
 * What `deploy` with the same options would change and how it would roll out, from read calls only:
 * nothing is uploaded, registered, published or created. The same local checks as `deploy` run first
 * (invalid input throws, exit 2); AWS failures throw wrapped (exit 4); what would stop the
 * deployment comes back as blocking findings (exit 1).
 */
export async function buildDeploymentPlan(options: PlanOptions): Promise<DeploymentPlan> {
  const { signal } = options;
  const check = options.onCheck ?? (() => {});
  const region = resolveRegion(options);
  // Every client's refused reads are noted, so one can be named as a finding instead of a failure.
  const denied = new DeniedReads();
  const codeDeploy = denied.watch(options.clients?.codeDeploy ?? createCodeDeployClient(options));
  let s3 = options.clients?.s3;
  const s3Client = async () => {
    s3 ??= (await import('../aws/s3-client.js')).createS3Client(options);
    return denied.watch(s3);
  };
  let lambda = options.clients?.lambda;
  let ecs = options.clients?.ecs;
  const lambdaClient = async () => {
    lambda ??= (await import('../aws/lambda-client.js')).createLambdaClient(options);
    return denied.watch(lambda);
  };
  const listings: BundleListing[] = [];
  let workDir: string | undefined;
  // What is known when a read is refused part-way: the plan so far, with the refusal as its finding.
  let platform: ComputePlatform = impliedPlatform(options.source);
  let group: DeploymentGroupInfo | undefined;
  let revision: PlannedRevision = { kind: options.source.kind, location: sourceLocation(options.source) };
  const findings: PlanFinding[] = [];
  try {
    const autoRollback = autoRollbackOf(options.autoRollback);
    const checked = await checkLocally(options);
    check(`checking application ${options.application}, group ${options.deploymentGroup}`);
    platform = (await applicationPlatform(codeDeploy, options.application, signal)) ?? 'Server';
    group = await deploymentGroup(codeDeploy, options.application, options.deploymentGroup, signal);
    assertSourceFits(options.source, platform);
    if (options.deploymentConfig)
      await assertDeploymentConfig(codeDeploy, options.deploymentConfig, platform, signal);
    const groupName = `${options.application}/${options.deploymentGroup}`;
    const activeDeploymentId = await activeDeploymentOf(codeDeploy, options, signal);
    let next: BundleListing | undefined;
    const source = options.source;
    if (source.kind === 'folder' && checked.folder) {
      workDir = await mkdtemp(join(tmpdir(), 'codedeploy-gate-plan-'));
      const format = source.format ?? 'zip';
      check(`packaging ${source.dir} as push would`);
      const bundle = await writeBundle(checked.folder.scan, join(workDir, `revision.${format}`), {
        format,
        ...(source.concurrency ? { concurrency: source.concurrency } : {}),
        ...(signal ? { signal } : {}),
      });
      revision = await checkFolderRevision(
        bundle,
        source.s3Location,
        options.application,
        await s3Client(),
        signal,
      );
      next = await listLocalBundle(bundle.file, format);
      listings.push(next);
    } else if (source.kind === 's3') {
      const location = s3RevisionLocation(source);
      revision = {
        kind: 's3',
        location: describeLocation({ s3Location: location }),
        ...(location.bundleType ? { bundleType: location.bundleType } : {}),
      };
      if (platform === 'Server') {
        const listed = await listS3Bundle(
          await s3Client(),
          { ...location, bucket: location.bucket ?? '', key: location.key ?? '' },
          signal,
        );
        listings.push(listed.listing);
        next = listed.listing;
        revision = { ...revision, size: listed.size, alreadyInS3: true };
      }
    } else {
      revision = { kind: source.kind, location: sourceLocation(source) };
    }
    let compute: DeploymentPlan['compute'];
    // With a deployment active the alias or service is mid-shift, and reading it would only say so.
    const readCompute = !activeDeploymentId || options.queue === true;
    try {
      if (source.kind === 'lambda' && readCompute) {
        compute = await lambdaChange(source, await lambdaClient(), signal, check);
      } else if (source.kind === 'ecs' && readCompute) {
        ecs = denied.watch(ecs ?? (await import('../aws/ecs-client.js')).createEcsClient(options));
        const hooks = Object.values(source.hooks ?? {}).some((hook) => hook);
        compute = await ecsChange(
          source,
          { ecs, lambda: hooks ? await lambdaClient() : undefined },
          group?.ecsServices,
          signal,
          check,
        );
      }
    } catch (error) {
      // The rest of the plan still holds; the missing function or container would stop this deployment.
      const missing = missingPieceFinding(error);
      if (!missing) throw error;
      findings.push(missing);
    }

    let live: LiveRevision | undefined;
    let files: DeploymentPlan['files'];
    let appspec: DeploymentPlan['appspec'];
    const liveId = group?.lastSuccessfulDeployment?.deploymentId;
    if (platform === 'Server' && liveId) {
      const info = await getDeployment(codeDeploy, liveId, { signal });
      const s3Location = info.revision?.s3Location;
      live = { deploymentId: liveId, location: describeLocation(info.revision) };
      if (s3Location?.bucket && s3Location.key && next) {
        check(`reading the live revision ${live.location}`);
        const listed = await readLive(await s3Client(), s3Location, signal, findings);
        if (listed) {
          listings.push(listed.listing);
          live = { ...live, bundleType: listed.listing.format, size: listed.size };
          files = diffEntries(listed.listing.entries, next.entries);
          if (listed.listing.appspec && next.appspec) {
            appspec = diffAppspecs(await facts(listed.listing), await facts(next));
          }
          live.bytesDownloaded = listed.bytesDownloaded();
        }
      }
    } else if (platform === 'Server') {
      findings.push({
        severity: 'note',
        code: 'no-live-revision',
        message: `${groupName} has no successful deployment yet: every file is new to it`,
      });
    }

    let rollout: DeploymentPlan['rollout'];
    let traffic: DeploymentPlan['traffic'];
    let safeguards: DeploymentPlan['safeguards'];
    if (group) {
      const configName = options.deploymentConfig ?? group.deploymentConfigName ?? defaultConfig(platform);
      const config = await deploymentConfig(codeDeploy, configName, signal);
      if (platform === 'Server') {
        const { targets, offline, source: targetSource } = await groupTargets(codeDeploy, group, signal);
        rollout = planRollout(configName, config?.minimumHealthyHosts, targets, targetSource);
        if (offline.length > 0) rollout.offline = offline;
      } else {
        const steps = trafficSteps(config?.trafficRoutingConfig);
        traffic = {
          deploymentConfig: configName,
          type: config?.trafficRoutingConfig?.type ?? 'AllAtOnce',
          steps,
          description: describeSteps(steps),
          waits: platform === 'ECS' ? blueGreenWaits(group) : [],
        };
      }
      safeguards = await safeguardsOf(codeDeploy, group, autoRollback, signal);
    }
    findings.push(
      ...findBlockers({
        group: groupName,
        activeDeploymentId,
        queue: options.queue === true,
        rollout,
        files,
        sameAsLive: live !== undefined && live.location === revision.location,
      }),
    );
    return reportPlan(options, { platform, region, revision }, findings, {
      ...(live ? { live } : {}),
      ...(files ? { files } : {}),
      ...(appspec ? { appspec } : {}),
      ...(rollout ? { rollout } : {}),
      ...(compute ? { compute } : {}),
      ...(traffic ? { traffic } : {}),
      ...(safeguards ? { safeguards } : {}),
    });
  } catch (error) {
    const denial = denied.of(error);
    if (!denial) throw error;
    findings.push(deniedFinding(denial, group?.serviceRoleArn));
    return reportPlan(options, { platform, region, revision }, findings, {});
  } finally {
    denied.release();
    for (const listing of listings) await listing.close().catch(() => {});
    if (workDir) await rm(workDir, { recursive: true, force: true });
    if (!options.clients?.codeDeploy) codeDeploy.destroy();
    if (!options.clients?.s3) s3?.destroy();
    if (!options.clients?.lambda) lambda?.destroy();
    if (!options.clients?.ecs) ecs?.destroy();
  }
}

type PlanSections = Pick<
  DeploymentPlan,
  'live' | 'files' | 'appspec' | 'rollout' | 'compute' | 'traffic' | 'safeguards'
>;

/** The plan as reported, whole or stopped at a refused read: a blocking finding makes it exit 1. */
function reportPlan(
  options: PlanOptions,
  known: { platform: ComputePlatform; region: string; revision: PlannedRevision },
  findings: PlanFinding[],
  sections: PlanSections,
): DeploymentPlan {
  const blocking = findings.some((finding) => finding.severity === 'blocking');
  return {
    schema: PLAN_SCHEMA,
    application: options.application,
    deploymentGroup: options.deploymentGroup,
    computePlatform: known.platform,
    region: known.region,
    generatedAt: new Date(options.clock?.now() ?? Date.now()).toISOString(),
    revision: known.revision,
    ...sections,
    findings,
    blocking,
    exitCode: blocking ? 1 : 0,
  };
}

/** What `deploy` refuses for a missing hook function or load-balanced container, as a blocking finding. */
function missingPieceFinding(error: unknown): PlanFinding | undefined {
  if (error instanceof MissingTrafficContainerError) {
    return {
      severity: 'blocking',
      code: 'missing-container',
      message: `the service's load balancer sends traffic to container "${error.containerName}", which ${error.taskDefinition} does not have: deploy would refuse the deployment`,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  }
  if (error instanceof MissingHookFunctionError) {
    return {
      severity: 'blocking',
      code: 'missing-hook-function',
      message: `the ${error.event} hook function ${error.functionName} does not exist: deploy would refuse the deployment`,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  }
  return undefined;
}

/** The appspec of a bundle listing, its hook scripts hashed from the same bundle. */
function facts(listing: BundleListing) {
  return appspecFacts(listing.appspec?.text ?? '', listing.appspec?.name ?? 'appspec.yml', (path) =>
    listing.contentHash(path),
  );
}

/**
 * The live bundle's listing. A live bundle that is gone from S3 (or unreadable to this role) is a
 * finding, not a failure: the rest of the plan still holds.
 */
async function readLive(
  s3: S3Client,
  location: {
    bucket?: string | undefined;
    key?: string | undefined;
    version?: string | undefined;
    bundleType?: string | undefined;
  },
  signal: AbortSignal | undefined,
  findings: PlanFinding[],
): Promise<S3BundleListing | undefined> {
  try {
    return await listS3Bundle(
      s3,
      { ...location, bucket: location.bucket ?? '', key: location.key ?? '' },
      signal,
    );
  } catch (error) {
    const status = (error as { cause?: { $metadata?: { httpStatusCode?: number } } }).cause?.$metadata
      ?.httpStatusCode;
    if (status !== 404 && status !== 403) throw error;
    findings.push({
      severity: 'warning',
      code: 'live-revision-unreadable',
      message: `the live bundle s3://${location.bucket}/${location.key} cannot be read (HTTP ${status}): the file changes are unknown`,
      hint:
        status === 403
          ? 'Grant s3:GetObject on the revision bucket to list the live bundle.'
          : 'The live bundle was deleted from S3; a rollback to it would fail too.',
    });
    return undefined;
  }
}

async function deploymentConfig(
  client: CodeDeployClient,
  name: string,
  signal: AbortSignal | undefined,
): Promise<DeploymentConfigInfo | undefined> {
  try {
    const { deploymentConfigInfo } = await client.send(
      new GetDeploymentConfigCommand({ deploymentConfigName: name }),
      signal ? { abortSignal: signal } : {},
    );
    return deploymentConfigInfo;
  } catch (error) {
    signal?.throwIfAborted();
    throw wrapAwsError(`reading deployment configuration "${name}"`, error);
  }
}

/** CodeDeploy's default when neither the deployment nor the group names a configuration. */
function defaultConfig(platform: ComputePlatform): string {
  if (platform === 'Lambda') return 'CodeDeployDefault.LambdaAllAtOnce';
  if (platform === 'ECS') return 'CodeDeployDefault.ECSAllAtOnce';
  return 'CodeDeployDefault.OneAtATime';
}

/** An ECS blue/green group's waits: test traffic, the wait before rerouting, keeping the old task set. */
function blueGreenWaits(group: DeploymentGroupInfo): string[] {
  const waits: string[] = [];
  const pair = group.loadBalancerInfo?.targetGroupPairInfoList?.[0];
  if (pair?.testTrafficRoute?.listenerArns?.length) {
    waits.push(
      `test traffic first, on ${pair.testTrafficRoute.listenerArns.join(', ')} (AfterAllowTestTraffic hooks run then)`,
    );
  }
  const ready = group.blueGreenDeploymentConfiguration?.deploymentReadyOption;
  if (ready?.actionOnTimeout === 'STOP_DEPLOYMENT') {
    waits.push(
      `waits up to ${ready.waitTimeInMinutes ?? 0} min for a go-ahead (ContinueDeployment) before rerouting production traffic, then stops`,
    );
  } else if (ready?.waitTimeInMinutes) {
    waits.push(`waits ${ready.waitTimeInMinutes} min before rerouting production traffic`);
  }
  const terminate = group.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess;
  if (terminate?.action === 'TERMINATE') {
    waits.push(
      `keeps the original task set ${terminate.terminationWaitTimeInMinutes ?? 0} min after success, then terminates it`,
    );
  }
  return waits;
}

/** The platform a revision source is for, until GetApplication says (a refused read may leave it unsaid). */
function impliedPlatform(source: RevisionSource): ComputePlatform {
  if (source.kind === 'lambda') return 'Lambda';
  if (source.kind === 'ecs') return 'ECS';
  return 'Server';
}

function sourceLocation(source: RevisionSource): string {
  switch (source.kind) {
    case 'github':
      return `${source.repository}@${source.commitId}`;
    case 'appspec':
      return source.file;
    case 'lambda':
      return `${source.functionName}:${source.alias}`;
    case 'ecs':
      return source.taskDefinitionFile ?? `${source.cluster ?? ''}/${source.service ?? ''}`;
    case 'folder':
      return source.dir;
    case 's3':
      return source.url;
    default:
      return '';
  }
}
