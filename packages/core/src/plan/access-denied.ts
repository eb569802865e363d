import type { PlanFinding } from './model.js';

/**
 * A read call AWS refused for want of an IAM permission. CodeDeploy has no DryRun parameter, so a
 * plan's own refused reads are what it can tell about missing permissions: `deploy` makes the same
 * reads, under the same credentials, before it creates anything.
 */
export interface DeniedRead {
  /** `codedeploy:GetDeploymentGroup`, `s3:GetObject`. */
  action: string;
  /** The ARN AWS named, else the resource from the request (`deployment group app/group`, an S3 ARN). */
  resource: string;
}

/** The error names AWS answers a call its caller may not make with, across the services plan reads. */
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

const SERVICES = new Map([
  ['CodeDeployClient', 'codedeploy'],
  ['S3Client', 's3'],
  ['LambdaClient', 'lambda'],
  ['ECSClient', 'ecs'],
]);

/** S3 authorizes these reads under another action's name (S3 API reference, "Permissions"). */
const S3_ACTIONS = new Map([
  ['HeadObject', 'GetObject'],
  ['ListObjectsV2', 'ListBucket'],
  ['HeadBucket', 'ListBucket'],
]);

type Handler = (args: { input: object }) => Promise<unknown>;
type Context = { clientName?: string; commandName?: string };

/** The part of an AWS SDK v3 client this needs: its middleware stack. */
export interface MiddlewareHost {
  middlewareStack: {
    add(
      middleware: (next: Handler, context: Context) => Handler,
      options: { step: 'initialize'; name: string; override: boolean },
    ): void;
    remove(name: string): boolean;
  };
}

const MIDDLEWARE = 'codedeploy-gate-plan-denied-reads';

/**
 * Notes which call an AccessDenied answered, so the plan can name the IAM action and resource of an
 * error that reaches it wrapped ("reading deployment group …: …"). The middleware is added to the
 * clients the plan uses and removed again when it ends: a client the caller passed in is left as it was.
 */
export class DeniedReads {
  private readonly denials = new WeakMap<object, DeniedRead>();
  private readonly hosts = new Set<MiddlewareHost>();

  watch<T extends MiddlewareHost>(client: T): T {
    if (this.hosts.has(client)) return client;
    this.hosts.add(client);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if (isDenied(error, context)) this.denials.set(error, deniedRead(error, context, args.input));
          throw error;
        }
      },
      { step: 'initialize', name: MIDDLEWARE, override: true },
    );
    return client;
  }

  /** The denied read behind an error, looked up through its `cause` chain. */
  of(error: unknown): DeniedRead | undefined {
    for (let at = error; at !== null && typeof at === 'object'; at = (at as { cause?: unknown }).cause) {
      const denial = this.denials.get(at);
      if (denial) return denial;
    }
    return undefined;
  }

  release(): void {
    for (const host of this.hosts) host.middlewareStack.remove(MIDDLEWARE);
    this.hosts.clear();
  }
}

/** S3 answers a HEAD without a body, so a refused HeadObject is known by its 403 alone. */
function isDenied(error: unknown, context: Context): error is object {
  if (error === null || typeof error !== 'object') return false;
  if (DENIED.has((error as Error).name)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return context.clientName === 'S3Client' && status === 403;
}

function deniedRead(error: object, context: Context, input: object): DeniedRead {
  const service = SERVICES.get(context.clientName ?? '') ?? 'aws';
  const operation = (context.commandName ?? 'UnknownCommand').replace(/Command$/, '');
  const action = `${service}:${service === 's3' ? (S3_ACTIONS.get(operation) ?? operation) : operation}`;
  const named = /on resource: (\S+)/.exec((error as Error).message ?? '')?.[1];
  return { action, resource: named ?? resourceOf(service, input as Record<string, unknown>) };
}

/** The resource a request is about, from its input, as exact as the input allows (no account id). */
function resourceOf(service: string, input: Record<string, unknown>): string {
  const text = (key: string) => (typeof input[key] === 'string' ? (input[key] as string) : undefined);
  if (service === 's3') {
    const bucket = text('Bucket') ?? '';
    const key = text('Key');
    return `arn:aws:s3:::${bucket}${key ? `/${key}` : ''}`;
  }
  if (service === 'lambda') return `function ${text('FunctionName') ?? ''}`;
  if (service === 'ecs') {
    if (text('taskDefinition')) return `task definition ${text('taskDefinition')}`;
    const services = Array.isArray(input.services) ? input.services.join(', ') : '';
    return `service ${text('cluster') ?? 'default'}/${services}`;
  }
  const application = text('applicationName');
  const group = text('deploymentGroupName');
  if (application && group) return `deployment group ${application}/${group}`;
  if (application) return `application ${application}`;
  if (text('deploymentConfigName')) return `deployment configuration ${text('deploymentConfigName')}`;
  if (text('deploymentId')) return `deployment ${text('deploymentId')}`;
  return 'on-premises instances';
}

/**
 * The blocking finding for a refused read. `serviceRoleArn`: the role CodeDeploy itself acts as
 * during the deployment, which plan cannot test (only a write call would use it).
 */
export function deniedFinding(denial: DeniedRead, serviceRoleArn: string | undefined): PlanFinding {
  const role = serviceRoleArn
    ? ` CodeDeploy itself will act as the group's service role ${serviceRoleArn}; plan cannot test that role's permissions without a write call.`
    : '';
  return {
    severity: 'blocking',
    code: 'access-denied',
    message: `these credentials may not call ${denial.action} on ${denial.resource} (AccessDenied): ${
      denial.action.startsWith('s3:')
        ? 'the plan cannot read the revision'
        : 'deploy makes the same call and would fail'
    }; the plan stops here`,
    hint: `Allow ${denial.action} on ${denial.resource} in the policy of the role or user that runs codedeploy-gate.${role}`,
  };
}
