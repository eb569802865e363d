import { publishLatest } from './configuration.js';
import type { LambdaContext } from './context.js';
import { invalidParameter } from './errors.js';
import { checkRevision } from './functions.js';
import { functionRecord } from './lookup.js';
import { parseUnqualifiedName } from './names.js';
import {
  jsonBody,
  type LambdaReply,
  type LambdaRequest,
  type LambdaRoute,
  pageOfItems,
} from './rest-protocol.js';

/**
 * PublishVersion: $LATEST becomes the next version, unless nothing changed since the last one (then
 * that version is the answer, as on Lambda). `CodeSha256` and `RevisionId` are preconditions.
 */
function publishVersion(request: LambdaRequest, context: LambdaContext): LambdaReply {
  const input = jsonBody(request);
  const reference = parseUnqualifiedName(request.params.FunctionName, context);
  const configuration = context.store.update(() => {
    const fn = functionRecord(context, reference);
    const current = fn.latest.configuration.CodeSha256;
    if (input.CodeSha256 !== undefined && input.CodeSha256 !== null && input.CodeSha256 !== current) {
      throw invalidParameter(
        `CodeSHA256 (${String(input.CodeSha256)}) is different from current CodeSHA256 in $LATEST (${current}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    checkRevision(input.RevisionId, fn.latest.configuration.RevisionId);
    const description = typeof input.Description === 'string' ? input.Description : undefined;
    return publishLatest(context, fn, description, context.now()).configuration;
  });
  return { status: 201, json: configuration };
}

/** ListVersionsByFunction: $LATEST, then the published versions in order. */
function listVersionsByFunction(request: LambdaRequest, context: LambdaContext): LambdaReply {
  const fn = functionRecord(context, parseUnqualifiedName(request.params.FunctionName, context));
  const versions = [
    fn.latest.configuration,
    ...Object.entries(fn.versions)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, version]) => version.configuration),
  ];
  const page = pageOfItems(versions, request.query);
  return {
    status: 200,
    json: { Versions: page.items, ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}) },
  };
}

export const versionRoutes: LambdaRoute[] = [
  {
    operation: 'PublishVersion',
    method: 'POST',
    path: '/2015-03-31/functions/{FunctionName}/versions',
    handler: publishVersion,
  },
  {
    operation: 'ListVersionsByFunction',
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}/versions',
    handler: listVersionsByFunction,
  },
];
