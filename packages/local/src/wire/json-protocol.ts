import { ServiceError } from './service-error.js';

/**
 * AWS JSON 1.1 body codecs. Timestamps travel as epoch seconds (fractional numbers) both ways; the
 * SDK parses any number where its model has a timestamp, so answers turn every Date into seconds.
 */
export const JSON_11_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** A response body: Dates become epoch seconds, undefined members are left out. */
export function encodeOutput(value: unknown): string {
  return JSON.stringify(toWire(value ?? {}));
}

function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    // fromEntries defines members: a record named `__proto__` stays a member, never a prototype.
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => [key, toWire(member)]),
    );
  }
  return value;
}

/** The input members each operation models as timestamps, as paths into the input. */
export type TimestampPaths = Readonly<Record<string, readonly (readonly string[])[]>>;

/** CodeDeploy inputs with timestamp members (only ListDeployments' time range). */
export const CODEDEPLOY_TIMESTAMP_INPUTS: TimestampPaths = {
  ListDeployments: [
    ['createTimeRange', 'start'],
    ['createTimeRange', 'end'],
  ],
};

/** CodePipeline inputs with timestamp members (the job worker's reported revision time). */
export const CODEPIPELINE_TIMESTAMP_INPUTS: TimestampPaths = {
  PutJobSuccessResult: [['currentRevision', 'created']],
};

/**
 * Parses a request body into the operation's input. An empty body is `{}` (SDKs send `{}`, curl may
 * send nothing); anything that is not a JSON object is a SerializationException, as on AWS.
 */
export function decodeInput(body: string, timestampPaths: readonly (readonly string[])[] = []): unknown {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ServiceError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ServiceError('SerializationException', 'Start of structure or map found where not expected.');
  }
  for (const path of timestampPaths) reviveTimestamp(parsed as Record<string, unknown>, path);
  return parsed;
}

function reviveTimestamp(root: Record<string, unknown>, path: readonly string[]): void {
  const parents = path.slice(0, -1);
  const leaf = path[path.length - 1];
  let node: unknown = root;
  for (const key of parents) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[key];
  }
  if (leaf === undefined || node === null || typeof node !== 'object') return;
  const holder = node as Record<string, unknown>;
  const raw = holder[leaf];
  if (raw === undefined || raw === null) return;
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    throw new ServiceError(
      'SerializationException',
      `Expected a timestamp (epoch seconds) for ${path.join('.')}, got ${JSON.stringify(raw)}`,
    );
  }
  holder[leaf] = new Date(raw * 1000);
}

/** The JSON 1.1 error body: `{"__type": code, "message": message}`. */
export function encodeError(code: string, message: string): string {
  return JSON.stringify({ __type: code, message });
}
