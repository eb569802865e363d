import type { AliasConfiguration } from '@aws-sdk/client-lambda';
import type { LambdaFunctionRecord } from '../state/index.js';
import { newRevisionId } from './configuration.js';
import type { LambdaContext } from './context.js';
import {
  functionNotFound,
  invalidParameter,
  preconditionFailed,
  resourceConflict,
  validationError,
} from './errors.js';
import { aliasRecord, functionRecord } from './lookup.js';
import {
  checkAliasName,
  functionArn,
  isVersionNumber,
  type LambdaScope,
  parseUnqualifiedName,
} from './names.js';
import {
  jsonBody,
  type LambdaReply,
  type LambdaRequest,
  type LambdaRoute,
  pageOfItems,
} from './rest-protocol.js';

/** Where an alias points: a version and the additional versions' weights (fractions, 0.1 = 10 %). */
export interface AliasRoute {
  functionVersion: string;
  weights: Record<string, number>;
}

/**
 * Checks a route the way Lambda checks CreateAlias/UpdateAlias: the version exists ($LATEST or
 * published), at most one additional version, published, other than the primary, weighted 0-1, and
 * no weights on an alias of $LATEST.
 */
export function checkAliasRoute(scope: LambdaScope, fn: LambdaFunctionRecord, route: AliasRoute): void {
  const name = fn.latest.configuration.FunctionName ?? '';
  const exists = (version: string) => version === '$LATEST' || fn.versions[version] !== undefined;
  if (!exists(route.functionVersion)) throw functionNotFound(functionArn(scope, name, route.functionVersion));
  const additional = Object.entries(route.weights);
  if (additional.length === 0) return;
  if (additional.length > 1) {
    throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  }
  if (route.functionVersion === '$LATEST') {
    throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  }
  for (const [version, weight] of additional) {
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) {
      throw validationError(
        weight,
        `routingConfig.additionalVersionWeights.${version}`,
        'Member must have value between 0.0 and 1.0',
      );
    }
    if (!isVersionNumber(version)) {
      throw invalidParameter(
        `Invalid function version ${version}. Function version ${version} is not a published version.`,
      );
    }
    if (version === route.functionVersion) {
      throw invalidParameter(
        `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`,
      );
    }
    if (!exists(version)) throw functionNotFound(functionArn(scope, name, version));
  }
}

/** Points an alias (created when missing) at a checked route; a new RevisionId every time. */
export function writeAlias(
  scope: LambdaScope,
  fn: LambdaFunctionRecord,
  alias: string,
  route: AliasRoute,
  description?: string,
): AliasConfiguration {
  checkAliasRoute(scope, fn, route);
  const previous = fn.aliases[alias];
  const weights = Object.keys(route.weights).length > 0 ? { ...route.weights } : undefined;
  const next: AliasConfiguration = {
    AliasArn: functionArn(scope, fn.latest.configuration.FunctionName ?? '', alias),
    Name: alias,
    FunctionVersion: route.functionVersion,
    Description: description ?? previous?.Description ?? '',
    ...(weights ? { RoutingConfig: { AdditionalVersionWeights: weights } } : {}),
    RevisionId: newRevisionId(),
  };
  fn.aliases[alias] = next;
  return next;
}

function weightsOf(routingConfig: unknown): Record<string, number> | undefined {
  if (routingConfig === undefined || routingConfig === null) return undefined;
  const weights = (routingConfig as { AdditionalVersionWeights?: unknown }).AdditionalVersionWeights;
  if (weights === undefined || weights === null) return {};
  if (typeof weights !== 'object' || Array.isArray(weights)) {
    throw invalidParameter('RoutingConfig.AdditionalVersionWeights must map versions to weights.');
  }
  return weights as Record<string, number>;
}

function requiredVersion(value: unknown): string {
  if (typeof value !== 'string' || !/^(\$LATEST|[0-9]+)$/.test(value)) {
    throw validationError(
      value,
      'functionVersion',
      'Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)',
    );
  }
  return value;
}

function createAlias(request: LambdaRequest, context: LambdaContext): LambdaReply {
  const input = jsonBody(request);
  const reference = parseUnqualifiedName(request.params.FunctionName, context);
  const name = checkAliasName(input.Name);
  const functionVersion = requiredVersion(input.FunctionVersion);
  const alias = context.store.update(() => {
    const fn = functionRecord(context, reference);
    if (fn.aliases[name])
      throw resourceConflict(`Alias already exists: ${functionArn(context, reference.name, name)}`);
    const description = typeof input.Description === 'string' ? input.Description : undefined;
    return writeAlias(
      context,
      fn,
      name,
      { functionVersion, weights: weightsOf(input.RoutingConfig) ?? {} },
      description,
    );
  });
  return { status: 201, json: alias };
}

function getAlias(request: LambdaRequest, context: LambdaContext): LambdaReply {
  const fn = functionRecord(context, parseUnqualifiedName(request.params.FunctionName, context));
  return { status: 200, json: aliasRecord(context, fn, checkAliasName(request.params.Name)) };
}

/** UpdateAlias: members left out keep their value; an empty AdditionalVersionWeights ends the split. */
function updateAlias(request: LambdaRequest, context: LambdaContext): LambdaReply {
  const input = jsonBody(request);
  const reference = parseUnqualifiedName(request.params.FunctionName, context);
  const name = checkAliasName(request.params.Name);
  const alias = context.store.update(() => {
    const fn = functionRecord(context, reference);
    const current = aliasRecord(context, fn, name);
    if (
      input.RevisionId !== undefined &&
      input.RevisionId !== null &&
      input.RevisionId !== current.RevisionId
    ) {
      throw preconditionFailed('GetAlias');
    }
    const functionVersion =
      input.FunctionVersion === undefined || input.FunctionVersion === null
        ? (current.FunctionVersion ?? '$LATEST')
        : requiredVersion(input.FunctionVersion);
    const weights = weightsOf(input.RoutingConfig) ?? current.RoutingConfig?.AdditionalVersionWeights ?? {};
    const description = typeof input.Description === 'string' ? input.Description : undefined;
    return writeAlias(context, fn, name, { functionVersion, weights }, description);
  });
  return { status: 200, json: alias };
}

function listAliases(request: LambdaRequest, context: LambdaContext): LambdaReply {
  const fn = functionRecord(context, parseUnqualifiedName(request.params.FunctionName, context));
  const version = request.query.get('FunctionVersion');
  const aliases = Object.values(fn.aliases)
    .filter((alias) => version === null || alias.FunctionVersion === version)
    .sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''));
  const page = pageOfItems(aliases, request.query);
  return {
    status: 200,
    json: { Aliases: page.items, ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}) },
  };
}

export const aliasRoutes: LambdaRoute[] = [
  {
    operation: 'CreateAlias',
    method: 'POST',
    path: '/2015-03-31/functions/{FunctionName}/aliases',
    handler: createAlias,
  },
  {
    operation: 'ListAliases',
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}/aliases',
    handler: listAliases,
  },
  {
    operation: 'GetAlias',
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}',
    handler: getAlias,
  },
  {
    operation: 'UpdateAlias',
    method: 'PUT',
    path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}',
    handler: updateAlias,
  },
];
