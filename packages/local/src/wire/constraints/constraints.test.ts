import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CODEDEPLOY_INPUT_RULES } from './codedeploy.generated.js';
import { validationMessage, violations } from './validate.js';

const packageRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('the generated constraint table', () => {
  it('is what scripts/gen-constraints.mjs writes from the pinned service models', async () => {
    // --check regenerates in memory and exits 1 (naming the file) when the checked-in table drifted.
    const run = promisify(execFile)(process.execPath, ['scripts/gen-constraints.mjs', '--check'], {
      cwd: packageRoot,
    });
    await expect(run).resolves.toMatchObject({ stderr: '' });
  });

  it('carries the model traits and the limits the API reference states in prose', () => {
    const listDeployments = CODEDEPLOY_INPUT_RULES.ListDeployments;
    expect(listDeployments).toMatchObject({
      members: { applicationName: { type: 'string', min: 1, max: 100 } },
    });
    expect(CODEDEPLOY_INPUT_RULES.BatchGetDeployments).toMatchObject({
      required: ['deploymentIds'],
      members: { deploymentIds: { type: 'list', max: 25 } },
    });
  });
});

describe('violations', () => {
  const rule = CODEDEPLOY_INPUT_RULES.CreateDeployment!;

  it('reports a missing required member and a too-long name with their paths', () => {
    const found = violations(rule, { applicationName: 'a'.repeat(101) });
    expect(found.map(({ path, kind }) => ({ path, kind }))).toEqual([
      { path: 'applicationName', kind: 'max' },
    ]);
    expect(violations(CODEDEPLOY_INPUT_RULES.GetApplication!, {})).toMatchObject([
      { path: 'applicationName', kind: 'required', constraint: 'Member must not be null' },
    ]);
  });

  it('walks into structures and lists, naming list items as the services do', () => {
    const found = violations(rule, {
      applicationName: 'app',
      revision: { revisionType: 'Floppy', s3Location: { bundleType: 'rar' } },
    });
    expect(found.map((violation) => violation.path)).toEqual([
      'revision.revisionType',
      'revision.s3Location.bundleType',
    ]);
    const names = violations(CODEDEPLOY_INPUT_RULES.BatchGetApplications!, {
      applicationNames: ['ok', 'k'.repeat(101)],
    });
    expect(names.map((violation) => violation.path)).toEqual(['applicationNames.2.member']);
  });

  it('words a ValidationException as AWS does', () => {
    const found = violations(CODEDEPLOY_INPUT_RULES.ListApplicationRevisions!, {
      applicationName: 'app',
      sortOrder: 'up',
    });
    expect(validationMessage(found)).toBe(
      "1 validation error detected: Value 'up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [ascending, descending]",
    );
  });

  it('lets members the model does not know through', () => {
    expect(violations(CODEDEPLOY_INPUT_RULES.ListApplications!, { somethingNew: 1 })).toEqual([]);
  });
});
