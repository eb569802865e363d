/**
 * Exit codes shared by every codedeploy-gate command and front end. Jenkins users branch on them with
 * `sh(returnStatus: true)`, so they are part of the public contract: never renumber.
 */
export const ExitCode = {
  /** The command did what it was asked (valid appspec, bundle written, deployment succeeded). */
  Success: 0,
  /** The deployment ran and did not succeed (failed or stopped). */
  DeploymentFailed: 1,
  /** Invalid input or configuration; nothing was created in AWS. */
  InvalidInput: 2,
  /** The gate gave up waiting before the deployment ended. */
  GateTimedOut: 3,
  /** AWS or the network failed us (throttled past retries, access denied, endpoint unreachable). */
  AwsFailure: 4,
  /** Interrupted by SIGINT (128 + 2). */
  Interrupted: 130,
  /** Terminated by SIGTERM (128 + 15), how Jenkins aborts a build. */
  Terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
