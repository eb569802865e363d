import { InvalidInputError } from '@codedeploy-gate/core';
import { describe, expect, it } from 'vitest';
import { parseRevisionSpec } from './revision-spec.js';

describe('parseRevisionSpec', () => {
  it('reads a Lambda spec into core settings, a number version included', () => {
    const text =
      'lambda:\n  function: checkout\n  alias: live\n  version: 7\n  hooks: { AfterAllowTraffic: smoke }\n  appspecFormat: json\n';
    expect(parseRevisionSpec(text, 'r.yaml')).toEqual({
      kind: 'lambda',
      settings: {
        functionName: 'checkout',
        alias: 'live',
        version: 7,
        hooks: { AfterAllowTraffic: 'smoke' },
        appspecFormat: 'json',
      },
    });
    expect(parseRevisionSpec('{"lambda":{"function":"f","alias":"a","zip":"b/f.zip"}}', 'r.json')).toEqual({
      kind: 'lambda',
      settings: { functionName: 'f', alias: 'a', zipFile: 'b/f.zip' },
    });
  });

  it('reads an ECS spec with every field, images apart (an artifact image is resolved later)', () => {
    const text = [
      'ecs:',
      '  taskDefinition: deploy/taskdef.json',
      '  service: prod/web',
      '  images: { web: repo/web:2, sidecar: { artifact: SidecarImage } }',
      '  container: web',
      '  port: 8080',
      '  platformVersion: LATEST',
      '  network: { subnets: [subnet-1], securityGroups: sg-1, assignPublicIp: DISABLED }',
      '  capacityProviders: [{ provider: FARGATE_SPOT, base: 1, weight: 2 }, FARGATE:0:1]',
      '  hooks: { AfterAllowTestTraffic: test-traffic-check }',
      '  appspecFormat: yaml',
    ].join('\n');
    expect(parseRevisionSpec(text, 'r.yaml')).toEqual({
      kind: 'ecs',
      settings: {
        taskDefinitionFile: 'deploy/taskdef.json',
        service: 'prod/web',
        container: 'web',
        port: 8080,
        platformVersion: 'LATEST',
        subnets: ['subnet-1'],
        securityGroups: 'sg-1',
        assignPublicIp: 'DISABLED',
        capacityProviders: [{ provider: 'FARGATE_SPOT', base: 1, weight: 2 }, 'FARGATE:0:1'],
        hooks: { AfterAllowTestTraffic: 'test-traffic-check' },
        appspecFormat: 'yaml',
      },
      images: { web: { image: 'repo/web:2' }, sidecar: { artifact: 'SidecarImage' } },
    });
    expect(parseRevisionSpec('ecs: { images: { web: repo/web:2 } }', 'r.yaml')).toEqual({
      kind: 'ecs',
      settings: {},
      images: { web: { image: 'repo/web:2' } },
    });
  });

  // The file's structure; what its values may be is core's to say (see spec-source.test.ts).
  it.each([
    ['', /r\.yaml: is empty/],
    ['lambda: {}\necs: {}\n', /r\.yaml: has "lambda", "ecs" at the top/],
    ['lambda:\n  function: f\n alias: a\n', /r\.yaml: is not valid YAML or JSON at line 3, column 2/],
    ['lambda: [f]', /r\.yaml: lambda must be a mapping, not a list/],
    ['lambda: { function: f, alias: 7 }', /lambda\.alias must be a string, not 7/],
    ['lambda: { function: f, alias: a, version: [2] }', /lambda\.version must be a number, not a list/],
    ['lambda: { function: f, alias: a, hooks: [h] }', /lambda\.hooks must be a mapping of lifecycle event/],
    [
      'lambda: { function: f, alias: a, hooks: { AfterAllowTraffic: 7 } }',
      /hooks\.AfterAllowTraffic must name a function/,
    ],
    ['lambda: { function: f, alias: a, verison: 2 }', /lambda\.verison is not a field here/],
    ['ecs: { images: { web: 7 } }', /ecs\.images\.web is 7/],
    ['ecs: { images: { web: { artifact: A, tag: x } } }', /ecs\.images\.web is a mapping/],
    ['ecs: { network: [s-1] }', /ecs\.network must be a mapping, not a list/],
    ['ecs: { network: { subnets: [s-1], publicIp: x } }', /ecs\.network\.publicIp is not a field here/],
    ['ecs: { network: { subnets: [{ id: s-1 }] } }', /ecs\.network\.subnets must list ids, not a list/],
    ['ecs: { capacityProviders: FARGATE }', /ecs\.capacityProviders must be a list, not "FARGATE"/],
    ['ecs: { capacityProviders: [{ name: P }] }', /ecs\.capacityProviders\[0\]\.name is not a field here/],
    [
      'ecs: { capacityProviders: [{ provider: P, base: "1" }] }',
      /capacityProviders\[0\]\.base must be a number/,
    ],
  ])('refuses %j, naming the file and field', (text, message) => {
    const parse = () => parseRevisionSpec(text, 'r.yaml');
    expect(parse).toThrow(InvalidInputError);
    expect(parse).toThrow(message);
    expect(parse).toThrow(/^RevisionSpec r\.yaml: .*; nothing was created$/);
  });

  it('says where a syntax error is without quoting the lines around it', () => {
    const text = 'ecs:\n  images: { web: repo/web:2 }\n  token: "s3cr3t\n';
    const parse = () => parseRevisionSpec(text, 'r.yaml');
    expect(parse).toThrow(/is not valid YAML or JSON at line \d+, column \d+/);
    expect(parse).not.toThrow(/s3cr3t/);
  });
});
