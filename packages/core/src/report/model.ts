/**
 * The one model every report is rendered from (JSON, Markdown, JUnit, the CLI's final table, the
 * GitHub job summary, the Jenkins properties file). Its JSON form is a public, versioned contract:
 * add fields freely, never rename or remove one without bumping `schema`.
 */

/** The schema identifier written into every JSON report. */
export const REPORT_SCHEMA = 'codedeploy-gate/report@1' as const;

/**
 * The gate's answer. `succeeded` is the only verdict that lets a pipeline go on.
 * `created` is what `--no-wait` reports: the deployment exists and nobody watched it.
 */
export type Verdict = 'succeeded' | 'failed' | 'stopped' | 'timed-out' | 'cancelled' | 'created';

export interface GateReport {
  schema: typeof REPORT_SCHEMA;
  verdict: Verdict;
  /** The process exit code that goes with the verdict (see ExitCode). */
  exitCode: number;
  /** One sentence for a log line, a job summary title or a CodePipeline failure message. */
  summary: string;
  region: string;
  /** When the report was made (ISO 8601). */
  generatedAt: string;
  deployment: DeploymentReport;
  /** The rollback deployment the service started for this one, when there was one. */
  rollback?: DeploymentReport;
  /** What the gate itself did, in order: created, queued, continued, stopped, verification... */
  actions: GateAction[];
  /** How the deployment was watched. */
  watch: WatchStats;
  /**
   * Values replaced by `***` in the report's text (log tails, script and error messages, action
   * details): credential-shaped values and this process's secret environment values.
   */
  maskedValues: number;
}

export interface DeploymentReport {
  id: string;
  application: string;
  deploymentGroup: string;
  deploymentConfig?: string;
  computePlatform?: string;
  /** The service's status: Created, Queued, InProgress, Baking, Ready, Succeeded, Failed, Stopped. */
  status: string;
  creator?: string;
  description?: string;
  /** The revision for people: `s3://bucket/key (zip)`, `github owner/repo@sha`, `appspec sha256:...`. */
  revision: string;
  createTime?: string;
  startTime?: string;
  completeTime?: string;
  durationMs?: number;
  error?: { code: string; message: string };
  overview: DeploymentCounts;
  /** `rollbackInfo.rollbackMessage` when the service set one. */
  rollbackMessage?: string;
  /** The deployment's page in the AWS console; absent for a deployment not on AWS (a local CodeDeploy). */
  consoleUrl?: string;
  targets: TargetReport[];
  /** The Lambda alias shift the gate built this deployment's AppSpec for (deploy with a Lambda source). */
  lambda?: LambdaRevisionReport;
  /** The ECS task definition the gate registered (or reused) for this deployment (an ECS source). */
  ecs?: EcsRevisionReport;
}

/** A Lambda revision built by the gate: which alias moves from which version to which. */
export interface LambdaRevisionReport {
  functionName: string;
  alias: string;
  /** The version the alias pointed to before the deployment. */
  currentVersion: string;
  targetVersion: string;
  /**
   * Where the target version came from: `given` (an existing version), `published` (PublishVersion of
   * $LATEST), `uploaded` (a new code package, then PublishVersion).
   */
  origin: 'given' | 'published' | 'uploaded';
}

/** An ECS revision built by the gate: the task definition registered for the service. */
export interface EcsRevisionReport {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  /** `family:revision`. */
  taskDefinition: string;
  /** `file` (a task definition file) or `service` (the service's current task definition). */
  origin: 'file' | 'service';
  /** The container and port the load balancer sends traffic to. */
  containerName: string;
  containerPort: number;
}

export interface DeploymentCounts {
  pending: number;
  inProgress: number;
  succeeded: number;
  failed: number;
  skipped: number;
  ready: number;
}

export type TargetType = 'instance' | 'lambda' | 'ecs' | 'cloudformation';

export interface TargetReport {
  /** Instance name or ID, `function:alias`, `cluster:service`, or a stack ID. */
  id: string;
  type: TargetType;
  status: string;
  /** Blue or Green in a blue/green deployment. */
  label?: string;
  lastUpdatedAt?: string;
  events: LifecycleEventReport[];
  /** Lambda: versions and weight; ECS: task sets with traffic weights. */
  traffic?: string;
  /** Lambda and ECS: how far production traffic has moved to the new version. */
  trafficShift?: TrafficShift;
}

/** Production traffic moving to the new version (Lambda target version, ECS Green task set). */
export interface TrafficShift {
  /** Share of production traffic on the new version, 0 to 100. */
  percent: number;
  /** Shifts made so far (0 before the first), when the deployment configuration is known. */
  step?: number;
  /** Shifts the deployment configuration makes in all (canary 2, linear 10% 10, all at once 1). */
  steps?: number;
  /** The configuration's routing in words: `canary 10% then 100% after 5m`, `linear 10% every 1m`, `all at once`. */
  config?: string;
}

export interface LifecycleEventReport {
  name: string;
  /** Pending, InProgress, Succeeded, Failed, Skipped or Unknown. */
  status: string;
  startTime?: string;
  endTime?: string;
  durationMs?: number;
  diagnostics?: {
    errorCode?: string;
    scriptName?: string;
    message?: string;
    /** Up to the last 4 KB of the script's output, as the service returns it, credentials masked. */
    logTail?: string;
  };
}

export interface GateAction {
  at: string;
  kind:
    | 'created'
    | 'adopted'
    | 'queued'
    | 'verification-passed'
    | 'verification-failed'
    | 'continued'
    | 'stopped'
    | 'left-running';
  detail: string;
  /** For verification and continue actions: the blue/green wait they were about. */
  waitType?: 'READY_WAIT' | 'TERMINATION_WAIT';
}

export interface WatchStats {
  /** Wall time from the first look at the deployment to the verdict. */
  elapsedMs: number;
  getDeploymentCalls: number;
  targetCalls: number;
  /** Calls the service throttled or that failed transiently and were retried later. */
  throttled: number;
}
