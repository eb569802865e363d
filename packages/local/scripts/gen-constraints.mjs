#!/usr/bin/env node
/**
 * Writes src/wire/constraints/*.generated.ts: the input rules of every CodeDeploy operation and of
 * CodePipeline's job API, from the service models in `aws-sdk` v2 (`apis/*.min.json`, a pinned dev
 * dependency) plus scripts/constraints/documented.json.
 *
 * Why two sources: the minified models keep each input's shape (members, types, required members) but
 * strip the length, range, pattern and enum traits; those come from documented.json, whose `model`
 * section holds the traits of the full service model (the same values the API reference prints under
 * "Length Constraints", "Pattern", "Valid Values") and whose `documented` section holds limits the API
 * reference states only in prose ("The maximum number of deployment IDs you can specify is 25").
 *
 *   node scripts/gen-constraints.mjs            rewrite the generated files
 *   node scripts/gen-constraints.mjs --check    exit 1 when a generated file is not what this writes
 *   node scripts/gen-constraints.mjs --model-traits-from DIR
 *                                               refresh documented.json's `model` section from a
 *                                               folder of full models (botocore's data/ layout:
 *                                               DIR/codedeploy/2014-10-06/service-2.json[.gz])
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const require = createRequire(join(packageRoot, 'package.json'));
const documentedPath = join(here, 'constraints', 'documented.json');

/** The services and operations the table covers. `operations: null` = every operation of the model. */
const SERVICES = [
  {
    id: 'codedeploy',
    model: 'codedeploy-2014-10-06',
    constant: 'CODEDEPLOY_INPUT_RULES',
    file: 'codedeploy.generated.ts',
    operations: null,
  },
  {
    id: 'codepipeline',
    model: 'codepipeline-2015-07-09',
    constant: 'CODEPIPELINE_JOB_INPUT_RULES',
    file: 'codepipeline.generated.ts',
    operations: [
      'AcknowledgeJob',
      'GetJobDetails',
      'PollForJobs',
      'PutJobFailureResult',
      'PutJobSuccessResult',
    ],
  },
];

const TRAITS = ['min', 'max', 'pattern', 'enum'];

function minModel(name) {
  return require(`aws-sdk/apis/${name}.min.json`);
}

function operationsOf(service, model) {
  return (service.operations ?? Object.keys(model.operations)).slice().sort();
}

/**
 * A rule tree for one min.json shape, with the traits documented.json gives for its path. A shape the
 * model shares between members (`{"shape": "S1e"}`) becomes one named constant, `shared`, unless the
 * traits differ between its uses (then each use is written out).
 */
function ruleOf(model, shape, path, traits, shared, depth = 0) {
  if (depth > 12) throw new Error(`${path}: shapes nest deeper than 12 levels (recursive shape?)`);
  const resolved = shape.shape ? model.shapes[shape.shape] : shape;
  const type = resolved.type ?? 'string';
  const rule = { type };
  for (const trait of TRAITS) {
    if (traits[path]?.[trait] !== undefined) rule[trait] = traits[path][trait];
  }
  if (type === 'structure') {
    if (resolved.required?.length) rule.required = [...resolved.required];
    rule.members = {};
    for (const [name, member] of Object.entries(resolved.members ?? {})) {
      rule.members[name] = ruleOf(model, member, `${path}.${name}`, traits, shared, depth + 1);
    }
  } else if (type === 'list') {
    rule.member = ruleOf(model, resolved.member ?? {}, `${path}[]`, traits, shared, depth + 1);
  } else if (type === 'map') {
    rule.key = ruleOf(model, resolved.key ?? {}, `${path}{key}`, traits, shared, depth + 1);
    rule.value = ruleOf(model, resolved.value ?? {}, `${path}{}`, traits, shared, depth + 1);
  }
  if (!shape.shape || (type !== 'structure' && type !== 'list' && type !== 'map')) return rule;
  const text = JSON.stringify(rule);
  const known = shared.get(shape.shape);
  if (known === undefined) {
    shared.set(shape.shape, { rule, text });
    return refTo(shape.shape);
  }
  return known.text === text ? refTo(shape.shape) : rule;
}

/** A placeholder render() turns into the shared constant's name. */
function refTo(id) {
  return `__shape_${id}__`;
}

