import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../errors/index.js';
import type { Clock } from './clock.js';
import { newWatchStats, watchDeployment } from './watch.js';

/** Errors a real server produces only by chance (or never: access denied); scripted here. */
function failingClient(errors: Array<{ name: string; status: number }>, then = 'Succeeded') {
  let calls = 0;
  const client = {
    send: async (command: { constructor: { name: string } }) => {
      if (command.constructor.name !== 'GetDeploymentCommand')
        return { targetIds: [], deploymentTargets: [] };
      const error = errors[calls++];
      if (error) {
        throw Object.assign(new Error(error.name), {
          name: error.name,
          $metadata: { httpStatusCode: error.status },
        });
      }
      return { deploymentInfo: { deploymentId: 'd-WATCHTEST', status: then, deploymentOverview: {} } };
    },
  } as unknown as CodeDeployClient;
  return { client, calls: () => calls };
}

const fakeClock = (): Clock & { slept: number[] } => {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
};

describe('watchDeployment', () => {
  it('rides out throttling with growing, jittered pauses and counts the throttled polls', async () => {
    const { client } = failingClient([
      { name: 'ThrottlingException', status: 400 },
      { name: 'ThrottlingException', status: 400 },
      { name: 'InternalFailure', status: 500 },
    ]);
    const clock = fakeClock();
    const stats = newWatchStats();
    const outcome = await watchDeployment(client, 'd-WATCHTEST', { clock, stats, random: () => 1 });
    expect(outcome.state).toBe('ended');
    expect(stats.throttled).toBe(3);
    expect(clock.slept).toEqual([5_000, 10_000, 20_000]);
  });

  it('gives up after the allowed run of failures with the AWS error', async () => {
    const { client, calls } = failingClient(Array(5).fill({ name: 'ThrottlingException', status: 400 }));
    const error = await watchDeployment(client, 'd-WATCHTEST', {
      clock: fakeClock(),
      maxConsecutiveErrors: 3,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe('ThrottlingException');
    expect(calls()).toBe(3);
  });

  it('fails at once on an error retrying cannot fix', async () => {
    const { client, calls } = failingClient([{ name: 'AccessDeniedException', status: 400 }]);
    const error = await watchDeployment(client, 'd-WATCHTEST', { clock: fakeClock() }).catch(
      (e: unknown) => e,
    );
    expect((error as AwsError).code).toBe('AccessDeniedException');
    expect((error as AwsError).exitCode).toBe(4);
    expect(calls()).toBe(1);
  });

  it('stops at the deadline with a fresh look', async () => {
    const { client } = failingClient([], 'InProgress');
    const clock = fakeClock();
    const outcome = await watchDeployment(client, 'd-WATCHTEST', { clock, deadline: 12_000 });
    expect(outcome.state).toBe('deadline');
    expect(clock.now()).toBe(12_000);
  });
});

describe('watchDeployment of a Lambda deployment', () => {
  it('re-reads the target on every poll while traffic shifts, and reports each new weight', async () => {
    // The counters stay "1 in progress" for the whole shift; only the weight moves.
    const weights = [0, 0, 10, 10, 100];
    let look = 0;
    let targetReads = 0;
    const client = {
      send: async (command: { constructor: { name: string } }) => {
        switch (command.constructor.name) {
          case 'GetDeploymentCommand': {
            const ended = look >= weights.length;
            look += 1;
            return {
              deploymentInfo: {
                deploymentId: 'd-LAMBDA1',
                computePlatform: 'Lambda',
                status: ended ? 'Succeeded' : 'InProgress',
                deploymentOverview: { InProgress: ended ? 0 : 1, Succeeded: ended ? 1 : 0 },
              },
            };
          }
          case 'ListDeploymentTargetsCommand':
            return { targetIds: ['my-fn:live'] };
          default:
            targetReads += 1;
            return {
              deploymentTargets: [
                {
                  deploymentTargetType: 'LambdaTarget',
                  lambdaTarget: {
                    targetId: 'my-fn:live',
                    status: 'InProgress',
                    lambdaFunctionInfo: {
                      currentVersion: '6',
                      targetVersion: '7',
                      targetVersionWeight: weights[Math.min(look, weights.length) - 1],
                    },
                  },
                },
              ],
            };
        }
      },
    } as unknown as CodeDeployClient;
    const seen: Array<number | undefined> = [];

    const outcome = await watchDeployment(client, 'd-LAMBDA1', {
      clock: fakeClock(),
      onUpdate: (snapshot) => {
        seen.push(snapshot.targets[0]?.lambdaTarget?.lambdaFunctionInfo?.targetVersionWeight);
      },
    });

    expect(outcome.state).toBe('ended');
    expect(targetReads).toBe(weights.length + 1);
    expect(seen).toEqual([0, 10, 100, 100]);
  });
});
