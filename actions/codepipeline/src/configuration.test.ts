import { InvalidInputError } from '@codedeploy-gate/core';
import { describe, expect, it } from 'vitest';
import { readSettings } from './configuration.js';

const CONTEXT = {
  pipelineName: 'shop',
  pipelineExecutionId: 'e-1',
  stage: { name: 'Deploy' },
  action: { name: 'Gate', actionExecutionId: 'a-1' },
};

describe('readSettings', () => {
  it('takes the required names, defaults the rest, and describes the deployment by its pipeline', () => {
    expect(readSettings({ ApplicationName: 'shop', DeploymentGroupName: 'prod' }, CONTEXT)).toEqual({
      application: 'shop',
      deploymentGroup: 'prod',
      deploymentConfig: undefined,
      bundlePath: undefined,
      revisionSpec: undefined,
      continueAfter: undefined,
      description: 'CodePipeline shop Deploy/Gate execution e-1',
      timeoutMinutes: 60,
      onTimeout: 'rollback',
    });
  });

  it('normalises BundlePath and reads numbers and policies', () => {
    const settings = readSettings(
      {
        ApplicationName: 'shop',
        DeploymentGroupName: 'prod',
        BundlePath: './deploy//app/',
        TimeoutMinutes: '2.5',
        OnTimeout: 'Stop',
      },
      CONTEXT,
    );
    expect(settings).toMatchObject({ bundlePath: 'deploy/app', timeoutMinutes: 2.5, onTimeout: 'stop' });
    expect(
      readSettings({ ApplicationName: 'a', DeploymentGroupName: 'g', BundlePath: '.' }, CONTEXT).bundlePath,
    ).toBe(undefined);
  });

  it('reads a Lambda/ECS RevisionSpec path and a ContinueAfter command as given', () => {
    const settings = readSettings(
      {
        ApplicationName: 'a',
        DeploymentGroupName: 'g',
        RevisionSpec: './deploy//revision.yaml',
        ContinueAfter: ' ./checks/smoke.sh --strict ',
      },
      CONTEXT,
    );
    expect(settings).toMatchObject({
      revisionSpec: 'deploy/revision.yaml',
      continueAfter: './checks/smoke.sh --strict',
    });
  });

  it.each([
    [{ DeploymentGroupName: 'prod' }, /ApplicationName is required/],
    [
      { ApplicationName: 'a', DeploymentGroupName: 'g', RevisionSpec: '../r.yaml' },
      /RevisionSpec "..\/r.yaml" is not a file inside/,
    ],
    [
      { ApplicationName: 'a', DeploymentGroupName: 'g', RevisionSpec: '.' },
      /RevisionSpec "." is not a file inside/,
    ],
    [
      { ApplicationName: 'a', DeploymentGroupName: 'g', RevisionSpec: 'r.yaml', BundlePath: 'deploy' },
      /RevisionSpec and BundlePath are both set/,
    ],
    [{ ApplicationName: 'shop', DeploymentGroupName: ' ' }, /DeploymentGroupName is required/],
    [
      { ApplicationName: 'a', DeploymentGroupName: 'g', BundlePath: '../etc' },
      /BundlePath "..\/etc" is not a folder/,
    ],
    [{ ApplicationName: 'a', DeploymentGroupName: 'g', BundlePath: '/etc' }, /BundlePath/],
    [
      { ApplicationName: 'a', DeploymentGroupName: 'g', TimeoutMinutes: 'soon' },
      /TimeoutMinutes must be a number/,
    ],
    [{ ApplicationName: 'a', DeploymentGroupName: 'g', TimeoutMinutes: '2000' }, /at most 1440/],
    [
      { ApplicationName: 'a', DeploymentGroupName: 'g', OnTimeout: 'panic' },
      /OnTimeout must be stop, rollback or leave/,
    ],
  ])('rejects %j as invalid input (ConfigurationError)', (configuration, message) => {
    expect(() => readSettings(configuration, CONTEXT)).toThrow(InvalidInputError);
    expect(() => readSettings(configuration, CONTEXT)).toThrow(message);
  });
});
