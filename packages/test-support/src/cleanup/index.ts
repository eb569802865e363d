export {
  describeLeftovers,
  findLeftovers,
  killLeftovers,
  type Leftover,
  type TestRun,
} from './leftovers.js';
export { groupExists, groupRuns, stopProcessGroup } from './process-group.js';
export { TEST_RUN_VARIABLE, withTestRunMarks } from './test-run.js';
export { type Closable, closeAtEnd, markedEnv, stopTracked, trackProcessGroup } from './tracked.js';
