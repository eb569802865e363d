import { createHash } from 'node:crypto';
import type {
  DeploymentInfo,
  DeploymentOverview,
  DeploymentTarget,
  ECSTaskSet,
  LambdaFunctionInfo,
  LifecycleEvent,
  RevisionLocation,
  TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import { ReportMasking } from './masking.js';
import type {
  DeploymentCounts,
  DeploymentReport,
  EcsRevisionReport,
  LambdaRevisionReport,
  LifecycleEventReport,
  TargetReport,
  TargetType,
} from './model.js';
import { trafficShiftOf, weightPercent } from './traffic.js';

/** What the gate knows about a deployment beyond GetDeployment and its targets. */
export interface ReportContext {
  /** The deployment configuration's traffic routing, for the targets' traffic steps. */
  trafficRouting?: TrafficRoutingConfig | undefined;
  /** The Lambda or ECS revision the gate built for this deployment. */
  lambda?: LambdaRevisionReport | undefined;
  ecs?: EcsRevisionReport | undefined;
  /**
   * Masks the text that comes from scripts and the service (log tails, messages, errors) and counts
   * what it masked; default: a tally of its own over this process's environment.
   */
  masking?: ReportMasking | undefined;
  /**
   * False when the deployment is not on AWS (a local CodeDeploy, `hasAwsConsole`): the report then has
   * no console link, which would lead nowhere.
   */
  awsConsole?: boolean | undefined;
}

/**
 * Turns a GetDeployment answer and the deployment's targets (BatchGetDeploymentTargets) into the
 * report model: ISO times, one revision string, counters in camelCase, targets sorted by id so two
 * reports of the same deployment compare line by line. Text written by scripts or the service enters
 * masked (`context.masking`): no renderer or front end sees the credentials a hook printed.
 */
export function buildDeploymentReport(
  info: DeploymentInfo,
  targets: DeploymentTarget[],
  region: string,
  context: ReportContext = {},
): DeploymentReport {
  const id = info.deploymentId ?? '';
  const built = builtRevisionText(context);
  const masking = context.masking ?? new ReportMasking();
  const report: DeploymentReport = {
    id,
    application: info.applicationName ?? '',
    deploymentGroup: info.deploymentGroupName ?? '',
    deploymentConfig: info.deploymentConfigName,
    computePlatform: info.computePlatform,
    status: info.status ?? 'Unknown',
    creator: info.creator,
    description: masking.optional(nonEmpty(info.description)),
    revision: `${describeRevision(info.revision)}${built === undefined ? '' : ` (${built})`}`,
    createTime: iso(info.createTime),
    startTime: iso(info.startTime),
    completeTime: iso(info.completeTime),
    // A deployment that never started (queued, then stopped) still took time from its creation.
    durationMs: between(info.startTime ?? info.createTime, info.completeTime),
    error: errorOf(info, masking),
    overview: countsOf(info.deploymentOverview),
    rollbackMessage: masking.optional(nonEmpty(info.rollbackInfo?.rollbackMessage)),
    ...(context.awsConsole === false ? {} : { consoleUrl: consoleUrl(region, id) }),
    targets: targets
      .map((target) => targetReport(target, context.trafficRouting, masking))
      .sort((a, b) => compareText(a.id, b.id)),
  };
  if (context.lambda !== undefined) report.lambda = context.lambda;
  if (context.ecs !== undefined) report.ecs = context.ecs;
  return report;
}

/** `my-fn:live 6 → 7` or `web:42 for prod/web`: what the built AppSpec moves, for the revision line. */
function builtRevisionText(context: ReportContext): string | undefined {
  if (context.lambda !== undefined) {
    const l = context.lambda;
    return `${l.functionName}:${l.alias} ${l.currentVersion} → ${l.targetVersion}`;
  }
  if (context.ecs !== undefined)
    return `${context.ecs.taskDefinition} for ${context.ecs.cluster}/${context.ecs.service}`;
  return undefined;
}

/** The deployment's page in the AWS console, in the partition the region belongs to. */
export function consoleUrl(region: string, deploymentId: string): string {
  const host = region.startsWith('cn-')
    ? `${region}.console.amazonaws.cn`
    : region.startsWith('us-gov-')
      ? `${region}.console.amazonaws-us-gov.com`
      : `${region}.console.aws.amazon.com`;
  const query = encodeURIComponent(region);
  return `https://${host}/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${query}`;
}

/**
 * The failed lifecycle event of each failed target, in target order: the instance, the event, the
 * error code, the script and its log tail are what a person needs to start fixing the deployment.
 * Failed events of targets that went on (an ApplicationStop failure the group ignores) are left out.
 */
export function failedEvents(
  report: DeploymentReport,
): Array<{ target: TargetReport; event: LifecycleEventReport }> {
  return report.targets
    .filter((target) => target.status === 'Failed')
    .flatMap((target) =>
      target.events.filter((event) => event.status === 'Failed').map((event) => ({ target, event })),
    );
}

/** `s3://bucket/key (zip, version V, eTag E)`, `github owner/repo@sha` or `appspec sha256:abcdef012345`. */
function describeRevision(revision: RevisionLocation | undefined): string {
  if (revision === undefined) return 'unknown';
  const s3 = revision.s3Location;
  if (s3 !== undefined) {
    const details = [
      s3.bundleType,
      s3.version ? `version ${s3.version}` : undefined,
      // S3 returns ETags quoted; the quotes carry no information for a reader.
      s3.eTag ? `eTag ${s3.eTag.replace(/^"|"$/g, '')}` : undefined,
    ].filter((part): part is string => part !== undefined && part !== '');
    const url = `s3://${s3.bucket ?? ''}/${s3.key ?? ''}`;
    return details.length > 0 ? `${url} (${details.join(', ')})` : url;
  }
  const github = revision.gitHubLocation;
  if (github !== undefined) return `github ${github.repository ?? ''}@${github.commitId ?? ''}`;
  const inline = revision.appSpecContent ?? revision.string;
  if (inline !== undefined) {
    // GetDeployment answers carry the hash and leave `content` null; hash the content when only it is set.
    const sha256 =
      inline.sha256 ??
      (typeof inline.content === 'string'
        ? createHash('sha256').update(inline.content).digest('hex')
        : undefined);
    return sha256 === undefined ? 'appspec (inline)' : `appspec sha256:${sha256.slice(0, 12)}`;
  }
  return revision.revisionType ?? 'unknown';
}

function errorOf(info: DeploymentInfo, masking: ReportMasking): DeploymentReport['error'] {
  const error = info.errorInformation;
  if (error === undefined || (error.code === undefined && !error.message)) return undefined;
  return { code: error.code ?? 'UNKNOWN', message: masking.text(error.message ?? '') };
}

function countsOf(overview: DeploymentOverview | undefined): DeploymentCounts {
  return {
    pending: overview?.Pending ?? 0,
    inProgress: overview?.InProgress ?? 0,
    succeeded: overview?.Succeeded ?? 0,
    failed: overview?.Failed ?? 0,
    skipped: overview?.Skipped ?? 0,
    ready: overview?.Ready ?? 0,
  };
}

function targetReport(
  target: DeploymentTarget,
  routing: TrafficRoutingConfig | undefined,
  masking: ReportMasking,
): TargetReport {
  const trafficShift = trafficShiftOf(target, routing);
  const shift = trafficShift === undefined ? {} : { trafficShift };
  if (target.lambdaTarget !== undefined) {
    const lambda = target.lambdaTarget;
    const fn = lambda.lambdaFunctionInfo;
    return {
      id: lambda.targetId ?? (fn?.functionName ? `${fn.functionName}:${fn.functionAlias ?? ''}` : unknownId),
      type: 'lambda',
      status: lambda.status ?? 'Unknown',
      lastUpdatedAt: iso(lambda.lastUpdatedAt),
      events: eventReports(lambda.lifecycleEvents, masking),
      traffic: fn === undefined ? undefined : lambdaTraffic(fn),
      ...shift,
    };
  }
  if (target.ecsTarget !== undefined) {
    const ecs = target.ecsTarget;
    return {
      id: ecs.targetId ?? ecs.targetArn ?? unknownId,
      type: 'ecs',
      status: ecs.status ?? 'Unknown',
      lastUpdatedAt: iso(ecs.lastUpdatedAt),
      events: eventReports(ecs.lifecycleEvents, masking),
      traffic: ecsTraffic(ecs.taskSetsInfo ?? []),
      ...shift,
    };
  }
  if (target.cloudFormationTarget !== undefined) {
    const stack = target.cloudFormationTarget;
    const weight = stack.targetVersionWeight;
    return {
      id: stack.targetId ?? unknownId,
      type: 'cloudformation',
      status: stack.status ?? 'Unknown',
      lastUpdatedAt: iso(stack.lastUpdatedAt),
      events: eventReports(stack.lifecycleEvents, masking),
      traffic:
        weight === undefined
          ? undefined
          : `${stack.resourceType ? `${stack.resourceType}, ` : ''}${percent(weight)} on the target version`,
    };
  }
  const instance = target.instanceTarget ?? {};
  return {
    id: instance.targetId ?? instance.targetArn ?? unknownId,
    type: targetTypeOf(target),
    status: instance.status ?? 'Unknown',
    label: instance.instanceLabel,
    lastUpdatedAt: iso(instance.lastUpdatedAt),
    events: eventReports(instance.lifecycleEvents, masking),
  };
}

const unknownId = '(unknown target)';

function targetTypeOf(target: DeploymentTarget): TargetType {
  switch (target.deploymentTargetType) {
    case 'LambdaTarget':
      return 'lambda';
    case 'ECSTarget':
      return 'ecs';
    case 'CloudFormationTarget':
      return 'cloudformation';
    default:
      return 'instance';
  }
}

/** `version 3 → 4, 10% on 4`. */
function lambdaTraffic(fn: LambdaFunctionInfo): string | undefined {
  if (fn.currentVersion === undefined && fn.targetVersion === undefined) return undefined;
  const versions =
    fn.targetVersion === undefined
      ? `version ${fn.currentVersion}`
      : `version ${fn.currentVersion ?? '?'} → ${fn.targetVersion}`;
  if (fn.targetVersionWeight === undefined || fn.targetVersion === undefined) return versions;
  return `${versions}, ${percent(fn.targetVersionWeight)} on ${fn.targetVersion}`;
}

/** `Blue ecs-svc/111 100%, Green ecs-svc/222 0%`, in the service's order. */
function ecsTraffic(taskSets: ECSTaskSet[]): string | undefined {
  if (taskSets.length === 0) return undefined;
  return taskSets
    .map((set) =>
      [set.taskSetLabel, set.identifer, set.trafficWeight === undefined ? undefined : `${set.trafficWeight}%`]
        .filter((part) => part !== undefined && part !== '')
        .join(' '),
    )
    .join(', ');
}

/** A target weight as `10%`, fractions of 1 included (see weightPercent). */
function percent(weight: number): string {
  return `${weightPercent(weight)}%`;
}

function eventReports(events: LifecycleEvent[] | undefined, masking: ReportMasking): LifecycleEventReport[] {
  return (events ?? []).map((event) => {
    const report: LifecycleEventReport = {
      name: event.lifecycleEventName ?? 'Unknown',
      status: event.status ?? 'Unknown',
      startTime: iso(event.startTime),
      endTime: iso(event.endTime),
      durationMs: between(event.startTime, event.endTime),
    };
    const diagnostics = event.diagnostics;
    if (diagnostics !== undefined) {
      // The service sends empty strings for what does not apply; absent reads better in every report.
      const kept = {
        errorCode: nonEmpty(diagnostics.errorCode),
        scriptName: nonEmpty(diagnostics.scriptName),
        message: masking.optional(nonEmpty(diagnostics.message)),
        logTail: masking.optional(nonEmpty(diagnostics.logTail)),
      };
      if (Object.values(kept).some((value) => value !== undefined)) report.diagnostics = kept;
    }
    return report;
  });
}

function iso(date: Date | undefined): string | undefined {
  if (date === undefined || Number.isNaN(date.getTime())) return undefined;
  return date.toISOString();
}

function between(start: Date | undefined, end: Date | undefined): number | undefined {
  if (start === undefined || end === undefined) return undefined;
  const ms = end.getTime() - start.getTime();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

/** Also turns the `null`s some JSON answers carry into absent fields. */
function nonEmpty(text: string | undefined): string | undefined {
  return text || undefined;
}

/** Code-unit order, so the output does not depend on the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
