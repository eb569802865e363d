/**
 * What the benchmark deploys: a rolling (OneAtATime) deployment whose instances each take a share of
 * the simulated duration, with deterministic per-instance jitter, and optionally one instance whose
 * health check fails part-way through at a point drawn from the same seed.
 */

import { seededRandom } from '@codedeploy-gate/local';

export interface Scenario {
  id: 'rolling' | 'failure';
  title: string;
  instances: number;
  deploymentConfig: string;
  /** Simulated length of the whole deployment when every instance succeeds. */
  simulatedMinutes: number;
  /** 1-based position of the instance whose ValidateService fails, if any. */
  failingInstance?: number;
}

/** How one instance's hooks behave. Sleeps are wall seconds, already scaled. */
export interface InstancePlan {
  name: string;
  /** Simulated seconds this instance is meant to take (up to the failure, for the failing one). */
  plannedSimS: number;
  /** The instance's jitter factor (0.9 to 1.1). */
  jitter: number;
  startSleepS: number;
  validateSleepS: number;
  /** ValidateService's exit code: 0, or 3 for the failing instance. */
  validateExit: number;
}

/** ApplicationStart (the service warming up) takes this share of an instance; ValidateService the rest. */
const START_SHARE = 0.4;
const JITTER = 0.1;
/** Where in ValidateService the failing instance fails: anywhere from 10 % to 60 % of it. */
const FAILURE_WINDOW = [0.1, 0.6] as const;

/** Per-instance hook timings for one run: each instance ≈ its share of the deployment, ±10 %. */
export function planInstances(
  scenario: Scenario,
  instanceNames: readonly string[],
  seed: number,
  scale: number,
): InstancePlan[] {
  const random = seededRandom(seed);
  const typicalSimS = (scenario.simulatedMinutes * 60) / scenario.instances;
  return instanceNames.map((name, index) => {
    const jitter = 1 + JITTER * (2 * random() - 1);
    const failAt = FAILURE_WINDOW[0] + (FAILURE_WINDOW[1] - FAILURE_WINDOW[0]) * random();
    const simS = typicalSimS * jitter;
    const startSimS = simS * START_SHARE;
    const fails = scenario.failingInstance === index + 1;
    const validateSimS = (simS - startSimS) * (fails ? failAt : 1);
    return {
      name,
      plannedSimS: round(startSimS + validateSimS),
      jitter: round(jitter, 3),
      startSleepS: round(startSimS * scale, 3),
      validateSleepS: round(validateSimS * scale, 3),
      validateExit: fails ? 3 : 0,
    };
  });
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
