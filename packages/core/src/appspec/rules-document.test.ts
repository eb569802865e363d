import { describe, expect, it } from 'vitest';
import { parseLocatedYaml } from './located-yaml.js';
import { ProblemSink } from './problems.js';
import { detectPlatform } from './rules-document.js';

const rootOf = (text: string) => parseLocatedYaml(text, new ProblemSink()).root;

describe('detectPlatform', () => {
  it.each([
    ['version: 0.0\nos: linux\n', 'server'],
    ['Resources:\n  - fn:\n      Type: AWS::Lambda::Function\n', 'lambda'],
    ['resources:\n  - svc:\n      type: AWS::ECS::Service\n', 'ecs'],
    ['Resources:\n  - x:\n      Type: AWS::S3::Bucket\n', 'server'],
    ['- a\n', 'server'],
  ])('%j -> %s', (text, platform) => {
    expect(detectPlatform(rootOf(text))).toBe(platform);
  });
});
