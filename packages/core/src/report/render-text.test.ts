import { describe, expect, it } from 'vitest';
import { buildDeploymentReport } from './build.js';
import {
  failedDeploymentInfo,
  failedGateReport,
  failedTargets,
  lifecycleOf,
  rollbackTargets,
} from './fixtures.test-support.js';
import type { GateReport, Verdict } from './model.js';
import { renderTextDeployment, renderTextReport, type TextStyle } from './render-text.js';

const lifecycle = lifecycleOf({ logTail: '[stdout]GET /health\n[stderr]validate.sh: health check failed\n' });

const deploymentInfo = failedDeploymentInfo({
  rollbackInfo: {
    rollbackDeploymentId: 'd-ROLLBACK1',
    rollbackMessage: 'Deployment d-7H2KQ9XAB rolled back by d-ROLLBACK1',
  },
});

/** The rollback: the same group back on the last good revision; its table comes from its targets. */
const rollbackInfo = failedDeploymentInfo({
  deploymentId: 'd-ROLLBACK1',
  status: 'Succeeded',
  errorInformation: undefined,
});

const deployment = () => buildDeploymentReport(deploymentInfo, failedTargets(lifecycle), 'eu-west-1');

function gateReport(overrides: Partial<GateReport> = {}): GateReport {
  return failedGateReport({
    deployment: deployment(),
    rollback: buildDeploymentReport(rollbackInfo, rollbackTargets(lifecycle), 'eu-west-1'),
    ...overrides,
  });
}

const CONSOLE =
  'console: https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-7H2KQ9XAB?region=eu-west-1';
const FAILED_MESSAGE =
  'Script at specified location: scripts/validate.sh run as user root failed with exit code 1';

/** Marks every styled span with its style's name, so a test can see what a terminal would colour. */
const TAGGED: TextStyle = {
  bold: (text) => `<bold>${text}</bold>`,
  dim: (text) => `<dim>${text}</dim>`,
  red: (text) => `<red>${text}</red>`,
  green: (text) => `<green>${text}</green>`,
  yellow: (text) => `<yellow>${text}</yellow>`,
};

