import type { RecordedExchange } from '../../src/recording/index.js';
import { resolveShape, type ServiceModel, type Shape } from './models.js';
import { type Models, resolveOperation } from './operations.js';
import { checkJson, isBoundElsewhere, type Violation } from './shapes.js';
import { checkXml, parseXml } from './xml.js';

/** What the checker found in one exchange: its operation's name and the violations. */
export interface ExchangeVerdict {
  operation: string;
  violations: Violation[];
}

/**
 * Holds one recorded response against its operation's model: a success body against the output
 * shape, an error against its protocol's error shape (JSON `__type`, Lambda's `x-amzn-errortype`,
 * S3's `<Error><Code>`). Bodies left out of the recording are not judged.
 */
export function checkExchange(models: Models, exchange: RecordedExchange): ExchangeVerdict {
  const resolved = resolveOperation(models, exchange);
  if ('unresolved' in resolved) {
    // Requests no operation describes (the wire attacks of the security tests) must still be refused
    // in the protocol's error shape.
    if (exchange.status >= 400) {
      const protocol =
        exchange.protocol === 's3' ? 'rest-xml' : exchange.protocol === 'lambda' ? 'rest-json' : 'json';
      const violations =
        exchange.body === undefined ? unreadableError(protocol, exchange) : checkError(protocol, exchange);
      return { operation: `${exchange.protocol}:(no operation)`, violations };
    }
    return {
      operation: `${exchange.method} ${exchange.path}`,
      violations: [{ path: '(request)', problem: resolved.unresolved }],
    };
  }
  const { model, operation } = resolved;
  const name = `${model.id.replace(/-\d{4}-\d{2}-\d{2}$/, '')}:${operation.name}`;
  const verdict = (violations: Violation[]) => ({ operation: name, violations });
  if (exchange.body === undefined) return verdict(unreadableError(model.protocol, exchange));
  if (exchange.status >= 300) return verdict(checkError(model.protocol, exchange));
  const output = operation.output === undefined ? undefined : resolveShape(model, operation.output);
  const declared = model.outputTypes.get(operation.name);
  if (model.protocol === 'rest-xml') {
    if (output === undefined)
      return verdict([{ path: '(body)', problem: 'the operation has no output body' }]);
    if (isStreamingPayload(model, output)) return verdict([]);
    return verdict(
      withParsed(
        () => parseXml(exchange.body ?? ''),
        (root) => [
          ...(root.attributes.xmlns === S3_NAMESPACE
            ? []
            : [
                {
                  path: root.name,
                  problem: `not in S3's namespace ${S3_NAMESPACE} (xmlns=${root.attributes.xmlns ?? 'none'})`,
                },
              ]),
          ...checkXml(model, output, declared, root),
        ],
      ),
    );
  }
  return verdict(
    withParsed(
      () => JSON.parse(exchange.body ?? '') as unknown,
      (body) => {
        if (output === undefined)
          return isEmptyObject(body)
            ? []
            : [{ path: '(body)', problem: 'the operation has no output, the body is not {}' }];
        if (isStreamingPayload(model, output)) return [];
        return checkJson(model, bodyShape(output), declared, body);
      },
    ),
  );
}

/**
 * S3's result documents are in this namespace (the response syntax of every operation in the S3 API
 * reference); the model does not say it, and namespace-aware XML readers need it.
 */
const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An error whose body was not recorded because it was not JSON or XML: SDKs cannot read its code. */
function unreadableError(protocol: string, exchange: RecordedExchange): Violation[] {
  if (exchange.status < 400 || exchange.bodyOmitted !== 'binary' || exchange.method === 'HEAD') return [];
  const format = protocol === 'rest-xml' ? 'XML' : 'JSON';
  return [
    {
      path: '(body)',
      problem: `an error must be ${format}, got content-type ${exchange.headers['content-type'] ?? 'none'}`,
    },
  ];
}

/** Errors: the fields every SDK reads to name the exception. */
function checkError(protocol: string, exchange: RecordedExchange): Violation[] {
  if (protocol === 'rest-xml') {
    return withParsed(
      () => parseXml(exchange.body ?? ''),
      (root) => {
        if (root.name !== 'Error') return [{ path: root.name, problem: 'an S3 error is an <Error> element' }];
        return ['Code', 'Message']
          .filter((field) => !root.children.some((node) => node.name === field))
          .map((field) => ({ path: `Error.${field}`, problem: 'missing' }));
      },
    );
  }
  return withParsed(
    () => JSON.parse(exchange.body ?? '') as unknown,
    (body) => {
      const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const code = protocol === 'rest-json' ? exchange.headers['x-amzn-errortype'] : fields.__type;
      const violations: Violation[] = [];
      if (typeof code !== 'string' || code === '') {
        violations.push({
          path: protocol === 'rest-json' ? 'x-amzn-errortype' : '__type',
          problem: 'an error names its code',
        });
      }
      const message = fields.message ?? fields.Message;
      if (message !== undefined && typeof message !== 'string')
        violations.push({ path: 'message', problem: 'not a string' });
      return violations;
    },
  );
}

/** The output without the members carried in headers or the status code (REST-JSON). */
function bodyShape(output: Shape): Shape {
  const members = Object.fromEntries(
    Object.entries(output.members ?? {}).filter(([, shape]) => !isBoundElsewhere(shape)),
  );
  return { ...output, members };
}

/** Invoke's and GetObject's bodies are the payload itself, not a document. */
function isStreamingPayload(model: ServiceModel, output: Shape): boolean {
  const member = output.payload === undefined ? undefined : output.members?.[output.payload];
  const payload = member === undefined ? undefined : resolveShape(model, member);
  return payload !== undefined && (payload.streaming === true || payload.type === 'blob');
}

function withParsed<T>(parse: () => T, check: (parsed: T) => Violation[]): Violation[] {
  let parsed: T;
  try {
    parsed = parse();
  } catch (error) {
    return [{ path: '(body)', problem: `not well-formed: ${(error as Error).message}` }];
  }
  return check(parsed);
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}
