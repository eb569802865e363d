// The entry ncc bundles into dist/codedeploy-gate.mjs: the whole CLI as the process, in one file.
import { runAsProcess } from '@codedeploy-gate/cli';

runAsProcess(process.argv.slice(2));
