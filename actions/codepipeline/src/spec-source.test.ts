import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '@codedeploy-gate/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnpackedArtifact } from './artifact.js';
import { imageUriOf, specRevisionSource } from './spec-source.js';

const TASK_DEFINITION = JSON.stringify({
  family: 'web',
  containerDefinitions: [{ name: 'web', image: 'placeholder', portMappings: [{ containerPort: 8080 }] }],
});
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:111122223333:service/prod/web';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** An unpacked input artifact `Release` holding the spec (r.yaml), a code package and a task definition. */
async function release(spec: string, files: Record<string, string> = {}): Promise<UnpackedArtifact> {
  const dir = await mkdtemp(join(tmpdir(), 'spec-source-'));
  dirs.push(dir);
  const all = { 'r.yaml': spec, 'build/f.zip': 'zip', 'deploy/taskdef.json': TASK_DEFINITION, ...files };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return {
    name: 'Release',
    dir,
    topLevel: async () => (await readdir(dir)).join(', '),
    cleanup: async () => {},
  };
}

/** The revision source for a spec, its `{artifact: X}` images the URI `X@sha256:1`. */
async function sourceOf(spec: string, files?: Record<string, string>) {
  const artifact = await release(spec, files);
  const source = await specRevisionSource({
    artifact,
    specPath: 'r.yaml',
    imageOf: async (name) => `${name}@sha256:1`,
  });
  return { source, dir: artifact.dir };
}

