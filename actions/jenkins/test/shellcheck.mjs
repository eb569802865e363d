// Lint step for the wrapper: shellcheck must pass. CI installs shellcheck (.ci/run); a machine without
// it is told how to get it instead of silently skipping the check.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../bin/codedeploy-gate-jenkins', import.meta.url));
try {
  execFileSync('shellcheck', ['--severity=style', script], { stdio: 'inherit' });
} catch (error) {
  if (error.code === 'ENOENT') {
    console.error('shellcheck is not installed: apt-get install shellcheck (CI installs it in .ci/run)');
  }
  process.exit(1);
}
console.log('shellcheck: bin/codedeploy-gate-jenkins is clean');
