import { randomBytes } from 'node:crypto';
import type { DeploymentRecord, Store } from '../../state/index.js';
import { type HookExecutionRecord, trafficOf } from './records.js';

export type HookStatus = 'Succeeded' | 'Failed';

/**
 * The hook executions of running Lambda and ECS deployments. An execution is persisted InProgress
 * when its function is invoked and completes once PutLifecycleEventHookExecutionStatus reports it (or
 * the engine gives up on it); the in-memory waiters only wake the deployment that waits for it.
 */
export class HookExecutions {
  private readonly waiters = new Map<string, (status: HookStatus) => void>();

  constructor(private readonly store: Store) {}

  /** A new execution of `functionName` for one lifecycle event; returns its lifecycleEventHookExecutionId. */
  open(record: DeploymentRecord, lifecycleEventName: string, functionName: string): string {
    // Opaque and long like the service's ids, so hooks cannot guess one another's.
    const id = randomBytes(48).toString('base64');
    this.store.update(() => {
      const traffic = trafficOf(record);
      if (traffic) traffic.hookExecutions[id] = { lifecycleEventName, functionName, status: 'InProgress' };
    });
    return id;
  }

  /** The execution as persisted, if the deployment has one by that id. */
  find(record: DeploymentRecord, id: string): HookExecutionRecord | undefined {
    return trafficOf(record)?.hookExecutions[id];
  }

  /** Completes an execution (a report, or the engine giving up) and wakes whoever waits for it. */
  complete(record: DeploymentRecord, id: string, status: HookStatus): void {
    const execution = this.find(record, id);
    if (execution?.status !== 'InProgress') return;
    this.store.update(() => {
      execution.status = status;
    });
    const waiter = this.waiters.get(id);
    this.waiters.delete(id);
    waiter?.(status);
  }

  /** Resolves with the reported status, or undefined when the signal aborts first. */
  reported(record: DeploymentRecord, id: string, signal: AbortSignal): Promise<HookStatus | undefined> {
    const status = this.find(record, id)?.status;
    if (status === 'Succeeded' || status === 'Failed') return Promise.resolve(status);
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters.delete(id);
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(id, (reportedStatus) => {
        signal.removeEventListener('abort', onAbort);
        resolve(reportedStatus);
      });
    });
  }
}
