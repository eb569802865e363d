import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CORE_SCHEMA,
  defineMappingTag,
  defineScalarTag,
  defineSequenceTag,
  load,
  type Schema,
} from 'js-yaml';
import { describe, expect, it } from 'vitest';

// examples/codepipeline holds what operators copy: the CloudFormation template, the systemd unit and
// the Containerfile. These tests keep them in step with the worker they run (action-type.json, cli.ts).
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES_DIR = fileURLToPath(new URL('../../../examples/codepipeline/', import.meta.url));

const read = (path: string) => readFileSync(path, 'utf8');

interface ConfigurationProperty {
  name: string;
  required: boolean;
  key: boolean;
  secret: boolean;
  queryable?: boolean;
  description?: string;
  type?: string;
}

interface ActionTypeJson {
  category: string;
  provider: string;
  version: string;
  settings: Record<string, string>;
  configurationProperties: ConfigurationProperty[];
  inputArtifactDetails: { minimumCount: number; maximumCount: number };
  outputArtifactDetails: { minimumCount: number; maximumCount: number };
}

type Json = unknown;
type Node = Record<string, Json>;

interface Template {
  Parameters: Record<string, { Default?: string }>;
  Conditions: Record<string, Json>;
  Resources: Record<
    string,
    { Type: string; Properties?: Node; DependsOn?: string | string[]; Condition?: string }
  >;
  Outputs: Record<string, Node>;
}

const ACTION_TYPE = JSON.parse(read(`${PACKAGE_DIR}action-type.json`)) as ActionTypeJson;

/**
 * CloudFormation's short intrinsic tags, read as their long forms (`!Ref X` is `{ Ref: X }`,
 * `!Sub [text, vars]` is `{ 'Fn::Sub': [text, vars] }`), in any node kind the tag may take.
 */
function cloudFormationSchema(): Schema {
  const longForms: Record<string, string> = {
    Ref: 'Ref',
    Condition: 'Condition',
    GetAtt: 'Fn::GetAtt',
    ...Object.fromEntries(
      [
        'And',
        'Base64',
        'Cidr',
        'Equals',
        'FindInMap',
        'GetAZs',
        'If',
        'ImportValue',
        'Join',
        'Not',
        'Or',
        'Select',
        'Split',
        'Sub',
        'Transform',
      ].map((name) => [name, `Fn::${name}`]),
    ),
  };
  const tags = Object.entries(longForms).flatMap(([short, long]) => {
    const tag = `!${short}`;
    return [
      defineScalarTag(tag, {
        // `!GetAtt Resource.Attribute` is the scalar spelling of ['Resource', 'Attribute'].
        resolve: (source) => ({
          [long]:
            short === 'GetAtt'
              ? [source.slice(0, source.indexOf('.')), source.slice(source.indexOf('.') + 1)]
              : source,
        }),
        identify: () => false,
      }),
      defineSequenceTag<unknown[], Node>(tag, {
        create: () => [],
        addItem: (items, item) => {
          items.push(item);
        },
        finalize: (items) => ({ [long]: items }),
        identify: () => false,
      }),
      defineMappingTag<Node, Node>(tag, {
        create: () => ({}),
        addPair: (mapping, key, value) => {
          mapping[String(key)] = value;
          return '';
        },
        has: (mapping, key) => Object.hasOwn(mapping, String(key)),
        keys: (mapping) => Object.keys(mapping),
        get: (mapping, key) => mapping[String(key)],
        finalize: (mapping) => ({ [long]: mapping }),
        identify: () => false,
      }),
    ];
  });
  return CORE_SCHEMA.withTags(...tags);
}

function loadTemplate(): Template {
  return load(read(`${EXAMPLES_DIR}template.yaml`), { schema: cloudFormationSchema() }) as Template;
}

function resourcesOfType(template: Template, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** Every object node of a parsed document, depth first. */
function* objects(value: Json): Generator<Node> {
  if (Array.isArray(value)) {
    for (const item of value) yield* objects(item);
  } else if (value !== null && typeof value === 'object') {
    yield value as Node;
    for (const item of Object.values(value)) yield* objects(item);
  }
}

/** The names a `Fn::Sub` string refers to: `${Name}` and `${Resource.Attribute}`, not `${!Literal}`. */
function subReferences(text: string): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map(
    (match) => (match[1] as string).split('.')[0] as string,
  );
}

const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];

/** CloudFormation's property names for a configuration property, PascalCase. */
function fromTemplateProperty(property: Node): ConfigurationProperty {
  return {
    name: property.Name as string,
    required: property.Required as boolean,
    key: property.Key as boolean,
    secret: property.Secret as boolean,
    queryable: property.Queryable as boolean,
    description: property.Description as string,
    type: property.Type as string,
  };
}

