import type { Store } from '../state/index.js';
import { CODEPIPELINE_JOB_INPUT_RULES } from '../wire/constraints/codepipeline.generated.js';
import { validationMessage, violations } from '../wire/constraints/validate.js';
import { CODEPIPELINE_TIMESTAMP_INPUTS } from '../wire/json-protocol.js';
import { type JsonService, tableService } from '../wire/json-service.js';
import type { CodePipelineContext } from './context.js';
import { CodePipelineError } from './errors.js';
import { ExecutionEngine } from './executions/index.js';
import { DEFAULT_JOB_TIMINGS, JobQueue, type JobTimings } from './jobs/index.js';
import { codePipelineOperations } from './operations.js';

export interface LocalCodePipelineOptions {
  store: Store;
  /** This server's endpoint (the S3 source action copies through it). */
  endpoint: string;
  accountId: string;
  region: string;
  now: () => Date;
  log: (line: string) => void;
  /** Job lifecycle durations; each one not given keeps its default (DEFAULT_JOB_TIMINGS). */
  timings?: Partial<JobTimings>;
}

export interface LocalCodePipeline {
  /** The route on the shared port: `X-Amz-Target: CodePipeline_20150709.*`, signing name `codepipeline`. */
  service: JsonService;
  /** Clears the job timers and stops running source actions. */
  close(): Promise<void>;
}

/** The local CodePipeline: its job queue, its execution engine, and the JSON service answering for both. */
export function startLocalCodePipeline(options: LocalCodePipelineOptions): LocalCodePipeline {
  const timings = { ...DEFAULT_JOB_TIMINGS, ...validTimings(options.timings ?? {}) };
  const jobs = new JobQueue({
    store: options.store,
    now: options.now,
    timings,
    accountId: options.accountId,
    log: options.log,
  });
  const executions = new ExecutionEngine({
    store: options.store,
    jobs,
    endpoint: options.endpoint,
    now: options.now,
    log: options.log,
    region: options.region,
    timings,
  });
  const context: CodePipelineContext = {
    store: options.store,
    accountId: options.accountId,
    region: options.region,
    now: options.now,
    jobs,
    executions,
  };
  const service = tableService(
    {
      targetPrefix: 'CodePipeline_20150709.',
      signingName: 'codepipeline',
      timestampInputs: CODEPIPELINE_TIMESTAMP_INPUTS,
      checkInput: checkJobInput,
    },
    codePipelineOperations(),
    context,
  );
  return {
    service,
    close: async () => {
      jobs.close();
      await executions.close();
    },
  };
}

/**
 * The job API's model constraints (the generated table): CodePipeline answers every broken one with
 * ValidationException in its "1 validation error detected" wording.
 */
function checkJobInput(operation: string, input: unknown): void {
  const rule = Object.hasOwn(CODEPIPELINE_JOB_INPUT_RULES, operation)
    ? CODEPIPELINE_JOB_INPUT_RULES[operation]
    : undefined;
  if (!rule) return;
  const found = violations(rule, input);
  if (found.length > 0) throw new CodePipelineError('ValidationException', validationMessage(found));
}

/** The timings given, each a number of milliseconds ≥ 0 (undefined ones keep their default). */
function validTimings(timings: Partial<JobTimings>): Partial<JobTimings> {
  const given = Object.entries(timings).filter(([, value]) => value !== undefined);
  for (const [name, value] of given) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`pipelines.${name} must be a number of milliseconds >= 0, got ${String(value)}`);
    }
  }
  return Object.fromEntries(given);
}