describe('renderTextReport', () => {
  it('opens with a row per target: status, time from first start to last end, and the failed event', () => {
    const lines = renderTextReport(gateReport()).split('\n');

    expect(lines.slice(0, 4)).toEqual([
      'target  status      time',
      'i-0aaa  Succeeded  14.0s',
      `i-0bbb  Failed     14.0s  ValidateService: ScriptFailed ${FAILED_MESSAGE}`,
      'i-0ccc  Skipped',
    ]);
  });

  it("spells out a failed target's event, error code, script, message and log tail", () => {
    const text = renderTextReport(gateReport());

    expect(text).toContain(
      [
        '',
        'i-0bbb: ValidateService failed (ScriptFailed) in scripts/validate.sh',
        `  ${FAILED_MESSAGE}`,
        '  log tail:',
        '  | [stdout]GET /health',
        '  | [stderr]validate.sh: health check failed',
        '',
      ].join('\n'),
    );
  });

  it("shows the deployment's error and rollback message after its failures", () => {
    const text = renderTextReport(gateReport());

    expect(text).toContain(
      [
        '  | [stderr]validate.sh: health check failed',
        '',
        'deployment error HEALTH_CONSTRAINTS: Too many individual instances failed deployment',
        'Deployment d-7H2KQ9XAB rolled back by d-ROLLBACK1',
        '',
        'rollback d-ROLLBACK1: Succeeded',
      ].join('\n'),
    );
  });

  it('follows the deployment with the rollback: its status and its own target table', () => {
    const lines = renderTextReport(gateReport()).split('\n');
    const start = lines.indexOf('rollback d-ROLLBACK1: Succeeded');

    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start, start + 4)).toEqual([
      'rollback d-ROLLBACK1: Succeeded',
      'target  status      time',
      'i-0aaa  Succeeded  14.0s',
      'i-0bbb  Succeeded  14.0s',
    ]);
  });

  it('leaves out the rollback section when nothing was rolled back', () => {
    expect(renderTextReport(gateReport({ rollback: undefined }))).not.toContain('rollback d-ROLLBACK1:');
  });

  it.each<[Verdict, string]>([
    ['succeeded', '✓'],
    ['created', '✓'],
    ['failed', '✗'],
    ['stopped', '✗'],
    ['timed-out', '✗'],
    ['cancelled', '✗'],
  ])('ends a %s report with the console link and then the verdict marked %s', (verdict, mark) => {
    const report = gateReport({ verdict });
    const lines = renderTextReport(report).split('\n');

    expect(lines.slice(-3)).toEqual(['', CONSOLE, `${mark} ${report.summary}`]);
  });

  it('colours succeeded rows green, failed rows and failures red, the header and link dim', () => {
    const lines = renderTextReport(gateReport(), TAGGED).split('\n');

    expect(lines.slice(0, 4)).toEqual([
      '<dim>target  status      time</dim>',
      '<green>i-0aaa  Succeeded  14.0s</green>',
      `<red>i-0bbb  Failed     14.0s  ValidateService: ScriptFailed ${FAILED_MESSAGE}</red>`,
      'i-0ccc  Skipped',
    ]);
    expect(lines).toContain(
      '<red>i-0bbb: ValidateService failed (ScriptFailed) in scripts/validate.sh</red>',
    );
    expect(lines).toContain(
      '<red>deployment error HEALTH_CONSTRAINTS: Too many individual instances failed deployment</red>',
    );
    expect(lines).toContain('<dim>Deployment d-7H2KQ9XAB rolled back by d-ROLLBACK1</dim>');
    expect(lines).toContain('<bold>rollback d-ROLLBACK1: Succeeded</bold>');
    expect(lines.slice(-2)).toEqual([
      `<dim>${CONSOLE}</dim>`,
      '<red>✗ Deployment d-7H2KQ9XAB to web-shop/prod failed: HEALTH_CONSTRAINTS; i-0bbb failed in ValidateService.</red>',
    ]);
  });

  it('calls the style as methods, so a class instance with a colour switch works', () => {
    class Colours implements TextStyle {
      constructor(private readonly on: boolean) {}
      private wrap(name: string, text: string) {
        return this.on ? `[${name}]${text}` : text;
      }
      bold(text: string) {
        return this.wrap('bold', text);
      }
      dim(text: string) {
        return this.wrap('dim', text);
      }
      red(text: string) {
        return this.wrap('red', text);
      }
      green(text: string) {
        return this.wrap('green', text);
      }
      yellow(text: string) {
        return this.wrap('yellow', text);
      }
    }

    expect(renderTextReport(gateReport(), new Colours(false))).toBe(renderTextReport(gateReport()));
    expect(renderTextReport(gateReport(), new Colours(true)).split('\n').at(-1)).toMatch(/^\[red\]✗ /);
  });
});

describe('renderTextDeployment', () => {
  it('heads one deployment with its id, group, status, duration and revision, and ends with the console link', () => {
    const lines = renderTextDeployment(deployment()).split('\n');

    expect(lines.slice(0, 3)).toEqual([
      'd-7H2KQ9XAB web-shop/prod: Failed (40.0s)',
      'revision s3://deploy-artifacts/web-shop/3f9a.zip (zip)',
      'target  status      time',
    ]);
    expect(lines).toContain('i-0bbb: ValidateService failed (ScriptFailed) in scripts/validate.sh');
    expect(lines.slice(-2)).toEqual(['', CONSOLE]);
    expect(lines.some((line) => line.startsWith('✗') || line.startsWith('✓'))).toBe(false);
  });

  it('leaves out the duration and the table of a deployment that has not started', () => {
    const report = buildDeploymentReport(
      {
        ...deploymentInfo,
        status: 'Created',
        startTime: undefined,
        completeTime: undefined,
        errorInformation: undefined,
        rollbackInfo: undefined,
      },
      [],
      'eu-west-1',
    );

    expect(renderTextDeployment(report, TAGGED).split('\n')).toEqual([
      '<bold>d-7H2KQ9XAB</bold> web-shop/prod: Created',
      'revision s3://deploy-artifacts/web-shop/3f9a.zip (zip)',
      '',
      `<dim>${CONSOLE}</dim>`,
    ]);
  });
});
