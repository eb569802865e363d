// The entry ncc bundles into dist/: the whole CLI as the process. Each command, and each AWS client,
// is a chunk beside index.js that loads when a command needs it, as in the installed CLI.
import { runAsProcess } from '@codedeploy-gate/cli';

runAsProcess(process.argv.slice(2));
