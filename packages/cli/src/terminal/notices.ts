import type { PackagingNotice } from '@codedeploy-gate/core/packaging';
import type { Output } from './output.js';

/** A packaging notice as the CLI prints it in package, push and deploy: `note:` or a yellow `warning:`. */
export function noticeLine(output: Output, notice: PackagingNotice): string {
  return notice.severity === 'warning'
    ? output.yellow(`warning: ${notice.message}`)
    : `note: ${notice.message}`;
}
