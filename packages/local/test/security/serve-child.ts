// A local CodeDeploy in a process of its own, for tests that must kill it as a crash would
// (`node --import tsx serve-child.ts STATE_DIR`): prints `{"endpoint": ...}` once listening.
import { startLocalCodeDeploy } from '../../src/index.js';

const stateDir = process.argv[2];
if (!stateDir) throw new Error('usage: serve-child.ts STATE_DIR');
const server = await startLocalCodeDeploy({
  port: 0,
  stateDir,
  hookEnvironment: { PID_DIR: process.env.PID_DIR ?? '' },
});
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint })}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