describe('specRevisionSource', () => {
  it('builds a Lambda revision with core, the code package found in the artifact', async () => {
    const { source, dir } = await sourceOf(
      'lambda: { function: checkout, alias: live, zip: ./build//f.zip, appspecFormat: JSON, hooks: { AfterAllowTraffic: smoke } }',
    );
    expect(source).toEqual({
      kind: 'lambda',
      functionName: 'checkout',
      alias: 'live',
      zipFile: join(dir, 'build/f.zip'),
      hooks: { AfterAllowTraffic: 'smoke' },
      appspecFormat: 'json',
    });
    expect((await sourceOf('lambda: { function: f, alias: a, version: 7 }')).source).toMatchObject({
      targetVersion: '7',
    });
  });

  it('takes a service ARN, `assignPublicIp: disabled`, ids as one string and artifact images', async () => {
    const { source, dir } = await sourceOf(
      [
        'ecs:',
        '  taskDefinition: deploy/taskdef.json',
        `  service: ${SERVICE_ARN}`,
        '  images: { web: { artifact: WebImage } }',
        '  port: "8080"',
        '  network: { subnets: "subnet-1, subnet-2", securityGroups: [sg-1], assignPublicIp: disabled }',
        '  capacityProviders: [{ provider: FARGATE_SPOT, base: 1, weight: 2 }, FARGATE::1]',
        '  appspecFormat: yaml',
      ].join('\n'),
    );
    expect(source).toEqual({
      kind: 'ecs',
      taskDefinitionFile: join(dir, 'deploy/taskdef.json'),
      cluster: 'prod',
      service: 'web',
      images: { web: 'WebImage@sha256:1' },
      containerPort: 8080,
      networkConfiguration: {
        subnets: ['subnet-1', 'subnet-2'],
        securityGroups: ['sg-1'],
        assignPublicIp: 'DISABLED',
      },
      capacityProviderStrategy: [
        { provider: 'FARGATE_SPOT', base: 1, weight: 2 },
        { provider: 'FARGATE', weight: 1 },
      ],
      appspecFormat: 'yaml',
    });
    expect((await sourceOf('ecs: { service: prod/web }')).source).toEqual({
      kind: 'ecs',
      cluster: 'prod',
      service: 'web',
    });
  });

  // Core's rules, the CLI's and the GitHub Action's too, naming the spec file and its field.
  it.each([
    ['lambda: { alias: a }', /: lambda\.function is required here/],
    ['lambda: { function: f, alias: "  " }', /: lambda\.alias is empty/],
    [
      'lambda: { function: f, alias: a, version: 2, zip: build/f.zip }',
      /: lambda\.zip cannot be combined with lambda\.version: /,
    ],
    [
      'lambda: { function: f, alias: a, version: $LATEST }',
      /: lambda\.version must be a published version number/,
    ],
    [
      'lambda: { function: f, alias: a, hooks: { AfterInstall: h } }',
      /: lambda\.hooks names AfterInstall, which is not a hook event of Lambda/,
    ],
    ['lambda: { function: f, alias: a, appspecFormat: xml }', /: lambda\.appspecFormat is "xml"/],
    ['ecs: { service: web }', /: ecs\.service is "web", not CLUSTER\/SERVICE/],
    [
      'ecs: { service: "arn:aws:ecs:us-east-1:1:cluster/prod" }',
      /: ecs\.service is "arn:.*", not CLUSTER\/SERVICE/,
    ],
    ['ecs: { port: 70000 }', /: ecs\.port must be a port number from 1 to 65535/],
    ['ecs: { container: "" }', /: ecs\.container is empty/],
    ['ecs: { network: { subnets: [s-1] } }', /: ecs\.network\.subnets needs ecs\.network\.securityGroups;/],
    [
      'ecs: { network: { subnets: [s], securityGroups: [g], assignPublicIp: yes } }',
      /: ecs\.network\.assignPublicIp is "yes"/,
    ],
    [
      'ecs: { capacityProviders: [{ provider: P, weight: -1 }] }',
      /: ecs\.capacityProviders has "P": WEIGHT must be a whole number/,
    ],
    [
      'ecs: { capacityProviders: [{ base: 1 }] }',
      /: ecs\.capacityProviders has a capacity provider without a name/,
    ],
    [
      'ecs: { hooks: { AllowTraffic: f } }',
      /: ecs\.hooks names AllowTraffic, which is not a hook event of ECS/,
    ],
    [
      'ecs: { taskDefinition: deploy/taskdef.json, images: { api: x } }',
      /: ecs\.images does not fit the task definition/,
    ],
    [
      'ecs: { taskDefinition: deploy/bad.json }',
      /: ecs\.taskDefinition is not a task definition to register: deploy\/bad\.json is not valid JSON/,
    ],
  ])('refuses %j', async (spec, message) => {
    const reading = sourceOf(spec, { 'deploy/bad.json': '{"family": "web", "secret": nope}' });
    await expect(reading).rejects.toThrow(InvalidInputError);
    await expect(reading).rejects.toThrow(message);
    await expect(reading).rejects.toThrow(
      /^RevisionSpec r\.yaml \(input artifact Release\): .*; nothing was created$/,
    );
    await expect(reading).rejects.not.toThrow(/nope/);
    // The file once, at the start: core's mentions of other settings are the bare fields.
    const error = (await reading.catch((caught: unknown) => caught)) as InvalidInputError;
    expect(`${error.message} ${error.hint}`.split('RevisionSpec r.yaml')).toHaveLength(2);
  });

  it.each([
    ['lambda: { function: f, alias: a, zip: build/missing.zip }', 'lambda.zip "build/missing.zip"'],
    ['lambda: { function: f, alias: a, zip: ../../etc/passwd }', 'lambda.zip "../../etc/passwd"'],
    ['ecs: { taskDefinition: deploy }', 'ecs.taskDefinition "deploy"'],
  ])('refuses %j: a path that is not a file of the artifact', async (spec, field) => {
    const reading = sourceOf(spec);
    await expect(reading).rejects.toThrow(
      `RevisionSpec r.yaml (input artifact Release): ${field} is not a file in the input artifact; nothing was created`,
    );
    await expect(reading).rejects.toMatchObject({ hint: expect.stringContaining('build, deploy, r.yaml') });
  });
});

describe('imageUriOf', () => {
  it("takes an ECR source action's ImageURI", () => {
    expect(imageUriOf('{"ImageURI":"repo@sha256:ab","ImageTags":["2"]}', 'imageDetail.json')).toBe(
      'repo@sha256:ab',
    );
  });

  it('says what is wrong with a file that is not one, without quoting it', () => {
    expect(() => imageUriOf('{', 'imageDetail.json of X')).toThrow(
      /^imageDetail\.json of X is not valid JSON at line 1, column 2; nothing was created$/,
    );
    const secret = '{\n  "ImageURI": "repo@sha256:ab",\n  "Token": hunter2\n}';
    expect(() => imageUriOf(secret, 'imageDetail.json of X')).toThrow(
      /^imageDetail\.json of X is not valid JSON/,
    );
    expect(() => imageUriOf(secret, 'imageDetail.json of X')).not.toThrow(/hunter2/);
    expect(() => imageUriOf('{"ImageTags":[]}', 'imageDetail.json of X')).toThrow(/ImageURI is missing/);
    expect(() => imageUriOf('{"ImageURI":{"k":"v"}}', 'imageDetail.json of X')).toThrow(
      /ImageURI is not text \(an object\)/,
    );
  });
});
