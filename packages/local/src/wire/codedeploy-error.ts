/**
 * An error the local CodeDeploy answers with, in the AWS JSON 1.1 error shape
 * `{"__type": code, "message": message}`. `code` is the real exception name from the service model
 * (ApplicationDoesNotExistException, ...), so SDK clients raise the same classes they raise on AWS.
 */
export class CodeDeployError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}
