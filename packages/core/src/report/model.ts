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
  consoleUrl: string;
  targets: TargetReport[];
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
    /** Up to the last 4 KB of the script's output, as the service returns it. */
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
}

export interface WatchStats {
  /** Wall time from the first look at the deployment to the verdict. */
  elapsedMs: number;
  getDeploymentCalls: number;
  targetCalls: number;
  /** Calls the service throttled or that failed transiently and were retried later. */
  throttled: number;
}
