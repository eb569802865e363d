import * as core from '@actions/core';
import { context } from '@actions/github';
// Octokit from its own module, not the package's index: the deploy path imports `context` from the
// index, and only plan mode (a chunk loaded on demand) should carry Octokit.
import { GitHub, getOctokitOptions } from '@actions/github/lib/utils';

/**
 * The hidden marker that finds the plan's comment again: one comment per deployment group, updated
 * in place on every push, so a pull request shows the latest plan and no trail of stale ones.
 */
export function planMarker(application: string, deploymentGroup: string): string {
  return `<!-- codedeploy-gate-plan ${encodeURIComponent(application)}/${encodeURIComponent(deploymentGroup)} -->`;
}

/**
 * Creates or updates the plan comment on the run's pull request (GITHUB_API_URL points Octokit at
 * GitHub Enterprise, or a test server). Only `pull_request` and `pull_request_target` events have one;
 * other events post nothing. A comment that cannot be posted is a warning: the plan is in the job
 * summary either way.
 */
export async function upsertPlanComment(
  token: string,
  marker: string,
  markdown: string,
): Promise<string | undefined> {
  const number = context.payload.pull_request?.number;
  if (number === undefined || !context.eventName.startsWith('pull_request')) return undefined;
  const octokit = new GitHub(getOctokitOptions(token));
  const { owner, repo } = context.repo;
  const body = `${marker}\n${markdown}`;
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: number,
      per_page: 100,
    });
    const mine = comments.find((comment) => comment.body?.startsWith(marker));
    if (mine) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
      return `updated the plan comment on pull request #${number}`;
    }
    await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
    return `posted the plan on pull request #${number}`;
  } catch (error) {
    core.warning(
      `could not post the plan on pull request #${number}: ${(error as Error).message} (the token needs pull-requests: write)`,
    );
    return undefined;
  }
}
