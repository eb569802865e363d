/**
 * Left out of every bundle before the ignore file and `exclude` are read, at any depth: version-control
 * metadata (`.git/config` may hold a token in a remote URL), dotenv files, private keys and the
 * credential files of git, npm, pip, curl, the AWS CLI and Docker. A revision is copied to every
 * instance and kept in S3, so a secret that slips into it is hard to take back. A `!PATTERN` line in
 * the ignore file (or an `exclude` negation) brings a path back, as in gitignore: `!.env`, or
 * `!/.git/` for a folder (a file below an excluded folder cannot be re-included on its own).
 */
export const DEFAULT_IGNORE_PATTERNS: readonly string[] = [
  '.git/',
  '.hg/',
  '.svn/',
  '.git-credentials',
  '.env',
  '.env.*',
  '*.pem',
  '*.p12',
  '*.pfx',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.pgpass',
  '.aws/',
  // A pattern with a slash inside is anchored to the root in gitignore: `**/` keeps it at any depth.
  '**/.docker/config.json',
  '.codedeploy-gate/',
];
