import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it, onTestFinished } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import type { Clock } from '../gate/clock.js';
import { lambdaRevision } from './lambda-revision.js';

/**
 * A scripted Lambda: the end-to-end tests run the real SDK against the local Lambda; these pin the
 * order of calls — every check before the first change — which an end-to-end test sees only as "no
 * version was published".
 */
function scriptedLambda(state: {
  functions: string[];
  alias?: { FunctionVersion: string; RoutingConfig?: { AdditionalVersionWeights: Record<string, number> } };
  versions?: string[];
  updateLooks?: number;
  /** Looks at $LATEST that still find someone else's update running before ours starts. */
  busyLooks?: number;
  publishes?: string;
}) {
  const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
  let updating = state.busyLooks ?? 0;
  const notFound = () =>
    Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' });
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.push({ name, input: command.input });
      const fn = command.input.FunctionName as string;
      switch (name) {
        case 'GetFunctionConfiguration': {
          if (!state.functions.includes(fn)) throw notFound();
          const qualifier = command.input.Qualifier as string | undefined;
          if (qualifier !== undefined && !(state.versions ?? []).includes(qualifier)) throw notFound();
          const inProgress = updating > 0;
          if (inProgress) updating -= 1;
          return {
            FunctionName: fn,
            CodeSha256: inProgress ? 'old' : 'sha-new',
            RevisionId: 'rev-1',
            LastUpdateStatus: inProgress ? 'InProgress' : 'Successful',
          };
        }
        case 'GetAlias':
          if (state.alias === undefined) throw notFound();
          return state.alias;
        case 'UpdateFunctionCode':
          if (updating > 0) {
            throw Object.assign(new Error('An update is in progress for resource'), {
              name: 'ResourceConflictException',
            });
          }
          updating = state.updateLooks ?? 0;
          return { CodeSha256: 'sha-new', LastUpdateStatus: 'InProgress' };
        case 'PublishVersion':
          return { Version: state.publishes ?? '8' };
        default:
          throw new Error(`unexpected ${name}`);
      }
    },
  } as unknown as LambdaClient;
  return { client, calls, names: () => calls.map((c) => c.name) };
}

const clock = (): Clock & { slept: number[] } => {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
};

const source = { kind: 'lambda' as const, functionName: 'checkout', alias: 'live' };
const live = { FunctionVersion: '7' };

async function failure(run: Promise<unknown>): Promise<InvalidInputError> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (error instanceof InvalidInputError) return error;
  throw new Error(`expected an InvalidInputError, got ${String(error)}`);
}

