export {
  checkOutputPath,
  type OutputPathOptions,
  type OutputTarget,
  writeOutputFile,
} from './output-path.js';
export {
  type OpenedRegularFile,
  openRegularFile,
  type ReadRegularFileOptions,
  type RegularFileOptions,
  readOpenedFile,
  readRegularFile,
  readRegularFileSync,
} from './read-regular-file.js';