function literal(value) {
  return JSON.stringify(value, null, 2).replace(/"__shape_(\w+)__"/g, 'shape$1');
}

function traitsFor(serviceId) {
  const documented = JSON.parse(readFileSync(documentedPath, 'utf8'));
  const model = documented.model?.[serviceId] ?? {};
  const prose = documented.documented?.[serviceId] ?? {};
  const merged = { ...model };
  for (const [path, entry] of Object.entries(prose)) merged[path] = { ...merged[path], ...entry };
  return merged;
}

function render(service) {
  const model = minModel(service.model);
  const traits = traitsFor(service.id);
  const shared = new Map();
  const table = {};
  for (const operation of operationsOf(service, model)) {
    const input = model.operations[operation]?.input;
    if (!input) throw new Error(`${service.model} has no operation ${operation}`);
    table[operation] = ruleOf(model, input, operation, traits, shared);
  }
  // Shared shapes are set after the shapes inside them, so each constant follows the ones it uses.
  const constants = [...shared].map(([id, { rule }]) => `const shape${id}: Rule = ${literal(rule)};\n`);
  return [
    `// Generated by scripts/gen-constraints.mjs from aws-sdk/apis/${service.model}.min.json`,
    '// and scripts/constraints/documented.json. Do not edit: run `pnpm gen:constraints`.',
    "import type { InputRules, Rule } from './rules.js';",
    '',
    ...constants,
    `export const ${service.constant}: InputRules = ${literal(table)};`,
    '',
  ].join('\n');
}

/** The traits of every input member path of the covered operations, read from a full model. */
function modelTraits(service, fullModel) {
  const out = {};
  const walk = (shapeName, path, depth) => {
    const shape = fullModel.shapes[shapeName];
    if (!shape || depth > 12) return;
    const picked = {};
    for (const trait of TRAITS) if (shape[trait] !== undefined) picked[trait] = shape[trait];
    if (Object.keys(picked).length > 0) out[path] = picked;
    if (shape.type === 'structure') {
      for (const [name, member] of Object.entries(shape.members ?? {}))
        walk(member.shape, `${path}.${name}`, depth + 1);
    } else if (shape.type === 'list') {
      walk(shape.member.shape, `${path}[]`, depth + 1);
    } else if (shape.type === 'map') {
      walk(shape.key.shape, `${path}{key}`, depth + 1);
      walk(shape.value.shape, `${path}{}`, depth + 1);
    }
  };
  for (const operation of operationsOf(service, minModel(service.model))) {
    const input = fullModel.operations[operation]?.input;
    if (input) {
      // The operation's own input shape carries no traits: start at its members.
      for (const [name, member] of Object.entries(fullModel.shapes[input.shape].members ?? {})) {
        walk(member.shape, `${operation}.${name}`, 1);
      }
    }
  }
  return out;
}

function readFullModel(dir, modelName) {
  const [name, ...version] = modelName.split('-');
  const base = join(dir, name, version.join('-'), 'service-2.json');
  if (existsSync(base)) return JSON.parse(readFileSync(base, 'utf8'));
  if (existsSync(`${base}.gz`)) return JSON.parse(gunzipSync(readFileSync(`${base}.gz`)).toString('utf8'));
  throw new Error(`no ${base}[.gz]`);
}

const args = process.argv.slice(2);
const fromIndex = args.indexOf('--model-traits-from');
if (fromIndex >= 0) {
  const dir = args[fromIndex + 1];
  const documented = JSON.parse(readFileSync(documentedPath, 'utf8'));
  documented.model = {};
  for (const service of SERVICES) {
    documented.model[service.id] = modelTraits(service, readFullModel(dir, service.model));
  }
  writeFileSync(documentedPath, `${JSON.stringify(documented, null, 2)}\n`);
}

const check = args.includes('--check');
let drifted = false;
for (const service of SERVICES) {
  const target = join(packageRoot, 'src', 'wire', 'constraints', service.file);
  const text = render(service);
  if (check) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (current !== text) {
      drifted = true;
      console.error(
        `${service.file} differs from what scripts/gen-constraints.mjs writes: run pnpm gen:constraints`,
      );
    }
  } else {
    writeFileSync(target, text);
  }
}
if (drifted) process.exit(1);
