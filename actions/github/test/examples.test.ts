import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

// The workflows in examples/github are what users copy: every step of ours they hold must only pass
// inputs action.yml declares (the runner only warns about unknown ones, and the setting is silently
// lost) and must give every required one.

const PACKAGE_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const EXAMPLES_DIR = resolve(PACKAGE_DIR, '../../examples/github');
/** `uses:` of this action, wherever it is published: OWNER/codedeploy-gate@REF (the root action.yml) or OWNER/REPO/actions/github@REF. */
const OUR_ACTION = /^[^/\s]+\/codedeploy-gate@[^/\s]+$|(^|\/)actions\/github@[^/\s]+$/;

interface ActionInput {
  required?: boolean;
  default?: string;
}

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

interface Workflow {
  jobs?: Record<string, { steps?: Step[] }>;
}

const action = load(readFileSync(join(PACKAGE_DIR, 'action.yml'), 'utf8')) as {
  inputs: Record<string, ActionInput>;
};
const declared = new Set(Object.keys(action.inputs));
const required = Object.entries(action.inputs)
  .filter(([, input]) => input.required === true)
  .map(([name]) => name);

const workflows = readdirSync(EXAMPLES_DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();

function ourSteps(workflow: Workflow): Array<{ where: string; step: Step }> {
  return Object.entries(workflow.jobs ?? {}).flatMap(([job, { steps = [] }]) =>
    steps
      .filter((step) => typeof step.uses === 'string' && OUR_ACTION.test(step.uses))
      .map((step, index) => ({ where: `job ${job}, step ${step.id ?? step.name ?? index + 1}`, step })),
  );
}

describe('examples/github workflows', () => {
  it('has the three example workflows', () => {
    expect(workflows.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(workflows)('%s', (file) => {
    const workflow = load(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Workflow;
    const steps = ourSteps(workflow);

    it('parses as YAML with jobs and uses the action at least once', () => {
      expect(workflow.jobs).toBeTypeOf('object');
      expect(steps.length).toBeGreaterThan(0);
    });

    it('passes only inputs that action.yml declares', () => {
      const unknown = steps.flatMap(({ where, step }) =>
        Object.keys(step.with ?? {})
          .filter((name) => !declared.has(name))
          .map((name) => `${where}: ${name}`),
      );
      expect(unknown).toEqual([]);
    });

    it('gives every required input', () => {
      const missing = steps.flatMap(({ where, step }) =>
        required.filter((name) => !(name in (step.with ?? {}))).map((name) => `${where}: ${name}`),
      );
      expect(missing).toEqual([]);
    });
  });
});
