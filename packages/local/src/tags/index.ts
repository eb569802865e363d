import type { OperationTable } from '../wire/operation.js';
import { listTagsForResource, tagResource, untagResource } from './operations.js';

export {
  applicationArn,
  deploymentConfigArn,
  deploymentGroupArn,
  instanceArn,
  parseResourceArn,
  type TaggableResource,
} from './arns.js';

/** CodeDeploy's resource tag operations (applications, deployment groups, deployment configs by ARN). */
export const tagOperations: OperationTable = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
