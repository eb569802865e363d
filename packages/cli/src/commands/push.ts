import { formatProblems } from '@codedeploy-gate/core/appspec';
import { ExitCode } from '@codedeploy-gate/core/errors';
import { type PushProgress, type PushResult, pushRevision } from '@codedeploy-gate/core/push';
import { createDeploymentCommand } from '@codedeploy-gate/core/revision';
import { choice, onePositional, parseCommandArgs, required } from '../cli-args.js';
import { noticeLine } from '../terminal/notices.js';
import { formatBytes, ProgressThrottle } from '../terminal/progress.js';
import { AWS_OPTIONS, awsOptions, awsUsage } from './aws-options.js';
import type { Command } from './context.js';
import { DEFAULT_IGNORES_USAGE, PLATFORMS, parseConcurrency, resolveFormat } from './package.js';

export const pushCommand: Command = {
  usage: `Usage: codedeploy-gate push DIR --application APP --s3-location s3://BUCKET/PREFIX [options]

Checks that APP exists, validates and packages DIR (as \`package\` does), uploads the bundle to a
content-addressed key, s3://BUCKET/PREFIX/APP-<sha256>.<format>, and registers it as a revision of
APP. When that exact bundle is already in S3 it is not uploaded again. Large bundles go up as a
parallel multipart upload that is aborted on failure, so no orphaned parts are left behind.

Unchanged trees are not packaged again: push first fingerprints the tree (paths, modes, sizes,
SHA-256 of every file, link targets, format, level, timestamp, bundle layout and zlib version) and
looks for s3://BUCKET/PREFIX/fingerprints/APP-<fingerprint>, recorded by an earlier push. When it
and its bundle are there, that bundle is registered as it is: nothing is built or uploaded.
To fingerprint without reading every file, push keeps each file's SHA-256 by path, size, mtime,
ctime, inode and device in $XDG_CACHE_HOME/codedeploy-gate (else ~/.cache/codedeploy-gate); the
cache only decides "unchanged": a bundle is always built from the files as read then.

${DEFAULT_IGNORES_USAGE}

Options:
  --application APP     the CodeDeploy application (required)
  --s3-location URL     s3://BUCKET/PREFIX (required)
  --format F            zip (default), tar or tgz
  --exclude PATTERN     leave matching paths out, gitignore syntax (repeatable)
  --platform P          server, lambda or ecs (detected when omitted)
  --description TEXT    the revision's description
  --concurrency N       compression threads (default: one per core up to 256 MiB of input, then 1)
  --force-upload        build and upload the bundle even when S3 already holds it
  --no-cache            read every file to fingerprint the tree, keep no cache
                        (also CODEDEPLOY_GATE_NO_CACHE=1)
${awsUsage(24)}
  --json                print the result as JSON on stdout
  --debug               show stack traces

AWS access uses the standard credential chain. AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3 and
AWS_ENDPOINT_URL_CODEDEPLOY point it elsewhere (S3 then uses path-style addressing).

Exit status: 0 pushed, 2 invalid revision or options (nothing uploaded), 4 AWS or network failure.`,

  async run({ argv, output, signal, env }) {
    const { values, positionals } = parseCommandArgs('push', argv, {
      application: { type: 'string' },
      's3-location': { type: 'string' },
      format: { type: 'string' },
      exclude: { type: 'string', multiple: true },
      platform: { type: 'string' },
      description: { type: 'string' },
      ...AWS_OPTIONS,
      concurrency: { type: 'string' },
      'force-upload': { type: 'boolean' },
      'no-cache': { type: 'boolean' },
    });
    const dir = onePositional('push', 'DIR', positionals);
    const application = required('push', '--application', values.application);
    const s3Location = required('push', '--s3-location', values['s3-location']);
    const format = resolveFormat(values.format, undefined);
    const platform = choice('--platform', values.platform, PLATFORMS);
    const concurrency = parseConcurrency(values.concurrency);
    const aws = await awsOptions(env, values);
    const throttle = new ProgressThrottle(output);
    let stage: PushProgress['stage'] | undefined;
    const onProgress = (p: PushProgress) => {
      if (p.stage !== stage) {
        throttle.reset();
        stage = p.stage;
        if (p.stage === 'checking') output.line(output.dim(`checking application ${p.application}`));
        if (p.stage === 'unchanged') output.line(output.dim(`unchanged since the push of ${p.key}`));
        if (p.stage === 'registering') output.line(output.dim(`registering revision with ${p.application}`));
        if (p.stage === 'packaged') for (const notice of p.notices) output.line(noticeLine(output, notice));
      }
      if (p.stage === 'bundling') {
        throttle.update(
          'bundling',
          p.bytesDone,
          p.bytesTotal,
          () => `${p.entriesDone}/${p.entriesTotal} entries`,
        );
      } else if (p.stage === 'uploading') {
        throttle.update(
          'uploading',
          p.bytesDone,
          p.bytesTotal,
          (d, t) => `${formatBytes(d)}/${formatBytes(t)}`,
        );
      }
    };
    const result = await pushRevision(dir, {
      application,
      s3Location,
      format,
      ...aws,
      signal,
      onProgress,
      ...(platform ? { platform } : {}),
      ...(values.exclude ? { exclude: values.exclude } : {}),
      ...(values.description ? { description: values.description } : {}),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(values['force-upload'] ? { forceUpload: true } : {}),
      ...(values['no-cache'] ? { contentCache: false } : {}),
    });
    throttle.reset();
    if (output.json) {
      const { validation, ...rest } = result;
      output.result({ ...rest, platform: validation.platform, warnings: validation.problems.length });
      return ExitCode.Success;
    }
    if (result.validation.problems.length > 0) output.diagnostic(formatProblems(result.validation));
    printPushed(output, result);
    return ExitCode.Success;
  },
};

function printPushed(output: Parameters<Command['run']>[0]['output'], result: PushResult): void {
  const url = `s3://${result.bucket}/${result.key}`;
  const bundled = result.bundled ? 'files bundled' : 'files unchanged, bundle not rebuilt';
  output.line(
    `${output.green(`✓ ${result.files} ${bundled}`)} (${result.bundleType}, ${formatBytes(result.size)})`,
  );
  output.line(
    result.uploaded
      ? output.green(`✓ uploaded ${url}`)
      : output.green(
          `✓ ${url} already in S3 with this ${result.bundled ? 'sha256' : 'fingerprint'}, not uploaded again`,
        ),
  );
  output.line(output.green(`✓ registered with application ${result.application}`));
  output.line(`  sha256   ${result.sha256}`);
  output.line(`  etag     ${result.eTag}${result.versionId ? `  version ${result.versionId}` : ''}`);
  output.line('');
  output.line('To deploy this revision:');
  output.line(`  ${createDeploymentCommand({ application: result.application, revision: result.revision })}`);
}
