import type { AppspecValidation } from './types.js';

/**
 * Human-readable report: one block per problem
 * (`appspec.yml:12:7 error hooks.AfterInstall[0].timeout: <message>` and an indented hint line),
 * then a summary line such as `2 errors, 1 warning in appspec.yml`.
 */
export function formatProblems(validation: AppspecValidation): string {
  const blocks = validation.problems.map((problem) => {
    const where = `${problem.file}:${problem.line}:${problem.column}`;
    const field = problem.path === '' ? '' : ` ${problem.path}:`;
    return `${where} ${problem.severity}${field} ${problem.message}\n    hint: ${problem.hint}`;
  });
  const errors = validation.problems.filter((problem) => problem.severity === 'error').length;
  const warnings = validation.problems.length - errors;
  blocks.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${validation.file}`);
  return blocks.join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
