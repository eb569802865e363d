export {
  BASH_NO_START_UP_FILES,
  bashCommand,
  START_UP_FILE_VARIABLES,
  withoutStartUpFiles,
} from './start-up-files.js';
