export { type EnvFileEntry, parseEnvFile } from './env-file.js';
export { UserCodeLauncher, type UserCodeLauncherOptions, type UserCodeStart } from './launcher.js';
export { killProcessGroup } from './process-group.js';
export {
  checkPassThrough,
  checkPassThroughName,
  HookEnvironmentError,
  RUN_MARKER_VARIABLE,
} from './user-env.js';