/** The `{Config:Name}` and `{ExternalExecutionId}` placeholders of a URL template. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(Config:[A-Za-z0-9_-]+|ExternalExecutionId)\}/g)].map((m) => m[1] as string);
}

describe('examples/codepipeline/template.yaml', () => {
  const template = loadTemplate();
  const actionTypes = resourcesOfType(template, 'AWS::CodePipeline::CustomActionType');
  const actionType = actionTypes[0]?.[1].Properties as Node;

  it('defines one Deploy action type whose Provider and Version are parameters defaulting to action-type.json', () => {
    expect(actionTypes).toHaveLength(1);
    expect(actionType.Category).toBe(ACTION_TYPE.category);
    expect(actionType.Provider).toEqual({ Ref: 'Provider' });
    expect(actionType.Version).toEqual({ Ref: 'Version' });
    expect(template.Parameters.Provider?.Default).toBe(ACTION_TYPE.provider);
    expect(template.Parameters.Version?.Default).toBe(ACTION_TYPE.version);
  });

  it("declares exactly action-type.json's configuration properties and artifact counts", () => {
    const properties = (actionType.ConfigurationProperties as Node[]).map(fromTemplateProperty);
    expect(properties).toEqual(ACTION_TYPE.configurationProperties);
    const counts = (details: Json) => {
      const { MinimumCount, MaximumCount } = details as Node;
      return { minimumCount: MinimumCount, maximumCount: MaximumCount };
    };
    expect(counts(actionType.InputArtifactDetails)).toEqual(ACTION_TYPE.inputArtifactDetails);
    expect(counts(actionType.OutputArtifactDetails)).toEqual(ACTION_TYPE.outputArtifactDetails);
  });

  it('links to the same CodeDeploy pages as action-type.json, through required, non-secret properties only', () => {
    const settings = actionType.Settings as Record<string, Node>;
    const text = (name: string) => {
      const value = settings[name];
      return typeof value === 'string' ? value : ((value?.['Fn::Sub'] as string | undefined) ?? '');
    };
    expect(placeholders(text('EntityUrlTemplate'))).toEqual(
      placeholders(ACTION_TYPE.settings.entityUrlTemplate as string),
    );
    expect(placeholders(text('ExecutionUrlTemplate'))).toEqual(['ExternalExecutionId']);
    // CodePipeline fills {Config:Name} only for a property that is required and not secret.
    for (const placeholder of placeholders(text('EntityUrlTemplate'))) {
      const property = ACTION_TYPE.configurationProperties.find((p) => `Config:${p.name}` === placeholder);
      expect(property, placeholder).toMatchObject({ required: true, secret: false });
    }
  });

  it('configures every use of the custom action with declared properties, the required ones included', () => {
    const [pipeline] = resourcesOfType(template, 'AWS::CodePipeline::Pipeline');
    const actions = [...objects(pipeline?.[1].Properties)].filter(
      (node) => (node.ActionTypeId as Node | undefined)?.Owner === 'Custom',
    );
    expect(actions.length).toBeGreaterThan(0);
    const declared = ACTION_TYPE.configurationProperties.map((p) => p.name);
    const required = ACTION_TYPE.configurationProperties.filter((p) => p.required).map((p) => p.name);
    for (const action of actions) {
      expect(action.ActionTypeId).toEqual({
        Category: ACTION_TYPE.category,
        Owner: 'Custom',
        Provider: { Ref: 'Provider' },
        Version: { Ref: 'Version' },
      });
      const names = Object.keys(action.Configuration as Node);
      expect(declared).toEqual(expect.arrayContaining(names));
      expect(names).toEqual(expect.arrayContaining(required));
      // The first input artifact is the one deployed (or holding the RevisionSpec); others are images.
      const inputs = action.InputArtifacts as Node[];
      expect(inputs[0]).toEqual({ Name: 'Release' });
      expect(inputs.length).toBeLessThanOrEqual(ACTION_TYPE.inputArtifactDetails.maximumCount);
    }
    // The stages name the action type by parameters, so only DependsOn orders its creation first.
    expect(pipeline?.[1].DependsOn).toBe(actionTypes[0]?.[0]);
  });

  it('feeds the custom actions only artifacts the pipeline makes, and shows a Lambda/ECS stage with a check', () => {
    const [pipeline] = resourcesOfType(template, 'AWS::CodePipeline::Pipeline');
    const nodes = [...objects(pipeline?.[1].Properties)];
    const made = new Set(
      nodes.flatMap((node) => ((node.OutputArtifacts as Node[] | undefined) ?? []).map((a) => a.Name)),
    );
    const custom = nodes.filter((node) => (node.ActionTypeId as Node | undefined)?.Owner === 'Custom');
    for (const action of custom) {
      for (const input of action.InputArtifacts as Node[]) expect(made).toContain(input.Name);
    }
    const compute = custom.find((action) => (action.Configuration as Node).RevisionSpec !== undefined);
    expect(compute?.Configuration).toMatchObject({
      RevisionSpec: expect.stringMatching(/\.ya?ml$/),
      ContinueAfter: expect.any(String),
    });
  });

  it("grants the worker what each stage's deployment needs, an inline AppSpec's registration included", () => {
    const [pipeline] = resourcesOfType(template, 'AWS::CodePipeline::Pipeline');
    const [, role] =
      resourcesOfType(template, 'AWS::IAM::Role').find(([name]) => name === 'WorkerRole') ?? [];
    const statements = [...objects(role?.Properties?.Policies)].filter((node) => 'Effect' in node);
    const resourceTexts = (resource: Json): string[] =>
      [...objects([resource]), resource].flatMap((node) =>
        typeof node === 'string'
          ? [node]
          : typeof node === 'object' && node && 'Fn::Sub' in node
            ? [String((node as Node)['Fn::Sub'])]
            : [],
      );
    /** The actions granted on a resource whose ARN text contains `arn` (or on "*"). */
    const granted = (arn: string) =>
      statements
        .filter((statement) =>
          resourceTexts(statement.Resource).some((text) => text === '*' || text.includes(arn)),
        )
        .flatMap((statement) => [statement.Action].flat() as string[]);
    const actions = [...objects(pipeline?.[1].Properties)].filter(
      (node) => (node.ActionTypeId as Node | undefined)?.Owner === 'Custom',
    );
    const compute = actions.filter((action) => (action.Configuration as Node).RevisionSpec !== undefined);
    expect(compute.length).toBeGreaterThanOrEqual(2);
    for (const action of actions) {
      const { ApplicationName, DeploymentGroupName } = action.Configuration as Record<string, Node>;
      const application = `application:\${${ApplicationName?.Ref}}`;
      const group = `deploymentgroup:\${${ApplicationName?.Ref}}/\${${DeploymentGroupName?.Ref}}`;
      // CreateDeployment with an AppSpecContent revision registers it with the application.
      expect(granted(application)).toEqual(
        expect.arrayContaining([
          'codedeploy:GetApplication',
          'codedeploy:GetApplicationRevision',
          'codedeploy:RegisterApplicationRevision',
        ]),
      );
      expect(granted(group)).toEqual(
        expect.arrayContaining(['codedeploy:CreateDeployment', 'codedeploy:GetDeployment']),
      );
    }
    const all = statements.flatMap((statement) => [statement.Action].flat() as string[]);
    expect(all).toEqual(
      expect.arrayContaining([
        'lambda:GetFunctionConfiguration',
        'lambda:GetAlias',
        'lambda:UpdateFunctionCode',
        'lambda:PublishVersion',
        'ecs:DescribeServices',
        'ecs:DescribeTaskDefinition',
        'ecs:RegisterTaskDefinition',
        'iam:PassRole',
      ]),
    );
  });

  // cfn-lint knows CloudFormation's resource schemas and IAM's action names; where it is installed
  // (pip install cfn-lint), the template must pass it. Elsewhere the checks above still run.
  const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  it.skipIf(cfnLint.error !== undefined || cfnLint.status !== 0)('passes cfn-lint', () => {
    const lint = spawnSync('cfn-lint', [`${EXAMPLES_DIR}template.yaml`], { encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  });

  it('refers only to parameters, resources, conditions and pseudo parameters it defines', () => {
    const names = new Set([
      ...Object.keys(template.Parameters),
      ...Object.keys(template.Resources),
      ...PSEUDO_PARAMETERS,
    ]);
    const resources = new Set(Object.keys(template.Resources));
    const conditions = new Set(Object.keys(template.Conditions));
    const missing: string[] = [];
    const check = (kind: string, name: unknown, known: Set<string>) => {
      if (typeof name !== 'string' || !known.has(name)) missing.push(`${kind} ${String(name)}`);
    };
    const sections = [template.Conditions, template.Resources, template.Outputs];
    let references = 0;
    for (const node of objects(sections)) {
      if ('Ref' in node) {
        check('Ref', node.Ref, names);
        references++;
      }
      if ('Fn::GetAtt' in node) {
        check('GetAtt', (node['Fn::GetAtt'] as Json[])[0], resources);
        references++;
      }
      if ('Fn::Sub' in node) {
        const sub = node['Fn::Sub'];
        const [text, variables] = Array.isArray(sub) ? sub : [sub, {}];
        const local = new Set([...names, ...Object.keys(variables as Node)]);
        for (const name of subReferences(text as string)) check('Sub', name, local);
        references++;
      }
      if ('Fn::If' in node) check('If', (node['Fn::If'] as Json[])[0], conditions);
    }
    for (const [name, resource] of Object.entries(template.Resources)) {
      for (const target of [resource.DependsOn ?? []].flat()) check(`${name} DependsOn`, target, resources);
      if (resource.Condition !== undefined) check(`${name} Condition`, resource.Condition, conditions);
    }
    expect(references).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});

/** The worker's options as `parseArgs` in src/cli.ts declares them: name → takes a value. */
function workerOptions(): Map<string, boolean> {
  const source = read(`${PACKAGE_DIR}src/cli.ts`);
  const block = /options:\s*\{([\s\S]*?)\n\s*\},\n\s*strict/.exec(source)?.[1] ?? '';
  const options = new Map<string, boolean>();
  for (const match of block.matchAll(/^\s*'?([a-z][a-z-]*)'?:\s*\{\s*type:\s*'(string|boolean)'/gm)) {
    options.set(`--${match[1]}`, match[2] === 'string');
  }
  return options;
}

/** Problems with a worker command line's options (after the script), as the worker would see them. */
function optionProblems(args: string[]): string[] {
  const options = workerOptions();
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = (args[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!name.startsWith('--')) {
      problems.push(`stray argument ${name}`);
      continue;
    }
    const takesValue = options.get(name);
    if (takesValue === undefined) problems.push(`unknown option ${name}`);
    else if (takesValue && inline === undefined) {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) problems.push(`${name} without a value`);
    } else if (!takesValue && inline !== undefined) problems.push(`${name} takes no value`);
  }
  for (const required of ['--provider', '--version']) {
    if (!args.some((arg) => arg === required || arg.startsWith(`${required}=`))) {
      problems.push(`${required} missing`);
    }
  }
  return problems;
}

/** The value an option has on a command line. */
function optionValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

/** A Containerfile's instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Array<[string, string]> {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return [(keyword as string).toUpperCase(), rest.join(' ')];
    });
}

describe('the worker command lines in examples/codepipeline', () => {
  it("reads the worker's options from src/cli.ts", () => {
    const options = workerOptions();
    expect(options.get('--provider')).toBe(true);
    expect(options.get('--health-file')).toBe(true);
    expect(options.get('--debug')).toBe(false);
  });

  it('starts the bundled worker under systemd with options it accepts, its health file in the state directory', () => {
    const unit = read(`${EXAMPLES_DIR}codedeploy-gate-codepipeline.service`).replace(/\\\n/g, ' ');
    const setting = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(unit)?.[1]?.trim();
    const [node, script, ...args] = (setting('ExecStart') ?? '').split(/\s+/);
    expect(node).toBe('/usr/bin/node');
    expect(script).toBe('/opt/codedeploy-gate/actions/codepipeline/dist/index.js');
    expect(optionProblems(args)).toEqual([]);
    // The worker journals to $STATE_DIRECTORY, which StateDirectory= sets (%S is its root, /var/lib).
    expect(args).not.toContain('--state-dir');
    expect(optionValue(args, '--health-file')).toBe(`%S/${setting('StateDirectory')}/health.json`);
    // systemd must wait out the worker's shutdown grace before SIGKILL.
    expect(Number(setting('TimeoutStopSec'))).toBeGreaterThan(60);
  });

  it('runs the bundle copied into the image with options it accepts, its files on the volume', () => {
    const steps = instructions(read(`${EXAMPLES_DIR}Containerfile`));
    const step = (keyword: string) => steps.filter(([k]) => k === keyword).map(([, rest]) => rest);
    expect(step('FROM')).toEqual(['node:24-slim']);
    expect(step('COPY')).toEqual(['actions/codepipeline/dist/ /opt/codedeploy-gate/dist/']);
    expect(JSON.parse(step('ENTRYPOINT')[0] as string)).toEqual([
      'node',
      '/opt/codedeploy-gate/dist/index.js',
    ]);
    const args = JSON.parse(step('CMD')[0] as string) as string[];
    expect(optionProblems(args)).toEqual([]);
    const [volume] = step('VOLUME');
    expect(optionValue(args, '--state-dir')).toBe(volume);
    expect(optionValue(args, '--health-file')).toBe(`${volume}/health.json`);
    // The HEALTHCHECK reads the file the worker writes.
    expect(step('ENV').join(' ')).toContain(`HEALTH_FILE=${optionValue(args, '--health-file')}`);
    expect(step('USER')).toEqual(['node']);
    expect(step('STOPSIGNAL')).toEqual(['SIGTERM']);
  });
});
