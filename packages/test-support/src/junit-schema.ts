import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Jenkins xUnit plugin's JUnit schema, vendored with its source and licence (fixtures/junit-xsd). */
export const JUNIT_XSD = fileURLToPath(new URL('../fixtures/junit-xsd/junit-10.xsd', import.meta.url));

export type SchemaCheck =
  | { kind: 'valid' }
  | { kind: 'invalid'; errors: string }
  /** xmllint is not installed on this machine (never on CI: there that is an error). */
  | { kind: 'unavailable'; reason: string };

const INSTALL = "install Debian's libxml2-utils (apt-get install libxml2-utils), as .ci/run does";

/**
 * Validates JUnit XML against junit-10.xsd with `xmllint --schema`. Without xmllint, CI (CI=true)
 * throws, so the check can never pass there by not running; a developer's machine gets `unavailable`
 * with what to install, for the test to skip with that message.
 */
export function validateJunitXml(xml: string): SchemaCheck {
  const dir = mkdtempSync(join(tmpdir(), 'junit-schema-'));
  try {
    const file = join(dir, 'report.xml');
    writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      const reason = `xmllint is not installed: ${INSTALL}`;
      if (process.env.CI === 'true') throw new Error(`${reason}; CI must validate the JUnit report`);
      return { kind: 'unavailable', reason };
    }
    if (run.error) throw run.error;
    return run.status === 0 ? { kind: 'valid' } : { kind: 'invalid', errors: run.stderr.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
