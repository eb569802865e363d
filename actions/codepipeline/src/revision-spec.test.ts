import { InvalidInputError } from '@codedeploy-gate/core';
import { describe, expect, it } from 'vitest';
import { parseRevisionSpec } from './revision-spec.js';
import { imageUriOf } from './spec-source.js';

describe('parseRevisionSpec', () => {
  it('reads a Lambda spec, a number version included', () => {
    const text =
      'lambda:\n  function: checkout\n  alias: live\n  version: 7\n  hooks: { AfterAllowTraffic: smoke }\n';
    expect(parseRevisionSpec(text, 'r.yaml')).toEqual({
      kind: 'lambda',
      functionName: 'checkout',
      alias: 'live',
      version: '7',
      hooks: { AfterAllowTraffic: 'smoke' },
    });
    expect(parseRevisionSpec('{"lambda":{"function":"f","alias":"a","zip":"b/f.zip"}}', 'r.json')).toEqual({
      kind: 'lambda',
      functionName: 'f',
      alias: 'a',
      zip: 'b/f.zip',
    });
  });

  it('reads an ECS spec with every field', () => {
    const text = [
      'ecs:',
      '  taskDefinition: deploy/taskdef.json',
      '  service: prod/web',
      '  images: { web: repo/web:2, sidecar: { artifact: SidecarImage } }',
      '  container: web',
      '  port: 8080',
      '  platformVersion: LATEST',
      '  network: { subnets: [subnet-1], securityGroups: [sg-1], assignPublicIp: DISABLED }',
      '  capacityProviders: [{ provider: FARGATE_SPOT, base: 1, weight: 2 }]',
      '  hooks: { AfterAllowTestTraffic: test-traffic-check }',
    ].join('\n');
    expect(parseRevisionSpec(text, 'r.yaml')).toEqual({
      kind: 'ecs',
      taskDefinition: 'deploy/taskdef.json',
      cluster: 'prod',
      service: 'web',
      images: { web: { image: 'repo/web:2' }, sidecar: { artifact: 'SidecarImage' } },
      containerName: 'web',
      containerPort: 8080,
      platformVersion: 'LATEST',
      networkConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
      capacityProviderStrategy: [{ provider: 'FARGATE_SPOT', base: 1, weight: 2 }],
      hooks: { AfterAllowTestTraffic: 'test-traffic-check' },
    });
    expect(parseRevisionSpec('ecs: { images: { web: repo/web:2 } }', 'r.yaml')).toEqual({
      kind: 'ecs',
      images: { web: { image: 'repo/web:2' } },
    });
  });

  it.each([
    ['', /r\.yaml: is empty/],
    ['lambda: {}\necs: {}\n', /r\.yaml: has "lambda", "ecs" at the top/],
    ['lambda:\n  function: f\n alias: a\n', /r\.yaml: is not valid YAML or JSON at line 3, column 2/],
    ['lambda: [f]', /r\.yaml: lambda must be a mapping, not a list/],
    ['lambda: { alias: a }', /lambda\.function is required/],
    ['lambda: { function: f, alias: 7 }', /lambda\.alias must be a non-empty string, not 7/],
    [
      'lambda: { function: f, alias: a, version: 2, zip: f.zip }',
      /lambda\.version and lambda\.zip are both set/,
    ],
    [
      'lambda: { function: f, alias: a, version: $LATEST }',
      /lambda\.version must be a published version number/,
    ],
    [
      'lambda: { function: f, alias: a, hooks: { AfterInstall: h } }',
      /lambda\.hooks\.AfterInstall is not a lifecycle hook/,
    ],
    ['lambda: { function: f, alias: a, verison: 2 }', /lambda\.verison is not a field here/],
    ['ecs: { service: web }', /ecs\.service must be CLUSTER\/SERVICE, not "web"/],
    ['ecs: { images: { web: 7 } }', /ecs\.images\.web is 7/],
    ['ecs: { port: 70000 }', /ecs\.port must be a port number from 1 to 65535/],
    ['ecs: { network: { subnets: [s-1] } }', /ecs\.network\.securityGroups must list security group ids/],
    [
      'ecs: { network: { subnets: [s], securityGroups: [g], assignPublicIp: yes } }',
      /assignPublicIp must be ENABLED or DISABLED/,
    ],
    [
      'ecs: { capacityProviders: [{ provider: P, weight: -1 }] }',
      /ecs\.capacityProviders\[0\]\.weight must be a whole number/,
    ],
    ['ecs: { hooks: { AllowTraffic: f } }', /ecs\.hooks\.AllowTraffic is not a lifecycle hook/],
  ])('refuses %j, naming the file and field', (text, message) => {
    const parse = () => parseRevisionSpec(text, 'r.yaml');
    expect(parse).toThrow(InvalidInputError);
    expect(parse).toThrow(message);
    expect(parse).toThrow(/^RevisionSpec r\.yaml: .*; nothing was created$/);
  });
});

describe('imageUriOf', () => {
  it("takes an ECR source action's ImageURI", () => {
    expect(imageUriOf('{"ImageURI":"repo@sha256:ab","ImageTags":["2"]}', 'imageDetail.json')).toBe(
      'repo@sha256:ab',
    );
  });

  it('says what is wrong with a file that is not one', () => {
    expect(() => imageUriOf('{', 'imageDetail.json of X')).toThrow(
      /imageDetail\.json of X is not valid JSON/,
    );
    expect(() => imageUriOf('{"ImageTags":[]}', 'imageDetail.json of X')).toThrow(/ImageURI is missing/);
  });
});
