import type {
  ListGitHubAccountTokenNamesInput,
  ListGitHubAccountTokenNamesOutput,
} from '@aws-sdk/client-codedeploy';
import type { OperationContext, OperationTable } from '../wire/operation.js';
import { pageOf } from '../wire/paging.js';

/**
 * ListGitHubAccountTokenNames: the GitHub connections of the account. A connection is made in the
 * CodeDeploy console's OAuth flow, which the local server has none of, so the list is always empty;
 * a nextToken it did not hand out is still InvalidNextTokenException, as on the service.
 */
function listGitHubAccountTokenNames(
  input: ListGitHubAccountTokenNamesInput,
  _context: OperationContext,
): ListGitHubAccountTokenNamesOutput {
  const connections: string[] = [];
  const { items, nextToken } = pageOf(connections, input.nextToken);
  return { tokenNameList: items, ...(nextToken ? { nextToken } : {}) };
}

export const gitHubTokenOperations: OperationTable = {
  ListGitHubAccountTokenNames: listGitHubAccountTokenNames,
};