describe('lambdaRevision', () => {
  it('uploads the zip, waits for the update, publishes with the new code hash and builds the AppSpec', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdg-lambda-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const zip = join(dir, 'build.zip');
    await writeFile(zip, Buffer.from('PK\x03\x04 fake zip'));
    const lambda = scriptedLambda({ functions: ['checkout', 'smoke'], alias: live, updateLooks: 2 });
    const changes: string[] = [];
    const ticking = clock();

    const built = await lambdaRevision(
      { ...source, zipFile: zip, hooks: { AfterAllowTraffic: 'smoke' } },
      { lambda: lambda.client, clock: ticking, pollMs: 250, onChange: (detail) => changes.push(detail) },
    );

    expect(lambda.names()).toEqual([
      'GetFunctionConfiguration',
      'GetAlias',
      'GetFunctionConfiguration', // the hook function exists
      'UpdateFunctionCode',
      'GetFunctionConfiguration', // InProgress
      'GetFunctionConfiguration', // InProgress
      'GetFunctionConfiguration', // Successful
      'PublishVersion',
    ]);
    expect(ticking.slept).toEqual([250, 250]);
    expect(lambda.calls.at(-1)?.input).toEqual({
      FunctionName: 'checkout',
      CodeSha256: 'sha-new',
      RevisionId: 'rev-1',
    });
    expect(changes).toEqual([`updating the code of checkout from ${zip}`, 'published version 8 of checkout']);
    expect(built.lambda).toEqual({
      functionName: 'checkout',
      alias: 'live',
      currentVersion: '7',
      targetVersion: '8',
      origin: 'uploaded',
    });
    expect(built.appspec).toContain('        CurrentVersion: "7"\n        TargetVersion: "8"\n');
    expect(built.revision.appSpecContent?.content).toBe(built.appspec);
    expect(built.revision.appSpecContent?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets an update already running finish before uploading the zip', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdg-lambda-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const zip = join(dir, 'build.zip');
    await writeFile(zip, Buffer.from('PK\x03\x04 fake zip'));
    // The first two looks find another update running; the third sees it finished.
    const lambda = scriptedLambda({ functions: ['checkout'], alias: live, busyLooks: 2 });

    const built = await lambdaRevision(
      { ...source, zipFile: zip },
      { lambda: lambda.client, clock: clock(), pollMs: 250 },
    );

    expect(lambda.names()).toEqual([
      'GetFunctionConfiguration', // InProgress: someone else's update
      'GetAlias',
      'GetFunctionConfiguration', // still InProgress
      'GetFunctionConfiguration', // Successful
      'UpdateFunctionCode',
      'GetFunctionConfiguration',
      'PublishVersion',
    ]);
    expect(built.lambda.targetVersion).toBe('8');
  });

  it('shifts to a given version after checking it exists, publishing nothing', async () => {
    const lambda = scriptedLambda({ functions: ['checkout'], alias: live, versions: ['9'] });

    const built = await lambdaRevision(
      { ...source, targetVersion: '9', appspecFormat: 'json' },
      { lambda: lambda.client },
    );

    expect(lambda.names()).toEqual(['GetFunctionConfiguration', 'GetAlias', 'GetFunctionConfiguration']);
    expect(lambda.calls[2]?.input).toEqual({ FunctionName: 'checkout', Qualifier: '9' });
    expect(built.lambda.origin).toBe('given');
    expect(JSON.parse(built.appspec).Resources[0].checkout.Properties.TargetVersion).toBe('9');
  });

  it('refuses an alias mid-shift before changing anything', async () => {
    const lambda = scriptedLambda({
      functions: ['checkout'],
      alias: { FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { '8': 0.25 } } },
    });

    const error = await failure(
      lambdaRevision({ ...source, zipFile: 'never-read.zip' }, { lambda: lambda.client }),
    );

    expect(error.message).toContain('already splits traffic (version 7, 25% on version 8)');
    expect(lambda.names()).toEqual(['GetFunctionConfiguration', 'GetAlias']);
  });

  it('names the missing function, alias, version or hook function, with nothing published', async () => {
    const cases: Array<
      [Parameters<typeof scriptedLambda>[0], Partial<typeof source> & Record<string, unknown>, string]
    > = [
      [{ functions: [] }, {}, 'Lambda function checkout does not exist; nothing was created'],
      [{ functions: ['checkout'] }, {}, 'Lambda function checkout has no alias live; nothing was created'],
      [
        { functions: ['checkout'], alias: live },
        { targetVersion: '9' },
        'Lambda function checkout has no version 9; nothing was created',
      ],
      [
        { functions: ['checkout'], alias: live },
        { hooks: { BeforeAllowTraffic: 'missing-hook' } },
        'the BeforeAllowTraffic hook function missing-hook does not exist; nothing was created',
      ],
    ];
    for (const [state, extra, message] of cases) {
      const lambda = scriptedLambda(state);
      const error = await failure(lambdaRevision({ ...source, ...extra }, { lambda: lambda.client }));
      expect(error.message).toBe(message);
      expect(lambda.names()).not.toContain('PublishVersion');
    }
  });

  it('refuses a hook name the AppSpec cannot carry before publishing', async () => {
    const lambda = scriptedLambda({ functions: ['checkout', 'bad name!'], alias: live });

    const error = await failure(
      lambdaRevision({ ...source, hooks: { BeforeAllowTraffic: 'bad name!' } }, { lambda: lambda.client }),
    );

    expect(error.message).toMatch(
      /^the AppSpec built for checkout:live is invalid: Hooks\[0\]\.BeforeAllowTraffic/,
    );
    expect(lambda.names()).not.toContain('PublishVersion');
  });

  it('says there is nothing to shift when the version given or published is the live one', async () => {
    const given = scriptedLambda({ functions: ['checkout'], alias: live, versions: ['7'] });
    expect(
      (await failure(lambdaRevision({ ...source, targetVersion: '7' }, { lambda: given.client }))).message,
    ).toBe(
      'nothing to deploy: the target version is 7, which checkout:live already points to; no deployment was created',
    );
    const unchanged = scriptedLambda({ functions: ['checkout'], alias: live, publishes: '7' });
    const error = await failure(lambdaRevision(source, { lambda: unchanged.client }));
    expect(error.message).toContain("the function's code and configuration are those of version 7");
    expect(error.hint).toContain('Change the code');
  });

  it('refuses a code package that is not a zip before changing anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdg-lambda-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const tgz = join(dir, 'build.tgz');
    await writeFile(tgz, Buffer.from([0x1f, 0x8b, 0x08, 0]));
    const lambda = scriptedLambda({ functions: ['checkout'], alias: live });

    const error = await failure(lambdaRevision({ ...source, zipFile: tgz }, { lambda: lambda.client }));

    expect(error.message).toBe(`${tgz} is not a zip archive; Lambda takes code packages as .zip`);
    expect(lambda.names()).not.toContain('UpdateFunctionCode');
  });
});
