import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DeploymentInfo,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { type Fleet, type LocalCodeDeployOptions, provisionFleet } from '@codedeploy-gate/local';
import { type RevisionSpec, writeRevision } from '@codedeploy-gate/test-support';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type LocalService, startLocalService } from './local-service.js';

export type { LocalService } from './local-service.js';
export { deployArgs, FAST_POLLING } from './local-service.js';

/** The test file's local CodeDeploy (see `useLocalCodeDeploy`) and what each test gets around it. */
export interface LocalCodeDeployFixture extends LocalService {
  /** The running test's own empty folder (only with `workPrefix`), removed after the test. */
  readonly work: string;
  /** Runs `cleanup` after the running test; the last one registered runs first. */
  afterTest(cleanup: () => Promise<void>): void;
  /** Writes a revision folder (see `writeRevision`) that is removed after the running test; its path. */
  revision(spec?: RevisionSpec): Promise<string>;
}

export interface UseLocalCodeDeployOptions extends LocalCodeDeployOptions {
  /** Gives each test a `work` folder, made with this mkdtemp prefix. */
  workPrefix?: string;
}

/**
 * One local CodeDeploy for a test file: registers the hooks that start it before the file's tests,
 * run each test's clean-ups after it and close the service at the end. Its fields can be read
 * inside tests and hooks, once the service has started.
 */
export function useLocalCodeDeploy(options: UseLocalCodeDeployOptions = {}): LocalCodeDeployFixture {
  const { workPrefix, ...serverOptions } = options;
  let service: (LocalService & { close(): Promise<void> }) | undefined;
  let work: string | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  const started = (): LocalService => {
    if (!service) throw new Error('the local CodeDeploy starts in beforeAll: use it inside tests and hooks');
    return service;
  };
  const afterTest = (cleanup: () => Promise<void>) => {
    cleanups.push(cleanup);
  };

  beforeAll(async () => {
    service = await startLocalService(serverOptions);
  });
  afterAll(async () => {
    await service?.close();
  });
  if (workPrefix !== undefined) {
    beforeEach(async () => {
      work = await mkdtemp(join(tmpdir(), workPrefix));
    });
  }
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
    work = undefined;
  });

  return {
    get server() {
      return started().server;
    },
    get codeDeploy() {
      return started().codeDeploy;
    },
    get s3() {
      return started().s3;
    },
    get env() {
      return started().env;
    },
    get work() {
      if (work === undefined) throw new Error('no work folder: pass workPrefix to useLocalCodeDeploy');
      return work;
    },
    afterTest,
    revision: async (spec = {}) => {
      const written = await writeRevision(spec);
      afterTest(written.cleanup);
      return written.dir;
    },
  };
}

/** An application with `instances` local instances (`<application>-1..N`) in group `<application>-local`. */
export function provisionApp(
  local: LocalService,
  application: string,
  instances: number,
  deploymentConfig?: string,
): Promise<Fleet> {
  return provisionFleet(
    { codeDeploy: local.codeDeploy, s3: local.s3 },
    { application, instances, ...(deploymentConfig ? { deploymentConfig } : {}) },
  );
}

/**
 * Makes the local server refuse `operation` as AWS refuses a caller without the IAM permission
 * (`PUT /__local/faults`, rule `accessDenied: 1`), replacing any rule in force, until the test ends.
 */
export async function denyOperation(local: LocalCodeDeployFixture, operation: string): Promise<void> {
  const faults = `${local.server.endpoint}/__local/faults`;
  const put = await fetch(faults, { method: 'PUT', body: JSON.stringify([{ operation, accessDenied: 1 }]) });
  if (put.status !== 200) throw new Error(`PUT /__local/faults answered ${put.status}: ${await put.text()}`);
  local.afterTest(async () => {
    await fetch(faults, { method: 'PUT', body: '[]' });
  });
}

/** Every deployment in the fleet's group, read back through ListDeployments. */
export async function deploymentIds(local: LocalService, fleet: Fleet): Promise<string[]> {
  const { deployments } = await local.codeDeploy.send(
    new ListDeploymentsCommand({
      applicationName: fleet.application,
      deploymentGroupName: fleet.deploymentGroup,
    }),
  );
  return deployments ?? [];
}

export async function deploymentInfo(local: LocalService, deploymentId: string): Promise<DeploymentInfo> {
  const { deploymentInfo } = await local.codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
  if (!deploymentInfo) throw new Error(`GetDeployment ${deploymentId} answered without deploymentInfo`);
  return deploymentInfo;
}

const ENDED = ['Succeeded', 'Failed', 'Stopped'];

/** Polls until the deployment's status is one of `statuses` (default: any terminal one). */
export async function untilStatus(
  local: LocalService,
  deploymentId: string,
  statuses: string[] = ENDED,
  timeoutMs = 30_000,
): Promise<DeploymentInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await deploymentInfo(local, deploymentId);
    if (statuses.includes(info.status ?? '')) return info;
    if (Date.now() > deadline) {
      throw new Error(
        `deployment ${deploymentId} is ${info.status}, not ${statuses.join('/')}, after ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops a deployment left running by a test, so its group is free for the next one. */
export async function stopIfActive(local: LocalService, deploymentId: string): Promise<void> {
  const info = await deploymentInfo(local, deploymentId);
  if (ENDED.includes(info.status ?? '')) return;
  await local.codeDeploy.send(new StopDeploymentCommand({ deploymentId })).catch(() => undefined);
  await untilStatus(local, deploymentId);
}

/** Collects a running CLI's stdout from the start, for tests that act when a line shows up. */
export function watchStdout(child: ChildProcess): {
  text(): string;
  until(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
} {
  let text = '';
  let exited = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk;
    wake();
  });
  child.once('exit', () => {
    exited = true;
    wake();
  });
  return {
    text: () => text,
    until: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} in stdout within ${timeoutMs} ms:\n${text}`));
        }, timeoutMs);
        const check = () => {
          const match = pattern.exec(text);
          if (!match && !exited) return;
          waiters.delete(check);
          clearTimeout(timer);
          if (match) resolve(match);
          else reject(new Error(`the CLI exited before printing ${pattern}:\n${text}`));
        };
        waiters.add(check);
        check();
      }),
  };
}
