import type { DeploymentRecord } from '../../state/index.js';
import { trafficOf } from './records.js';

/**
 * A Lambda or ECS deployment the server stopped under, as a restart finds it: the event that was
 * running failed with `message`, the rest Skipped, the target Failed, and open hook executions closed
 * so a late report is LifecycleEventAlreadyCompletedException. Nothing is re-run. Call inside
 * `store.update`.
 */
export function failInterruptedTarget(record: DeploymentRecord, now: Date, message: string): void {
  for (const target of Object.values(record.targets)) {
    for (const event of target.lifecycleEvents ?? []) {
      if (event.status === 'InProgress') {
        event.status = 'Failed';
        event.endTime = now;
        event.diagnostics = { errorCode: 'UnknownError', scriptName: '', message, logTail: '' };
      } else if (event.status === 'Pending') {
        event.status = 'Skipped';
        event.endTime = now;
      }
    }
    target.status = 'Failed';
    target.lastUpdatedAt = now;
  }
  for (const execution of Object.values(trafficOf(record)?.hookExecutions ?? {})) {
    if (execution.status === 'InProgress') execution.status = 'Failed';
  }
}
