import type { DeploymentWaitType } from '@aws-sdk/client-codedeploy';
import type { Store } from '../state/index.js';

/**
 * What every CodeDeploy operation handler gets. Handlers take the operation's input shape (the SDK's
 * `XxxInput` type) and return its output shape (`XxxOutput`), throwing CodeDeployError for modelled
 * exceptions. Dates in outputs are Date objects; the wire layer turns them into epoch seconds.
 */
export interface OperationContext {
  store: Store;
  /** 12-digit fake account id used in ARNs. */
  accountId: string;
  region: string;
  /** Base URL of this server (`http://127.0.0.1:PORT`), for the agent's S3 downloads. */
  endpoint: string;
  now(): Date;
  /** The deployment engine (set by the server); handlers for deployments call into it. */
  engine: DeploymentEngineHandle;
  /** Folder holding one folder per on-premises instance; RegisterOnPremisesInstance creates it. */
  instancesDir?: string;
}

/** The engine surface the operation handlers need (implemented in src/engine). */
export interface DeploymentEngineHandle {
  /** Called after CreateDeployment has stored the record: schedule it (queue behind an active one). */
  start(deploymentId: string): void;
  /** StopDeployment: stop scheduling new instances, let in-flight events end, mark Stopped. */
  stop(deploymentId: string, autoRollbackEnabled: boolean | undefined): Promise<void>;
  /**
   * ContinueDeployment on an ECS deployment: ends its READY_WAIT (it is Ready) or its TERMINATION_WAIT;
   * DeploymentIsNotInReadyStateException when it is not in that wait.
   */
  continue(deploymentId: string, waitType: DeploymentWaitType): void;
  /**
   * PutLifecycleEventHookExecutionStatus, once the operation has validated it: the hook execution
   * completes with this status and the deployment waiting for it goes on.
   */
  reportHookExecution(deploymentId: string, executionId: string, status: 'Succeeded' | 'Failed'): void;
  /** Resolves when every running deployment has settled (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops all work (server close). */
  close(): Promise<void>;
}

/** One operation's handler; the context is CodeDeploy's unless a service names its own. */
export type Operation<Context = OperationContext> = (
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own input with the SDK's type.
  input: any,
  context: Context,
) => unknown | Promise<unknown>;

/** Handlers by operation name (the part of X-Amz-Target after the prefix, e.g. `CodeDeploy_20141006.`). */
export type OperationTable<Context = OperationContext> = Record<string, Operation<Context>>;
