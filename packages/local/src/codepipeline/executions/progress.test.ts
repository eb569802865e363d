import type { ActionExecutionStatus, StageDeclaration } from '@aws-sdk/client-codepipeline';
import { describe, expect, it } from 'vitest';
import { nextStep, stageStatus } from './progress.js';

const STAGES: StageDeclaration[] = [
  { name: 'Source', actions: [{ name: 'Src', actionTypeId: undefined }] },
  {
    name: 'Deploy',
    actions: [
      { name: 'Migrate', runOrder: 1, actionTypeId: undefined },
      { name: 'Web', runOrder: 2, actionTypeId: undefined },
      { name: 'Worker', runOrder: 2, actionTypeId: undefined },
    ],
  },
  { name: 'Prod', actions: [{ name: 'Ship', actionTypeId: undefined }] },
];

/** Statuses by `stage/action`; the ones not listed have not started. */
function statuses(known: Record<string, ActionExecutionStatus>) {
  return (stage: string, action: string) => known[`${stage}/${action}`];
}

const names = (step: ReturnType<typeof nextStep>) =>
  step.kind === 'run' ? step.actions.map((action) => action.name) : step;

describe('nextStep', () => {
  it('starts with the first stage and waits while an action runs', () => {
    expect(names(nextStep(STAGES, statuses({})))).toEqual(['Src']);
    expect(nextStep(STAGES, statuses({ 'Source/Src': 'InProgress' }))).toEqual({ kind: 'wait' });
  });

  it('runs a stage by runOrder: the lowest group first, then the actions of the next group side by side', () => {
    expect(names(nextStep(STAGES, statuses({ 'Source/Src': 'Succeeded' })))).toEqual(['Migrate']);
    expect(
      names(nextStep(STAGES, statuses({ 'Source/Src': 'Succeeded', 'Deploy/Migrate': 'Succeeded' }))),
    ).toEqual(['Web', 'Worker']);
  });

  it('lets the actions of a group finish before failing the execution, and runs nothing after a failure', () => {
    const failedOne = {
      'Source/Src': 'Succeeded',
      'Deploy/Migrate': 'Succeeded',
      'Deploy/Web': 'Failed',
    } as const;
    expect(nextStep(STAGES, statuses({ ...failedOne, 'Deploy/Worker': 'InProgress' }))).toEqual({
      kind: 'wait',
    });
    expect(nextStep(STAGES, statuses({ ...failedOne, 'Deploy/Worker': 'Succeeded' }))).toEqual({
      kind: 'finish',
      status: 'Failed',
    });
  });

  it('succeeds once the last action of the last stage has succeeded', () => {
    const all = statuses({
      'Source/Src': 'Succeeded',
      'Deploy/Migrate': 'Succeeded',
      'Deploy/Web': 'Succeeded',
      'Deploy/Worker': 'Succeeded',
      'Prod/Ship': 'Succeeded',
    });
    expect(nextStep(STAGES, all)).toEqual({ kind: 'finish', status: 'Succeeded' });
  });
});

describe('stageStatus', () => {
  const deploy = STAGES[1]!;
  it('is undefined for a stage the execution never entered', () => {
    expect(stageStatus(deploy, statuses({}))).toBeUndefined();
  });

  it('is InProgress between two runOrder groups, Failed once a settled action failed, Succeeded when all did', () => {
    expect(stageStatus(deploy, statuses({ 'Deploy/Migrate': 'Succeeded' }))).toBe('InProgress');
    expect(stageStatus(deploy, statuses({ 'Deploy/Migrate': 'Failed' }))).toBe('Failed');
    expect(
      stageStatus(
        deploy,
        statuses({ 'Deploy/Migrate': 'Succeeded', 'Deploy/Web': 'Succeeded', 'Deploy/Worker': 'Succeeded' }),
      ),
    ).toBe('Succeeded');
  });
});
