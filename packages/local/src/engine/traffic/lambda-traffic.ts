import type { LambdaTarget } from '@aws-sdk/client-codedeploy';
import type { LambdaRuntime } from '../../compute/runtime.js';
import type { Store } from '../../state/index.js';
import type { LambdaAppSpec } from './appspec.js';
import type { TrafficRecord } from './records.js';
import type { Failure, TrafficTarget } from './target.js';

/**
 * A Lambda deployment's target: the function's alias moves from CurrentVersion to TargetVersion by
 * weighted alias routing (UpdateAlias with AdditionalVersionWeights), as CodeDeploy shifts Lambda traffic.
 */
export class LambdaTraffic implements TrafficTarget {
  constructor(
    private readonly store: Store,
    private readonly lambda: LambdaRuntime,
    private readonly target: LambdaTarget,
    private readonly traffic: TrafficRecord,
    private readonly appspec: LambdaAppSpec,
  ) {}

  /**
   * What CodeDeploy needs before touching the alias. A rollback skips the alias check: it starts
   * from wherever the failed deployment left the alias (which it moved, or there is no rollback).
   */
  check(): Failure | undefined {
    const { functionName, alias, currentVersion, targetVersion } = this.appspec;
    if (!this.lambda.functionExists(functionName)) {
      return {
        code: 'INVALID_LAMBDA_FUNCTION',
        message: `The Lambda function ${functionName} in the AppSpec file does not exist.`,
      };
    }
    const view = this.lambda.alias(functionName, alias);
    if (!view) {
      return {
        code: 'INVALID_LAMBDA_CONFIGURATION',
        message: `The alias ${alias} of the Lambda function ${functionName} does not exist.`,
      };
    }
    for (const version of [currentVersion, targetVersion]) {
      if (!this.lambda.versionExists(functionName, version)) {
        return {
          code: 'INVALID_LAMBDA_CONFIGURATION',
          message: `Version ${version} of the Lambda function ${functionName} does not exist; publish it, then deploy again.`,
        };
      }
    }
    if (this.traffic.rollback !== true && view.version !== currentVersion) {
      return {
        code: 'INVALID_LAMBDA_CONFIGURATION',
        message: `The alias ${alias} of ${functionName} points to version ${view.version}, not to the CurrentVersion ${currentVersion} of the AppSpec file.`,
      };
    }
    return undefined;
  }

  serviceEvent(): Failure | undefined {
    return undefined;
  }

  /** Below 100 % the alias stays on CurrentVersion with TargetVersion weighted; at 100 % it moves over. */
  shift(percent: number): void {
    const { functionName, alias, currentVersion, targetVersion } = this.appspec;
    if (percent >= 100) {
      this.lambda.routeAlias(functionName, alias, { version: targetVersion, weights: {} });
    } else {
      this.lambda.routeAlias(functionName, alias, {
        version: currentVersion,
        weights: { [targetVersion]: percent / 100 },
      });
    }
    this.store.update(() => {
      // From here on a rollback has an alias to move back.
      this.traffic.touched = true;
      if (this.target.lambdaFunctionInfo) this.target.lambdaFunctionInfo.targetVersionWeight = percent;
    });
  }

  async complete(): Promise<'done'> {
    return 'done';
  }
}
