import type { YamlMap, YamlNode } from './located-yaml.js';
import { asScalar, checkKnownKeys, childPath, describe, requireEntry } from './nodes.js';
import type { ProblemSink } from './problems.js';
import { checkServiceAppspec } from './resources.js';

const LAMBDA_PROPERTIES = ['Name', 'Alias', 'CurrentVersion', 'TargetVersion'];
const FUNCTION_NAME =
  /^([A-Za-z0-9_-]{1,64}|arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}|\d{12}:function:[A-Za-z0-9_-]{1,64})$/;
const ALIAS_NAME = /^(?!\d+$)[A-Za-z0-9_-]{1,128}$/;

/** Checks a Lambda AppSpec: one AWS::Lambda::Function resource that shifts an alias between two versions. */
export function checkLambdaAppspec(sink: ProblemSink, root: YamlMap): void {
  const resource = checkServiceAppspec(sink, root, 'lambda');
  if (resource === undefined) return;
  const { properties, path } = resource;
  checkKnownKeys(sink, properties, LAMBDA_PROPERTIES, path, {
    caseInsensitive: true,
    ignoredBy: 'CodeDeploy',
  });
  const name = requireEntry(
    sink,
    properties,
    'Name',
    path,
    'Add "Name: <function name>" (the Lambda function to deploy).',
    true,
  );
  if (name !== undefined)
    checkPattern(
      sink,
      name.value,
      childPath(path, name.name),
      FUNCTION_NAME,
      'lambda-name-invalid',
      'a Lambda function name',
      'Use the function name (letters, digits, - and _; up to 64) or its ARN.',
    );
  const alias = requireEntry(
    sink,
    properties,
    'Alias',
    path,
    'Add "Alias: <alias name>" (the alias whose traffic CodeDeploy shifts).',
    true,
  );
  if (alias !== undefined)
    checkPattern(
      sink,
      alias.value,
      childPath(path, alias.name),
      ALIAS_NAME,
      'lambda-alias-invalid',
      'a Lambda alias name',
      'Use the alias name (letters, digits, - and _; not only digits; up to 128).',
    );
  const current = checkVersion(
    sink,
    properties,
    path,
    'CurrentVersion',
    'the version the alias points to now',
  );
  const target = checkVersion(sink, properties, path, 'TargetVersion', 'the version to shift traffic to');
  if (current !== undefined && target !== undefined && current.version === target.version) {
    sink.error(
      target.node,
      target.path,
      'lambda-versions-equal',
      `TargetVersion equals CurrentVersion (${target.version}); there is no traffic to shift.`,
      'Publish a new function version and set TargetVersion to it.',
    );
  }
}

function checkVersion(sink: ProblemSink, properties: YamlMap, path: string, key: string, what: string) {
  const hint = `Set ${key} to ${what}: a published version number such as "2" (not $LATEST, not an alias).`;
  const entry = requireEntry(sink, properties, key, path, hint, true);
  if (entry === undefined) return undefined;
  const versionPath = childPath(path, entry.name);
  const scalar = asScalar(entry.value);
  const text =
    scalar?.value.type === 'int'
      ? String(scalar.value.value)
      : scalar?.value.type === 'str'
        ? scalar.text.trim()
        : undefined;
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1) {
    sink.error(
      entry.value,
      versionPath,
      'lambda-version-invalid',
      `${entry.name} is ${scalar === undefined ? describe(entry.value) : JSON.stringify(scalar.text)}; it must be a positive version number.`,
      hint,
    );
    return undefined;
  }
  return { version: Number(text), node: entry.value, path: versionPath };
}

function checkPattern(
  sink: ProblemSink,
  node: YamlNode,
  path: string,
  pattern: RegExp,
  code: string,
  what: string,
  hint: string,
): void {
  const text = asScalar(node)?.text.trim();
  if (text === undefined || !pattern.test(text)) {
    sink.error(
      node,
      path,
      code,
      `${text === undefined ? describe(node) : JSON.stringify(text)} is not ${what}.`,
      hint,
    );
  }
}
