import type { RecordedExchange } from '../../src/recording/index.js';
import type { Operation, ServiceModel } from './models.js';

/** The model and operation a recorded exchange was, or why it cannot be told. */
export type Resolved = { model: ServiceModel; operation: Operation } | { unresolved: string };

export type Models = Record<'codedeploy' | 'codepipeline' | 'ecs' | 'lambda' | 's3', ServiceModel>;

export function resolveOperation(models: Models, exchange: RecordedExchange): Resolved {
  if (exchange.protocol === 'json') {
    const [prefix, name] = (exchange.operation ?? '').split('.');
    const model = Object.values(models).find(
      (m) => m.targetPrefix !== undefined && m.targetPrefix === prefix,
    );
    const operation = name === undefined ? undefined : model?.operations.get(name);
    return model && operation ? { model, operation } : { unresolved: `unknown target ${exchange.operation}` };
  }
  if (exchange.protocol === 'lambda') {
    const operation = models.lambda.operations.get(exchange.operation ?? '');
    return operation
      ? { model: models.lambda, operation }
      : { unresolved: `unknown Lambda operation ${exchange.operation}` };
  }
  const operation = s3Operation(models.s3, exchange);
  return operation
    ? { model: models.s3, operation }
    : { unresolved: `no S3 operation for ${exchange.method} ${exchange.path}` };
}

/**
 * The S3 operation of a path-style request: same method and path form (service, bucket, object), every
 * query parameter its URI and required inputs name present, and of those the one that names the most
 * (`GET /b/k?uploadId=` is ListParts, not GetObject; `PUT /b/k` with x-amz-copy-source is CopyObject).
 */
function s3Operation(model: ServiceModel, exchange: RecordedExchange): Operation | undefined {
  const form = pathForm(exchange.path);
  let best: { operation: Operation; score: number } | undefined;
  for (const operation of model.operations.values()) {
    // The model leaves out the method when it is POST.
    if ((operation.http?.method ?? 'POST') !== exchange.method) continue;
    const [template = '', literalQuery = ''] = (operation.http?.requestUri ?? '/').split('?');
    if (templateForm(template) !== form) continue;
    const needs = requirements(operation, literalQuery);
    const met = needs.every((need) =>
      need.in === 'query'
        ? exchange.query[need.name] !== undefined &&
          (need.value === undefined || exchange.query[need.name] === need.value)
        : exchange.requestHeaders.includes(need.name),
    );
    if (met && (best === undefined || needs.length > best.score)) best = { operation, score: needs.length };
  }
  return best?.operation;
}

type Requirement = { in: 'query'; name: string; value?: string } | { in: 'header'; name: string };

function requirements(operation: Operation, literalQuery: string): Requirement[] {
  const needs: Requirement[] = [];
  for (const part of literalQuery.split('&').filter(Boolean)) {
    const [name = '', value] = part.split('=');
    needs.push({ in: 'query', name, ...(value === undefined ? {} : { value }) });
  }
  const input = operation.input;
  for (const name of input?.required ?? []) {
    const member = input?.members?.[name];
    if (member?.location === 'querystring' && member.locationName)
      needs.push({ in: 'query', name: member.locationName });
    if (member?.location === 'header' && member.locationName)
      needs.push({ in: 'header', name: member.locationName.toLowerCase() });
  }
  return needs;
}

function pathForm(path: string): 'service' | 'bucket' | 'object' {
  const [, bucket = '', ...key] = path.split('/');
  if (bucket === '') return 'service';
  return key.join('/') === '' ? 'bucket' : 'object';
}

function templateForm(template: string): 'service' | 'bucket' | 'object' | 'other' {
  if (template === '/') return 'service';
  if (template === '/{Bucket}') return 'bucket';
  if (template === '/{Bucket}/{Key+}') return 'object';
  return 'other';
}
