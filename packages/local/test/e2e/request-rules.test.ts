import {
  ApplicationAlreadyExistsException,
  ApplicationNameRequiredException,
  BatchGetApplicationsCommand,
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  BatchLimitExceededException,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  DeploymentDoesNotExistException,
  DeploymentGroupNameRequiredException,
  DeploymentTargetListSizeExceededException,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  InvalidApplicationNameException,
  InvalidDeploymentGroupNameException,
  InvalidSortOrderException,
  ListApplicationRevisionsCommand,
  ListDeploymentsCommand,
  type SortOrder,
} from '@aws-sdk/client-codedeploy';
import { PollForJobsCommand } from '@aws-sdk/client-codepipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, ROLE_ARN, rejectionOf, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { maxAttempts: 1 });
  await h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'rules-app' }));
  await h.codeDeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: 'rules-app',
      deploymentGroupName: 'rules-group',
      serviceRoleArn: ROLE_ARN,
    }),
  );
});
afterAll(() => h.close());

describe('request rules the service enforces', () => {
  it('ListDeployments takes applicationName and deploymentGroupName together or not at all', async () => {
    const appOnly = await rejectionOf(
      h.codeDeploy.send(new ListDeploymentsCommand({ applicationName: 'rules-app' })),
    );
    expect(appOnly).toBeInstanceOf(DeploymentGroupNameRequiredException);
    expect(appOnly.message).toBe(
      'The deployment group name was not specified. If applicationName is specified, then deploymentGroupName must be specified.',
    );
    const groupOnly = await rejectionOf(
      h.codeDeploy.send(new ListDeploymentsCommand({ deploymentGroupName: 'rules-group' })),
    );
    expect(groupOnly).toBeInstanceOf(ApplicationNameRequiredException);
    const both = await h.codeDeploy.send(
      new ListDeploymentsCommand({ applicationName: 'rules-app', deploymentGroupName: 'rules-group' }),
    );
    expect(both.deployments).toEqual([]);
    expect((await h.codeDeploy.send(new ListDeploymentsCommand({}))).deployments).toEqual([]);
  });

  it("answers a name longer than the model's 100 characters with the member's own exception", async () => {
    const long = 'a'.repeat(101);
    const app = await rejectionOf(h.codeDeploy.send(new CreateApplicationCommand({ applicationName: long })));
    expect(app).toBeInstanceOf(InvalidApplicationNameException);
    expect(app.message).toBe(
      `The application name was specified in an invalid format. Value '${long}' at 'applicationName' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
    const group = await rejectionOf(
      h.codeDeploy.send(
        new GetDeploymentGroupCommand({ applicationName: 'rules-app', deploymentGroupName: long }),
      ),
    );
    expect(group).toBeInstanceOf(InvalidDeploymentGroupNameException);
    const empty = await rejectionOf(h.codeDeploy.send(new GetApplicationCommand({ applicationName: '' })));
    expect(empty).toBeInstanceOf(ApplicationNameRequiredException);
    expect(empty.message).toBe('The minimum number of required application names was not specified.');
  });

  it('refuses batches past the sizes the API reference gives, with the service message', async () => {
    const apps = await rejectionOf(
      h.codeDeploy.send(
        new BatchGetApplicationsCommand({ applicationNames: Array.from({ length: 101 }, (_, i) => `a${i}`) }),
      ),
    );
    expect(apps).toBeInstanceOf(BatchLimitExceededException);
    expect(apps.message).toBe(
      'The maximum number of names or IDs allowed for this request (100) was exceeded.',
    );
    const deployments = await rejectionOf(
      h.codeDeploy.send(new BatchGetDeploymentsCommand({ deploymentIds: Array(26).fill('d-AAAAAAAAA') })),
    );
    expect(deployments).toBeInstanceOf(BatchLimitExceededException);
    expect(deployments.message).toBe(
      'The maximum number of names or IDs allowed for this request (25) was exceeded.',
    );
  });

  it('says the EC2/On-premises limit when BatchGetDeploymentTargets gets 26 ids', async () => {
    const error = await rejectionOf(
      h.codeDeploy.send(
        new BatchGetDeploymentTargetsCommand({
          deploymentId: 'd-AAAAAAAAA',
          targetIds: Array.from({ length: 26 }, (_, i) => `i-${i}`),
        }),
      ),
    );
    expect(error).toBeInstanceOf(DeploymentTargetListSizeExceededException);
    expect(error.message).toBe('The maximum number of deployment target IDs you can specify is 25.');
  });

  it("maps an enum value outside the model to the operation's documented exception", async () => {
    const error = await rejectionOf(
      h.codeDeploy.send(
        new ListApplicationRevisionsCommand({ applicationName: 'rules-app', sortOrder: 'up' as SortOrder }),
      ),
    );
    expect(error).toBeInstanceOf(InvalidSortOrderException);
    expect(error.message).toBe(
      "The sort order was specified in an invalid format. Value 'up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [ascending, descending]",
    );
  });

  it("answers CodePipeline's job API with ValidationException in the service's wording", async () => {
    const error = await rejectionOf(
      h.codePipeline.send(
        new PollForJobsCommand({
          actionTypeId: { category: 'Deploy', owner: 'Custom', provider: 'Gate', version: '1' },
          maxBatchSize: 0,
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value '0' at 'maxBatchSize' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});

describe("exception texts in AWS's words", () => {
  it('names the resource as the service does for "already exists" and "does not exist"', async () => {
    const again = await rejectionOf(
      h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'rules-app' })),
    );
    expect(again).toBeInstanceOf(ApplicationAlreadyExistsException);
    expect(again.message).toBe('The application rules-app already exists with the user or AWS account.');
    const missing = await rejectionOf(
      h.codeDeploy.send(new GetDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' })),
    );
    expect(missing).toBeInstanceOf(DeploymentDoesNotExistException);
    expect(missing.message).toBe('The deployment d-AAAAAAAAA does not exist with the user or AWS account.');
  });
});
