import { describe, expect, it } from 'vitest';
import { buildDeploymentReport } from './build.js';
import {
  failedDeploymentInfo,
  failedGateReport,
  failedTargets,
  lifecycleOf,
} from './fixtures.test-support.js';
import { renderPropertiesReport } from './render-properties.js';

/** Reads properties the way java.util.Properties does, for the escapes the renderer writes. */
function readProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const separator = line.search(/(?<!\\)=/);
    out[line.slice(0, separator)] = line
      .slice(separator + 1)
      .replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      .replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', f: '\f' })[c] ?? c);
  }
  return out;
}

describe('renderPropertiesReport', () => {
  it('writes the facts a later Jenkins stage branches on, and they read back intact', () => {
    const report = failedGateReport({
      deployment: buildDeploymentReport(
        failedDeploymentInfo(),
        failedTargets(lifecycleOf({ logTail: 'health check failed' })),
        'eu-west-1',
      ),
    });
    report.summary = 'Deployment failed: a=b: c #1 ! "ünïcødé" 🚀\nsecond line\\end';
    const text = renderPropertiesReport(report);
    const read = readProperties(text);
    expect(read.DEPLOYMENT_ID).toBe(report.deployment.id);
    expect(read.STATUS).toBe(report.deployment.status);
    expect(read.VERDICT).toBe(report.verdict);
    expect(read.EXIT_CODE).toBe(String(report.exitCode));
    expect(read.REVISION).toBe(report.deployment.revision);
    expect(read.CONSOLE_URL).toBe(report.deployment.consoleUrl);
    expect(read.SUMMARY).toBe(report.summary);
    // One property per line, ASCII only: what Jenkins' readProperties and plain grep both handle.
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    expect(text.split('\n').filter((l) => l.startsWith('SUMMARY='))).toHaveLength(1);
  });
});
