import { join } from 'node:path';
import { type CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import {
  createCodeDeployClient,
  createS3Client,
  getDeployment,
  lifecycleEventsOf,
  listTargets,
  newWatchStats,
  type PacingSettings,
  pushRevision,
  targetIdOf,
  targetStatusOf,
  watchDeployment,
} from '@codedeploy-gate/core';
import { provisionFleet, startLocalCodeDeploy } from '@codedeploy-gate/local';
import { writeRevision } from './revision.js';
import { type InstancePlan, planInstances, type Scenario } from './scenario.js';
import { awsDeployWait } from './waiter.js';

export interface RunSettings {
  /** Wall time per simulated time: 1/30 runs 30 simulated minutes in one wall minute. */
  scale: number;
  gatePacing: PacingSettings;
  waiterDelayMs: number;
  /** Scratch folder for the revision. */
  workDir: string;
}

/** One API call as the SDK client sent it, in simulated seconds since the deployment was created. */
export interface Call {
  atSimS: number;
  operation: string;
}

export interface WatcherMeasurement {
  /** The watcher's verdict: the gate's final status, or the waiter's success/failure. */
  outcome: string;
  calls: number;
  callsByOperation: Record<string, number>;
  /** From the start of the watch to its return, simulated. */
  watchedSimS: number;
  callsPerSimMinute: number;
  /** The watcher's return minus the deployment's completeTime, simulated. */
  noticeLatencySimS: number;
  timeline: Call[];
}

export interface RunResult {
  scenario: Scenario['id'];
  run: number;
  seed: number;
  plans: InstancePlan[];
  deployment: {
    id: string;
    status: string;
    errorCode: string | undefined;
    /** createTime to completeTime, simulated. */
    durationSimS: number;
  };
  /** Each target's first event start and last event end, simulated seconds since creation. */
  targets: { name: string; status: string; startSimS: number | undefined; endSimS: number | undefined }[];
  gate: WatcherMeasurement & { stats: ReturnType<typeof newWatchStats> };
  waiter: WatcherMeasurement & { attempts: number; restarts: number };
}

/**
 * One fresh local CodeDeploy, one fleet, one deployment, watched from the moment CreateDeployment
 * answers by both the gate and the waiter emulation at once, each with its own SDK client.
 */
export async function runDeployment(
  scenario: Scenario,
  run: number,
  seed: number,
  settings: RunSettings,
): Promise<RunResult> {
  const { scale } = settings;
  const server = await startLocalCodeDeploy({ port: 0 });
  const env = {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  const setup = createCodeDeployClient({ env });
  const gateClient = createCodeDeployClient({ env });
  const waiterClient = createCodeDeployClient({ env });
  const s3 = createS3Client({ env });
  try {
    const fleet = await provisionFleet(
      { codeDeploy: setup, s3 },
      {
        application: 'gate-bench',
        instances: scenario.instances,
        deploymentConfig: scenario.deploymentConfig,
      },
    );
    const plans = planInstances(scenario, fleet.instanceNames, seed, scale);
    const revisionDir = join(settings.workDir, `revision-${scenario.id}-${run}`);
    await writeRevision(revisionDir, plans);
    const pushed = await pushRevision(revisionDir, {
      application: fleet.application,
      s3Location: `s3://${fleet.bucket}/${fleet.application}`,
      clients: { codeDeploy: setup, s3 },
    });

    const gateCalls = recordCalls(gateClient);
    const waiterCalls = recordCalls(waiterClient);
    const { deploymentId } = await setup.send(
      new CreateDeploymentCommand({
        applicationName: fleet.application,
        deploymentGroupName: fleet.deploymentGroup,
        revision: pushed.revision,
      }),
    );
    if (!deploymentId) throw new Error('CreateDeployment returned no deployment id');
    const watchStart = Date.now();
    // A hung deployment must end the benchmark, not hold it forever.
    const signal = AbortSignal.timeout((scenario.simulatedMinutes * 60_000 * scale + 60_000) * 3);
    const stats = newWatchStats();
    const [gate, waiter] = await Promise.all([
      watchDeployment(gateClient, deploymentId, { pacing: settings.gatePacing, stats, signal }).then(
        (outcome) => ({ outcome, returnedAt: Date.now() }),
      ),
      awsDeployWait(waiterClient, deploymentId, { delayMs: settings.waiterDelayMs, signal }).then(
        (result) => ({ result, returnedAt: Date.now() }),
      ),
    ]);
    if (gate.outcome.state !== 'ended') {
      throw new Error(`the gate's watch ended with ${gate.outcome.state}, not with the deployment`);
    }

    const info = await getDeployment(setup, deploymentId);
    const created = info.createTime?.getTime();
    const completed = info.completeTime?.getTime();
    if (created === undefined || completed === undefined) {
      throw new Error(`deployment ${deploymentId} has no createTime or completeTime`);
    }
    const sim = (wallMs: number) => Math.round((wallMs / scale / 1000) * 10) / 10;
    const measure = (calls: RecordedCall[], returnedAt: number, outcome: string): WatcherMeasurement => {
      const watchedSimS = sim(returnedAt - watchStart);
      const callsByOperation: Record<string, number> = {};
      for (const call of calls)
        callsByOperation[call.operation] = (callsByOperation[call.operation] ?? 0) + 1;
      return {
        outcome,
        calls: calls.length,
        callsByOperation,
        watchedSimS,
        callsPerSimMinute: Math.round((calls.length / (watchedSimS / 60)) * 100) / 100,
        noticeLatencySimS: sim(returnedAt - completed),
        timeline: calls.map((call) => ({ atSimS: sim(call.at - created), operation: call.operation })),
      };
    };
    const targets = (await listTargets(setup, deploymentId)).map((target) => {
      const events = lifecycleEventsOf(target);
      const start = events.find((e) => e.startTime)?.startTime?.getTime();
      const end = [...events]
        .reverse()
        .find((e) => e.endTime)
        ?.endTime?.getTime();
      return {
        name: targetIdOf(target),
        status: targetStatusOf(target),
        startSimS: start === undefined ? undefined : sim(start - created),
        endSimS: end === undefined ? undefined : sim(end - created),
      };
    });
    return {
      scenario: scenario.id,
      run,
      seed,
      plans,
      deployment: {
        id: deploymentId,
        status: info.status ?? '?',
        errorCode: info.errorInformation?.code,
        durationSimS: sim(completed - created),
      },
      targets: targets.sort((a, b) => a.name.localeCompare(b.name)),
      gate: {
        ...measure(gateCalls, gate.returnedAt, gate.outcome.snapshot.deployment.status ?? '?'),
        stats,
      },
      waiter: {
        ...measure(waiterCalls, waiter.returnedAt, waiter.result.state),
        attempts: waiter.result.attempts,
        restarts: waiter.result.restarts,
      },
    };
  } finally {
    for (const client of [setup, gateClient, waiterClient, s3]) client.destroy();
    await server.close();
  }
}

interface RecordedCall {
  at: number;
  operation: string;
}

/**
 * Counts what the client actually sends, whoever sends it: one entry per command, so the gate's own
 * counters (WatchStats) and the waiter are measured by the same ruler.
 */
function recordCalls(client: CodeDeployClient): RecordedCall[] {
  const calls: RecordedCall[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      calls.push({ at: Date.now(), operation: (context.commandName ?? '?').replace(/Command$/, '') });
      return next(args);
    },
    { step: 'initialize', name: 'gatePollingBenchCallRecorder' },
  );
  return calls;
}
