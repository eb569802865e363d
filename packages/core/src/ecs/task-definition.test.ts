import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import {
  applyImageOverrides,
  chooseTrafficContainer,
  parseTaskDefinitionFile,
  registerInputFrom,
} from './task-definition.js';

function thrown(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

const web = { name: 'web', image: 'repo/web:1', portMappings: [{ containerPort: 80 }] };
const sidecar = {
  name: 'envoy',
  image: 'envoy:1',
  portMappings: [{ containerPort: 9901 }, { containerPort: 15000 }],
};
const worker = { name: 'worker', image: 'repo/worker:1' };

const described = {
  taskDefinition: {
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:41',
    family: 'web',
    revision: 41,
    status: 'ACTIVE',
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
    compatibilities: ['EC2', 'FARGATE'],
    registeredAt: '2026-11-20T10:00:00.000Z',
    registeredBy: 'arn:aws:iam::111122223333:user/ci',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [web, worker],
  },
  tags: [{ key: 'team', value: 'shop' }],
};

describe('parseTaskDefinitionFile', () => {
  it('takes describe-task-definition output, dropping what ECS assigns and keeping the tags', () => {
    expect(parseTaskDefinitionFile(JSON.stringify(described), 'taskdef.json')).toEqual({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [web, worker],
      tags: [{ key: 'team', value: 'shop' }],
    });
  });

  it('takes RegisterTaskDefinition input as it is (a BOM too)', () => {
    const input = { family: 'web', containerDefinitions: [web], executionRoleArn: 'arn:aws:iam::1:role/x' };
    expect(parseTaskDefinitionFile(`\uFEFF${JSON.stringify(input)}`, 'taskdef.json')).toEqual(input);
  });

  it('names the file and what is wrong with it', () => {
    expect(thrown(() => parseTaskDefinitionFile('{ "family": ', 'deploy/taskdef.json')).message).toMatch(
      /^deploy\/taskdef\.json is not valid JSON/,
    );
    // Where, but never the text around it: an environment value may be a secret.
    const secret = '{\n  "family": "web",\n  "environment": [{"name": "TOKEN", "value": "hunter2"},]\n}';
    const message = thrown(() => parseTaskDefinitionFile(secret, 't.json')).message;
    expect(message).not.toContain('hunter2');
    expect(message).toMatch(/^t\.json is not valid JSON( at line 3, column \d+)?$/);
    expect(thrown(() => parseTaskDefinitionFile('[]', 't.json')).message).toBe(
      't.json holds an empty list, not a task definition object',
    );
    expect(thrown(() => parseTaskDefinitionFile('{"containerDefinitions":[]}', 't.json')).message).toBe(
      't.json: family is missing; it must name the task definition family',
    );
    expect(
      thrown(() => parseTaskDefinitionFile('{"taskDefinition":{"family":"web"}}', 't.json')).message,
    ).toBe('t.json: taskDefinition.containerDefinitions is missing; it must list the containers');
    expect(
      thrown(() =>
        parseTaskDefinitionFile(
          '{"family":"web","containerDefinitions":[{"name":"a"},{"image":"x"}]}',
          't.json',
        ),
      ).message,
    ).toBe('t.json: containerDefinitions[1].name is missing; every container needs a name');
  });
});

describe('registerInputFrom', () => {
  it('leaves out an empty tag list', () => {
    expect(registerInputFrom({ family: 'web', containerDefinitions: [web] }, [])).toEqual({
      family: 'web',
      containerDefinitions: [web],
    });
  });
});

describe('applyImageOverrides', () => {
  const input: RegisterTaskDefinitionRequest = { family: 'web', containerDefinitions: [web, worker] };

  it('replaces the images of the named containers only, leaving the input untouched', () => {
    const changed = applyImageOverrides(input, { web: 'repo/web:2' }, 'taskdef.json');
    expect(changed.containerDefinitions).toEqual([{ ...web, image: 'repo/web:2' }, worker]);
    expect(input.containerDefinitions?.[0]?.image).toBe('repo/web:1');
  });

  it('refuses a container the task definition does not have, listing the ones it has', () => {
    const error = thrown(() => applyImageOverrides(input, { api: 'repo/api:2' }, 'taskdef.json'));
    expect(error.message).toBe(
      'no container "api" in taskdef.json to give image repo/api:2; it has containers web (port 80), worker (no ports)',
    );
    expect(error.exitCode).toBe(2);
  });
});

describe('chooseTrafficContainer', () => {
  const input: RegisterTaskDefinitionRequest = {
    family: 'web',
    containerDefinitions: [web, sidecar, worker],
  };
  const from = 'taskdef.json';

  it('takes the container and port given, checked against the port mappings', () => {
    expect(
      chooseTrafficContainer(input, { containerName: 'envoy', containerPort: 15000 }, undefined, from),
    ).toEqual({
      containerName: 'envoy',
      containerPort: 15000,
    });
    expect(
      thrown(() =>
        chooseTrafficContainer(input, { containerName: 'web', containerPort: 8080 }, undefined, from),
      ).message,
    ).toBe('container "web" in taskdef.json maps port 80, not 8080');
  });

  it("defaults to the service's load balancer entry", () => {
    expect(chooseTrafficContainer(input, {}, { containerName: 'web', containerPort: 80 }, from)).toEqual({
      containerName: 'web',
      containerPort: 80,
    });
  });

  it("refuses a task definition without the container the service's load balancer sends traffic to", () => {
    expect(
      thrown(() => chooseTrafficContainer(input, {}, { containerName: 'api', containerPort: 80 }, from))
        .message,
    ).toBe(
      `no container "api" in taskdef.json (the service's load balancer sends traffic to it); it has containers web (port 80), envoy (ports 9901, 15000), worker (no ports)`,
    );
  });

  it('otherwise takes the only container with a port mapping, and its only port', () => {
    const single: RegisterTaskDefinitionRequest = { family: 'web', containerDefinitions: [worker, web] };
    expect(chooseTrafficContainer(single, {}, undefined, from)).toEqual({
      containerName: 'web',
      containerPort: 80,
    });
    expect(chooseTrafficContainer(input, { containerPort: 9901 }, undefined, from)).toEqual({
      containerName: 'envoy',
      containerPort: 9901,
    });
  });

  it('asks for the option when the choice is ambiguous or impossible', () => {
    const ambiguous = thrown(() => chooseTrafficContainer(input, {}, undefined, from));
    expect(ambiguous.message).toBe(
      'which container receives traffic is ambiguous: web, envoy in taskdef.json all map ports',
    );
    expect(ambiguous.hint).toContain('container and port options');
    expect(
      thrown(() => chooseTrafficContainer(input, { containerName: 'envoy' }, undefined, from)).message,
    ).toBe('container "envoy" in taskdef.json maps ports 9901, 15000: which one takes traffic is ambiguous');
    const none: RegisterTaskDefinitionRequest = { family: 'w', containerDefinitions: [worker] };
    expect(thrown(() => chooseTrafficContainer(none, {}, undefined, from)).message).toBe(
      'no container in taskdef.json maps a port for the load balancer; it has container worker (no ports)',
    );
  });
});
