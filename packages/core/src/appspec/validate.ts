import { parseLocatedYaml, toPlain } from './located-yaml.js';
import { ProblemSink } from './problems.js';
import { checkVersion, detectPlatform } from './rules-document.js';
import { checkEcsAppspec } from './rules-ecs.js';
import { checkLambdaAppspec } from './rules-lambda.js';
import { checkServerAppspec } from './rules-server.js';
import { decodeSource } from './source-text.js';
import type { AppspecProblem, AppspecValidation, ValidateAppspecOptions } from './types.js';

/** The names CodeDeploy looks for at the root of a revision. */
export const APPSPEC_FILE_NAMES = ['appspec.yml', 'appspec.yaml', 'appspec.json'] as const;

/**
 * Parses an AppSpec file and reports every problem at once, each with its line, column and field
 * path, checking what the CodeDeploy agent (EC2/on-premises) or service (Lambda, ECS) would reject.
 * Never throws: unreadable input is reported as problems.
 */
export function validateAppspec(
  source: string | Uint8Array,
  options: ValidateAppspecOptions,
): AppspecValidation {
  const sink = new ProblemSink();
  const decoded = decodeSource(source);
  for (const problem of decoded.problems) sink.push(problem);
  const document = parseLocatedYaml(decoded.text, sink);
  const root = document.root;
  const platform = options.platform ?? detectPlatform(root);

  if (document.parsed) {
    if (root === undefined || (root.kind === 'scalar' && root.value.type === 'null')) {
      sink.error(
        { line: 1, column: 1 },
        '',
        'appspec-empty',
        'The AppSpec file is empty.',
        platform === 'server'
          ? 'Define at least "version: 0.0" and "os: linux" (or windows).'
          : 'Define "version: 0.0" and the Resources section.',
      );
    } else if (root.kind !== 'map') {
      sink.error(
        root,
        '',
        'appspec-not-a-map',
        'The AppSpec file must be a mapping of keys (version, ...), not a single value or a list.',
        'Start the file with "version: 0.0" at column 1.',
      );
    } else {
      checkVersion(sink, root, platform);
      if (platform === 'server') checkServerAppspec(sink, root, options.contents);
      else if (platform === 'lambda') checkLambdaAppspec(sink, root);
      else checkEcsAppspec(sink, root);
      // Inside a revision folder or bundle the caller knows the file's real name and reports this as an
      // error (validation/find-appspec.ts); a lone file may still be renamed on its way into a bundle.
      if (platform === 'server' && !options.contents && options.file.toLowerCase().endsWith('.json')) {
        sink.warn(
          { line: 1, column: 1 },
          '',
          'appspec-json-on-server',
          `${options.file} is JSON, but the CodeDeploy agent looks for appspec.yml (or appspec.yaml) in the bundle.`,
          'Name the file appspec.yml; JSON content is valid YAML, so it can stay as it is.',
        );
      }
    }
  }

  const summary = sink.omittedSummary();
  // Array#sort is stable, so problems at one position keep the order they were found in.
  const problems: AppspecProblem[] = (summary === undefined ? sink.problems : [summary, ...sink.problems])
    .map((problem) => ({ ...problem, file: options.file }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    file: options.file,
    platform,
    valid: !problems.some((problem) => problem.severity === 'error'),
    problems,
    appspec:
      options.plain !== false && document.parsed && root !== undefined
        ? toPlain(root, document.anchored ? new Map() : undefined)
        : undefined,
  };
}
