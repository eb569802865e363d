/** The CodeDeploy compute platform an AppSpec is written for. */
export type ComputePlatform = 'server' | 'lambda' | 'ecs';

/** One thing wrong (or suspicious) in an AppSpec, located in the file. */
export interface AppspecProblem {
  severity: 'error' | 'warning';
  /** Stable kebab-case id, e.g. `yaml-syntax`, `duplicate-key`, `hook-unknown-event`. */
  code: string;
  /** The file name as passed in `options.file`. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Field path, e.g. `hooks.AfterInstall[0].timeout`; `''` for the document. */
  path: string;
  /** What is wrong, with the offending value. */
  message: string;
  /** What to do about it. */
  hint: string;
}

/** The outcome of {@link validateAppspec}. */
export interface AppspecValidation {
  file: string;
  /** `options.platform`, else detected from `Resources` (Lambda function -> lambda, ECS service -> ecs, else server). */
  platform: ComputePlatform;
  /** True when no problem has severity `error`. */
  valid: boolean;
  /** Every problem found, sorted by line then column. */
  problems: AppspecProblem[];
  /** The parsed document as plain JS (YAML 1.1 typing); undefined when it could not be parsed. */
  appspec: unknown;
}

/** Lookup into the revision's file set (paths relative to the revision root, posix '/', no leading './'). */
export interface RevisionContents {
  has(relativePath: string): 'file' | 'directory' | 'symlink' | undefined;
  /**
   * For a path `has` does not know: the ignore rule that left it out of the bundle, if one did.
   * `because` completes "… is excluded from the bundle by"; `hint` says how to bring it back.
   */
  excluded?(relativePath: string): { because: string; hint: string } | undefined;
}

/** Options of {@link validateAppspec}. */
export interface ValidateAppspecOptions {
  file: string;
  platform?: ComputePlatform;
  contents?: RevisionContents;
  /**
   * false when only the problems are wanted (`codedeploy-gate validate`): the plain `appspec` copy is
   * not built and stays undefined, which saves a tenth of the time on a large file.
   */
  plain?: boolean;
}
