import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretMasker } from '../secrets/index.js';
import { buildDeploymentReport } from './build.js';
import {
  failedDeploymentInfo,
  failedGateReport,
  failedTargets,
  lifecycleOf,
} from './fixtures.test-support.js';
import { ReportMasking } from './masking.js';
import type { GateReport } from './model.js';
import { renderJsonReport } from './render-json.js';
import { renderJunitReport } from './render-junit.js';
import { renderMarkdownReport } from './render-markdown.js';
import { renderPropertiesReport } from './render-properties.js';
import { renderTextReport } from './render-text.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const random = (alphabet: string, length: number) =>
  [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');

// Made up for each run: the shapes of an access key id, a GitHub token and a CI secret.
const accessKeyId = `AKIA${random('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
const githubToken = `ghp_${random(ALNUM, 36)}`;
const apiToken = `tok-${randomBytes(12).toString('hex')}`;
const env = { MY_API_TOKEN: apiToken, PATH: '/usr/bin' };

/** A failed deployment whose hook printed three credentials and whose error quotes a fourth. */
function leakyReport(): GateReport {
  const masking = new ReportMasking(secretMasker(env));
  const logTail = `[stdout]using ${accessKeyId}\n[stdout]token ${githubToken}\n[stderr]curl failed\n`;
  const deployment = buildDeploymentReport(
    failedDeploymentInfo({
      description: `deploy with ${apiToken}`,
      errorInformation: { code: 'HEALTH_CONSTRAINTS', message: `hook printed ${apiToken}` },
    }),
    failedTargets(lifecycleOf({ logTail })),
    'eu-west-1',
    { masking },
  );
  return failedGateReport({ deployment, maskedValues: masking.count });
}

describe('secrets', () => {
  it('masks log tails, messages, errors and the description on their way into the model, and counts them', () => {
    const report = leakyReport();
    const failed = report.deployment.targets.find((target) => target.id === 'i-0bbb');
    const event = failed?.events.find((e) => e.status === 'Failed');
    expect(event?.diagnostics?.logTail).toBe('[stdout]using ***\n[stdout]token ***\n[stderr]curl failed\n');
    expect(report.deployment.error?.message).toBe('hook printed ***');
    expect(report.deployment.description).toBe('deploy with ***');
    expect(report.maskedValues).toBe(4);
  });

  it('masks with this process environment when no masking is given', () => {
    const token = `tok-${randomBytes(12).toString('hex')}`;
    process.env.REPORT_TEST_TOKEN = token;
    try {
      const report = buildDeploymentReport(
        failedDeploymentInfo({ errorInformation: { code: 'HEALTH_CONSTRAINTS', message: `saw ${token}` } }),
        [],
        'eu-west-1',
      );
      expect(report.error?.message).toBe('saw ***');
    } finally {
      delete process.env.REPORT_TEST_TOKEN;
    }
  });

  it.each([
    ['JSON', renderJsonReport, '"maskedValues": 4'],
    ['Markdown', renderMarkdownReport, '4 values masked'],
    ['JUnit', renderJunitReport, '4 values masked'],
    ['properties', renderPropertiesReport, 'MASKED_VALUES=4'],
    ['text', (report: GateReport) => renderTextReport(report), '4 values masked'],
  ])('the %s report carries no credential and says how many values it masked', (_format, render, count) => {
    const text = render(leakyReport());
    for (const secret of [accessKeyId, githubToken, apiToken]) expect(text).not.toContain(secret);
    expect(text).toContain(count);
  });

  it('says nothing about masking when nothing was masked', () => {
    const report = failedGateReport({
      deployment: buildDeploymentReport(failedDeploymentInfo(), [], 'eu-west-1', {
        masking: new ReportMasking(secretMasker({})),
      }),
    });
    expect(renderTextReport(report)).not.toContain('masked');
    expect(renderMarkdownReport(report)).not.toContain('masked');
    expect(renderPropertiesReport(report)).toContain('MASKED_VALUES=0');
  });
});
