import { resolve } from 'node:path';
import { type ComputePlatform, formatProblems } from '@codedeploy-gate/core/appspec';
import {
  type BundleFormat,
  bundleFormatFromName,
  DEFAULT_IGNORE_PATTERNS,
} from '@codedeploy-gate/core/bundle';
import { ExitCode, InvalidInputError } from '@codedeploy-gate/core/errors';
import { packageRevision } from '@codedeploy-gate/core/packaging';
import { choice, onePositional, parseCommandArgs, required } from '../cli-args.js';
import { noticeLine } from '../terminal/notices.js';
import { formatBytes, ProgressThrottle } from '../terminal/progress.js';
import type { Command } from './context.js';

export const FORMATS: readonly BundleFormat[] = ['zip', 'tar', 'tgz'];
export const PLATFORMS: readonly ComputePlatform[] = ['server', 'lambda', 'ecs'];

/** --format wins; otherwise the output name's extension; otherwise zip. A contradiction is an error. */
export function resolveFormat(flag: string | undefined, outName: string | undefined): BundleFormat {
  const fromFlag = choice('--format', flag, FORMATS);
  const fromName = outName === undefined ? undefined : bundleFormatFromName(outName);
  if (fromFlag && fromName && fromFlag !== fromName) {
    throw new InvalidInputError(`--format ${fromFlag} does not match the output name ${outName}`, {
      hint: `Name the file .${fromFlag} or drop --format.`,
    });
  }
  return fromFlag ?? fromName ?? 'zip';
}

/** The default ignore list for --help (package, push, deploy), wrapped to the help's width. */
export const DEFAULT_IGNORES_USAGE = `Left out by default, at any depth (secrets and version-control metadata, gitignore syntax):
${wrap(DEFAULT_IGNORE_PATTERNS, '  ', 98)}
A "!PATTERN" line in .codedeployignore brings one back: !.env, !config/.env, or !/.git/ for a folder
(a file below a left-out folder comes back only with its folder). Skipped paths are reported.`;

function wrap(words: readonly string[], indent: string, width: number): string {
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.length > indent.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
    }
    line += line.length > indent.length ? ` ${word}` : word;
  }
  lines.push(line);
  return lines.join('\n');
}

export const packageCommand: Command = {
  usage: `Usage: codedeploy-gate package DIR --out FILE [--format zip|tar|tgz] [--exclude PATTERN]... [--json]

Validates DIR's appspec first (an invalid revision writes no bundle), then writes a bundle whose
bytes depend only on the tree: entries sorted, timestamps fixed (SOURCE_DATE_EPOCH or 1980-01-01),
owners normalised, file modes and in-tree symlinks kept. Paths matched by the default list below,
DIR/.codedeployignore (gitignore syntax) or --exclude are left out. Prints the bundle's sha256.

${DEFAULT_IGNORES_USAGE}

Options:
  --out FILE         where to write the bundle (required): a regular file, replaced whole, or a new
                     one; never a device, pipe, socket or folder, nor inside DIR unless excluded
  --format F         zip (default), tar or tgz; taken from --out's extension when omitted
  --exclude PATTERN  leave matching paths out, gitignore syntax (repeatable)
  --platform P       server, lambda or ecs (detected when omitted)
  --level N          deflate level 0-9 (default 5, chosen by measurement, see bench/README.md)
  --concurrency N    compression threads (default: one per core up to 256 MiB of input, then 1
                     so peak memory stays flat; the bytes are the same either way)
  --json             print the result as JSON on stdout
  --debug            show stack traces

Exit status: 0 bundle written, 2 invalid revision or options (no bundle written).`,

  async run({ argv, output, signal }) {
    const { values, positionals } = parseCommandArgs('package', argv, {
      out: { type: 'string', short: 'o' },
      format: { type: 'string' },
      exclude: { type: 'string', multiple: true },
      platform: { type: 'string' },
      level: { type: 'string' },
      concurrency: { type: 'string' },
    });
    const dir = onePositional('package', 'DIR', positionals);
    const out = resolve(required('package', '--out', values.out));
    const format = resolveFormat(values.format, out);
    const platform = choice('--platform', values.platform, PLATFORMS);
    const level = parseLevel(values.level);
    const concurrency = parseConcurrency(values.concurrency);
    const throttle = new ProgressThrottle(output);
    try {
      const result = await packageRevision(dir, out, {
        format,
        signal,
        ...(level === undefined ? {} : { level }),
        ...(concurrency === undefined ? {} : { concurrency }),
        ...(platform ? { platform } : {}),
        ...(values.exclude ? { exclude: values.exclude } : {}),
        onProgress: (p) =>
          throttle.update(
            'bundling',
            p.bytesDone,
            p.bytesTotal,
            () => `${p.entriesDone}/${p.entriesTotal} entries`,
          ),
      });
      throttle.reset();
      const { bundle } = result;
      if (output.json) {
        output.result({
          ...bundle,
          ignored: result.ignored.length,
          notices: result.notices,
          platform: result.validation.platform,
        });
        return ExitCode.Success;
      }
      if (result.validation.problems.length > 0) output.diagnostic(formatProblems(result.validation));
      for (const notice of result.notices) output.line(noticeLine(output, notice));
      output.line(
        output.green(`✓ ${bundle.file}`) +
          ` (${bundle.format}, ${bundle.files} files, ${bundle.directories} directories, ${bundle.symlinks} symlinks)`,
      );
      output.line(`  size    ${formatBytes(bundle.size)} from ${formatBytes(bundle.inputBytes)}`);
      const ignored = result.ignored.length;
      if (ignored > 0)
        output.line(
          `  ignored ${ignored} path${ignored === 1 ? '' : 's'} (default list, .codedeployignore, --exclude)`,
        );
      output.line(`  sha256  ${bundle.sha256}`);
      return ExitCode.Success;
    } finally {
      throttle.reset();
    }
  },
};

function parseLevel(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const level = Number(value);
  if (Number.isInteger(level) && level >= 0 && level <= 9) return level;
  throw new InvalidInputError(`--level must be a whole number from 0 to 9, not "${value}"`, {
    hint: 'Omit --level for the measured default.',
  });
}

export function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const threads = Number(value);
  if (Number.isInteger(threads) && threads >= 1 && threads <= 64) return threads;
  throw new InvalidInputError(`--concurrency must be a whole number from 1 to 64, not "${value}"`, {
    hint: 'Omit it to use one thread per core.',
  });
}
