/**
 * An error a JSON service on the shared port answers with, in the AWS JSON 1.1 error shape
 * `{"__type": code, "message": message}`. `code` is the real exception name from the service's model,
 * so SDK clients raise the same classes they raise on AWS. Protocol-level failures (signature, body,
 * paging tokens, unknown operations) are thrown as this class; each service has its own subclass.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}
