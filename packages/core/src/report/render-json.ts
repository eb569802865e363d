import type {
  DeploymentCounts,
  DeploymentReport,
  EcsRevisionReport,
  GateAction,
  GateReport,
  LambdaRevisionReport,
  LifecycleEventReport,
  TargetReport,
  TrafficShift,
  WatchStats,
} from './model.js';

type Diagnostics = NonNullable<LifecycleEventReport['diagnostics']>;
type DeploymentError = NonNullable<DeploymentReport['error']>;

// Records over `keyof` make the compiler insist that every field of the model is placed here.
const GATE_REPORT_KEYS: Record<keyof GateReport, true> = {
  schema: true,
  verdict: true,
  exitCode: true,
  summary: true,
  region: true,
  generatedAt: true,
  deployment: true,
  rollback: true,
  actions: true,
  watch: true,
  maskedValues: true,
};
const DEPLOYMENT_KEYS: Record<keyof DeploymentReport, true> = {
  id: true,
  application: true,
  deploymentGroup: true,
  deploymentConfig: true,
  computePlatform: true,
  status: true,
  creator: true,
  description: true,
  revision: true,
  createTime: true,
  startTime: true,
  completeTime: true,
  durationMs: true,
  error: true,
  overview: true,
  rollbackMessage: true,
  consoleUrl: true,
  targets: true,
  lambda: true,
  ecs: true,
};
const LAMBDA_KEYS: Record<keyof LambdaRevisionReport, true> = {
  functionName: true,
  alias: true,
  currentVersion: true,
  targetVersion: true,
  origin: true,
};
const ECS_KEYS: Record<keyof EcsRevisionReport, true> = {
  cluster: true,
  service: true,
  taskDefinitionArn: true,
  taskDefinition: true,
  origin: true,
  containerName: true,
  containerPort: true,
};
const ERROR_KEYS: Record<keyof DeploymentError, true> = { code: true, message: true };
const COUNTS_KEYS: Record<keyof DeploymentCounts, true> = {
  pending: true,
  inProgress: true,
  succeeded: true,
  failed: true,
  skipped: true,
  ready: true,
};
const TARGET_KEYS: Record<keyof TargetReport, true> = {
  id: true,
  type: true,
  status: true,
  label: true,
  lastUpdatedAt: true,
  events: true,
  traffic: true,
  trafficShift: true,
};
const TRAFFIC_SHIFT_KEYS: Record<keyof TrafficShift, true> = {
  percent: true,
  step: true,
  steps: true,
  config: true,
};
const EVENT_KEYS: Record<keyof LifecycleEventReport, true> = {
  name: true,
  status: true,
  startTime: true,
  endTime: true,
  durationMs: true,
  diagnostics: true,
};
const DIAGNOSTICS_KEYS: Record<keyof Diagnostics, true> = {
  errorCode: true,
  scriptName: true,
  message: true,
  logTail: true,
};
const ACTION_KEYS: Record<keyof GateAction, true> = { at: true, kind: true, detail: true, waitType: true };
const WATCH_KEYS: Record<keyof WatchStats, true> = {
  elapsedMs: true,
  getDeploymentCalls: true,
  targetCalls: true,
  throttled: true,
};

/**
 * The report as its public JSON contract (`codedeploy-gate/report@1`): 2-space indented, trailing
 * newline, keys in the model's order whatever order the object was built in, absent fields omitted.
 */
export function renderJsonReport(report: GateReport): string {
  const ordered = {
    ...inOrder(report, GATE_REPORT_KEYS),
    deployment: deployment(report.deployment),
    rollback: report.rollback === undefined ? undefined : deployment(report.rollback),
    actions: report.actions.map((action) => inOrder(action, ACTION_KEYS)),
    watch: inOrder(report.watch, WATCH_KEYS),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function deployment(report: DeploymentReport): Record<string, unknown> {
  return {
    ...inOrder(report, DEPLOYMENT_KEYS),
    error: report.error === undefined ? undefined : inOrder(report.error, ERROR_KEYS),
    overview: inOrder(report.overview, COUNTS_KEYS),
    targets: report.targets.map(target),
    lambda: report.lambda === undefined ? undefined : inOrder(report.lambda, LAMBDA_KEYS),
    ecs: report.ecs === undefined ? undefined : inOrder(report.ecs, ECS_KEYS),
  };
}

function target(report: TargetReport): Record<string, unknown> {
  return {
    ...inOrder(report, TARGET_KEYS),
    events: report.events.map(event),
    trafficShift:
      report.trafficShift === undefined ? undefined : inOrder(report.trafficShift, TRAFFIC_SHIFT_KEYS),
  };
}

function event(report: LifecycleEventReport): Record<string, unknown> {
  return {
    ...inOrder(report, EVENT_KEYS),
    diagnostics: report.diagnostics === undefined ? undefined : inOrder(report.diagnostics, DIAGNOSTICS_KEYS),
  };
}

/**
 * A copy with the model's keys first, in the model's order; fields the model does not know yet (added
 * by a newer producer) follow, so nothing is dropped. Spreading over this keeps each key's position.
 */
function inOrder<T extends object>(value: T, keys: Record<keyof T, true>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(keys)) copy[key] = (value as Record<string, unknown>)[key];
  for (const [key, field] of Object.entries(value)) if (!(key in copy)) copy[key] = field;
  return copy;
}
