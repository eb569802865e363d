import { context } from '@actions/github';
import { InvalidInputError } from '@codedeploy-gate/core';

/** The run's repository as `owner/repo`; GitHub sets GITHUB_REPOSITORY on every runner. */
export function repository(): string {
  try {
    const { owner, repo } = context.repo;
    return `${owner}/${repo}`;
  } catch (error) {
    throw new InvalidInputError('GITHUB_REPOSITORY is not set: cannot tell which repository to deploy', {
      hint: 'Run the action in a GitHub Actions workflow (or set GITHUB_REPOSITORY=owner/repo and GITHUB_SHA).',
      cause: error,
    });
  }
}

/** The commit this run is for: what revision-type github deploys. */
export function commit(): string {
  if (!/^[0-9a-f]{40}$/i.test(context.sha ?? '')) {
    throw new InvalidInputError(`GITHUB_SHA is not a commit id (${JSON.stringify(context.sha ?? '')})`, {
      hint: 'Run the action in a GitHub Actions workflow, where GITHUB_SHA names the commit.',
    });
  }
  return context.sha;
}

/**
 * What a person finds in the CodeDeploy console next to the deployment: which repository and commit,
 * which workflow run (with a link back), and who started it.
 */
export function defaultDescription(): string {
  const repo = process.env.GITHUB_REPOSITORY ?? '';
  const sha = (context.sha ?? '').slice(0, 12);
  const attempt = context.runAttempt > 1 ? ` attempt ${context.runAttempt}` : '';
  const run = context.runId ? `${context.serverUrl}/${repo}/actions/runs/${context.runId}` : '';
  return [
    `GitHub ${repo}@${sha}`,
    `${context.workflow} #${context.runNumber}${attempt}`,
    context.actor ? `by ${context.actor}` : '',
    run,
  ]
    .filter(Boolean)
    .join(' · ');
}
