import type { FunctionConfiguration, GetFunctionResponse } from '@aws-sdk/client-lambda';
import { storeZip, zipFromInput } from './code.js';
import {
  type FunctionSettings,
  lastModified,
  newFunctionRecord,
  newRevisionId,
  publishLatest,
} from './configuration.js';
import type { LambdaContext } from './context.js';
import { invalidParameter, preconditionFailed, resourceConflict, validationError } from './errors.js';
import { functionRecord, resolveQualifier } from './lookup.js';
import { parseFunctionName, parseUnqualifiedName, qualifierOf } from './names.js';
import {
  jsonBody,
  type LambdaReply,
  type LambdaRequest,
  type LambdaRoute,
  pageOfItems,
} from './rest-protocol.js';

/** The configuration a qualifier selects; through an alias its ARN names the alias, as on Lambda. */
function configurationFor(request: LambdaRequest, context: LambdaContext): FunctionConfiguration {
  const reference = parseFunctionName(request.params.FunctionName, context);
  const qualifier = qualifierOf(reference, request.query.get('Qualifier') ?? undefined);
  const resolved = resolveQualifier(context, functionRecord(context, reference), qualifier);
  const configuration = structuredClone(resolved.record.configuration);
  if (resolved.alias) configuration.FunctionArn = resolved.alias.AliasArn;
  return configuration;
}

function getFunction(request: LambdaRequest, context: LambdaContext): LambdaReply {
  const response: GetFunctionResponse = {
    Configuration: configurationFor(request, context),
    // The package is kept under the state dir; there is no download URL to give.
    Code: { RepositoryType: 'S3' },
  };
  return { status: 200, json: response };
}

function getFunctionConfiguration(request: LambdaRequest, context: LambdaContext): LambdaReply {
  return { status: 200, json: configurationFor(request, context) };
}

function listFunctions(request: LambdaRequest, context: LambdaContext): LambdaReply {
  const all = request.query.get('FunctionVersion') === 'ALL';
  const functions = Object.values(context.store.state.lambda.functions)
    .sort((a, b) =>
      (a.latest.configuration.FunctionName ?? '').localeCompare(b.latest.configuration.FunctionName ?? ''),
    )
    .flatMap((fn) => [
      fn.latest.configuration,
      ...(all ? Object.values(fn.versions).map((version) => version.configuration) : []),
    ]);
  const page = pageOfItems(functions, request.query);
  return {
    status: 200,
    json: { Functions: page.items, ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}) },
  };
}

async function createFunction(request: LambdaRequest, context: LambdaContext): Promise<LambdaReply> {
  const input = jsonBody(request);
  const { name } = parseUnqualifiedName(input.FunctionName, context);
  if (typeof input.Role !== 'string' || input.Role === '') {
    throw validationError(input.Role, 'role', 'Member must not be null');
  }
  if ((input.PackageType ?? 'Zip') !== 'Zip') {
    throw invalidParameter('The local Lambda runs Zip packages only: PackageType must be Zip.');
  }
  const settings: FunctionSettings = {
    name,
    role: input.Role,
    ...optionalString(input, 'Runtime', 'runtime'),
    ...optionalString(input, 'Handler', 'handler'),
    ...optionalString(input, 'Description', 'description'),
    ...optionalInteger(input, 'Timeout', 'timeout', 1, 900),
    ...optionalInteger(input, 'MemorySize', 'memorySize', 128, 10240),
    ...environmentOf(input),
  };
  if (context.store.state.lambda.functions[name]) throw resourceConflict(`Function already exist: ${name}`);
  const zip = zipFromInput((input.Code ?? {}) as Record<string, unknown>);
  const code = await storeZip(context.codeDir, name, zip);
  // Checked again after the write: another CreateFunction may have taken the name meanwhile.
  if (context.store.state.lambda.functions[name]) throw resourceConflict(`Function already exist: ${name}`);
  const configuration = context.store.update((state) => {
    const fn = newFunctionRecord(context, settings, code, undefined, context.now());
    state.lambda.functions[name] = fn;
    return input.Publish === true
      ? publishLatest(context, fn, undefined, context.now()).configuration
      : fn.latest.configuration;
  });
  return { status: 201, json: configuration };
}

async function updateFunctionCode(request: LambdaRequest, context: LambdaContext): Promise<LambdaReply> {
  const input = jsonBody(request);
  const reference = parseUnqualifiedName(request.params.FunctionName, context);
  const fn = functionRecord(context, reference);
  checkRevision(input.RevisionId, fn.latest.configuration.RevisionId);
  const zip = zipFromInput(input);
  if (input.DryRun === true) return { status: 200, json: fn.latest.configuration };
  const code = await storeZip(context.codeDir, reference.name, zip);
  const configuration = context.store.update(() => {
    // The record may have been replaced while the zip was written; update the one that is there now.
    const current = functionRecord(context, reference);
    checkRevision(input.RevisionId, current.latest.configuration.RevisionId);
    const c = current.latest.configuration;
    c.CodeSha256 = code.sha256;
    c.CodeSize = code.size;
    c.LastModified = lastModified(context.now());
    c.RevisionId = newRevisionId();
    c.State = 'Active';
    c.LastUpdateStatus = 'Successful';
    current.latest.codeFile = code.file;
    return input.Publish === true
      ? publishLatest(context, current, undefined, context.now()).configuration
      : c;
  });
  return { status: 200, json: configuration };
}

/** RevisionId preconditions (UpdateFunctionCode, PublishVersion): only update the revision the caller saw. */
export function checkRevision(given: unknown, current: string | undefined): void {
  if (given !== undefined && given !== null && given !== current) throw preconditionFailed('GetFunction');
}

function optionalString(input: Record<string, unknown>, member: string, key: string): Record<string, string> {
  const value = input[member];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') throw validationError(value, key, 'Member must be a string');
  return { [key]: value };
}

function optionalInteger(
  input: Record<string, unknown>,
  member: string,
  key: string,
  min: number,
  max: number,
): Record<string, number> {
  const value = input[member];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validationError(value, key, `Member must have value between ${min} and ${max}`);
  }
  return { [key]: value };
}

function environmentOf(input: Record<string, unknown>): { environment?: Record<string, string> } {
  const variables = (input.Environment as { Variables?: unknown } | undefined)?.Variables;
  if (variables === undefined || variables === null) return {};
  if (typeof variables !== 'object' || Object.values(variables).some((v) => typeof v !== 'string')) {
    throw invalidParameter('Environment.Variables must map names to string values.');
  }
  return { environment: variables as Record<string, string> };
}

export const functionRoutes: LambdaRoute[] = [
  { operation: 'ListFunctions', method: 'GET', path: '/2015-03-31/functions', handler: listFunctions },
  { operation: 'CreateFunction', method: 'POST', path: '/2015-03-31/functions', handler: createFunction },
  {
    operation: 'GetFunction',
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}',
    handler: getFunction,
  },
  {
    operation: 'GetFunctionConfiguration',
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}/configuration',
    handler: getFunctionConfiguration,
  },
  {
    operation: 'UpdateFunctionCode',
    method: 'PUT',
    path: '/2015-03-31/functions/{FunctionName}/code',
    handler: updateFunctionCode,
  },
];
