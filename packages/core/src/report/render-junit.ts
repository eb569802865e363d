import { maskedNote, plainLog, VERDICT_PHRASE } from './format.js';
import type { DeploymentReport, GateReport, LifecycleEventReport } from './model.js';

type Outcome =
  | { kind: 'passed' }
  | { kind: 'failure'; type: string; message: string; text: string }
  | { kind: 'skipped'; message: string };

interface TestCase {
  classname: string;
  name: string;
  seconds: number;
  outcome: Outcome;
}

interface TestSuite {
  name: string;
  timestamp: string;
  seconds: number;
  cases: TestCase[];
  systemOut: string;
}

/**
 * JUnit XML in the shape Jenkins' `junit` step, GitLab and most CI test tabs read, valid against the
 * xUnit plugin's strict junit-10.xsd: a `<testsuite>` per deployment (and its rollback), a `<testcase>`
 * per target lifecycle event, and a `deployment` testcase carrying the verdict. Every outcome has the
 * same testcases (CI history tracks a test by class and name: one that comes and goes with the result
 * reads as added and removed), so a failed event and its failed deployment count as two failures.
 */
export function renderJunitReport(report: GateReport): string {
  const suites = [mainSuite(report)];
  if (report.rollback !== undefined) suites.push(rollbackSuite(report.rollback, report.generatedAt));
  const all = suites.flatMap((suite) => suite.cases);
  const totalSeconds = suites.reduce((sum, suite) => sum + suite.seconds, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    // junit-10.xsd allows no `skipped` here (it does on each testsuite): a strict consumer refuses it.
    `<testsuites${attributes({
      name: 'codedeploy-gate',
      ...withoutSkipped(counts(all)),
      time: seconds(totalSeconds),
    })}>`,
    ...suites.map(renderSuite),
    '</testsuites>',
    '',
  ].join('\n');
}

function mainSuite(report: GateReport): TestSuite {
  const deployment = report.deployment;
  const cases = eventCases(deployment, classPrefix(deployment));
  cases.push(deploymentCase(deployment, classPrefix(deployment), verdictOutcome(report)));
  const out = [
    report.summary,
    deployment.rollbackMessage,
    deployment.consoleUrl,
    maskedNote(report.maskedValues),
  ];
  return {
    name: `codedeploy ${deployment.id} ${deployment.application}/${deployment.deploymentGroup}`,
    timestamp: timestamp(deployment.startTime ?? deployment.createTime ?? report.generatedAt),
    seconds: deploymentSeconds(deployment, report.generatedAt),
    cases,
    systemOut: out.filter(Boolean).join('\n'),
  };
}

/**
 * The rollback runs the same events on the same targets; its own class names keep the two sets of
 * results apart in CI history (Jenkins merges testcases with equal class and name).
 */
function rollbackSuite(rollback: DeploymentReport, generatedAt: string): TestSuite {
  const prefix = `${classPrefix(rollback)}.rollback`;
  const cases = eventCases(rollback, prefix);
  cases.push(deploymentCase(rollback, prefix, rollbackOutcome(rollback)));
  const out = [`Rollback ${rollback.id}: ${rollback.status}`, rollback.consoleUrl];
  return {
    name: `codedeploy ${rollback.id} ${rollback.application}/${rollback.deploymentGroup} (rollback)`,
    timestamp: timestamp(rollback.startTime ?? rollback.createTime ?? generatedAt),
    seconds: deploymentSeconds(rollback, generatedAt),
    cases,
    systemOut: out.join('\n'),
  };
}

function eventCases(deployment: DeploymentReport, prefix: string): TestCase[] {
  return deployment.targets.flatMap((target) =>
    target.events.map((event) => ({
      classname: `${prefix}.${classPart(target.id)}`,
      name: event.name,
      seconds: (event.durationMs ?? 0) / 1000,
      outcome: eventOutcome(event),
    })),
  );
}

function eventOutcome(event: LifecycleEventReport): Outcome {
  const diagnostics = event.diagnostics ?? {};
  switch (event.status) {
    case 'Succeeded':
      return { kind: 'passed' };
    case 'Failed': {
      const code = diagnostics.errorCode ?? 'UnknownError';
      const message = `${event.name} failed: ${code}${diagnostics.message ? `: ${diagnostics.message}` : ''}`;
      const script = diagnostics.scriptName ? `Script: ${diagnostics.scriptName}\n` : '';
      const tail = diagnostics.logTail ? plainLog(diagnostics.logTail) : (diagnostics.message ?? '');
      return { kind: 'failure', type: code, message, text: `${script}${tail}` };
    }
    case 'Skipped':
      return { kind: 'skipped', message: `${event.name} was skipped` };
    case 'Pending':
      return { kind: 'skipped', message: `${event.name} never ran` };
    case 'InProgress':
      return { kind: 'skipped', message: `${event.name} was still running when the report was made` };
    default:
      return { kind: 'skipped', message: `${event.name} ended ${event.status}` };
  }
}

/**
 * The `deployment` testcase, in every report: it passes when the deployment succeeded and fails with
 * the verdict and the service's error when not, also when no lifecycle event failed
 * (HEALTH_CONSTRAINTS_INVALID, a timeout, a stop before any script ran).
 */
function deploymentCase(deployment: DeploymentReport, classname: string, outcome: Outcome): TestCase {
  return { classname, name: 'deployment', seconds: (deployment.durationMs ?? 0) / 1000, outcome };
}

function verdictOutcome(report: GateReport): Outcome {
  switch (report.verdict) {
    case 'succeeded':
      return { kind: 'passed' };
    case 'created':
      return { kind: 'skipped', message: 'The deployment was created and not watched' };
    default:
      return deploymentFailure(
        report.deployment,
        VERDICT_PHRASE[report.verdict],
        report.verdict,
        report.summary,
      );
  }
}

function rollbackOutcome(rollback: DeploymentReport): Outcome {
  if (rollback.status === 'Succeeded') return { kind: 'passed' };
  if (rollback.status === 'Failed' || rollback.status === 'Stopped') {
    const phrase = `rollback ${rollback.status.toLowerCase()}`;
    return deploymentFailure(rollback, phrase, phrase.replace(' ', '-'), '');
  }
  return { kind: 'skipped', message: `The rollback was ${rollback.status} when the report was made` };
}

/** Typed by the service's error code when there is one (HEALTH_CONSTRAINTS), else by the verdict. */
function deploymentFailure(
  deployment: DeploymentReport,
  phrase: string,
  fallbackType: string,
  summary: string,
): Outcome {
  const error = deployment.error;
  const reason = error === undefined ? `status ${deployment.status}` : `${error.code}: ${error.message}`;
  const text = [summary, error && `${error.code}: ${error.message}`, deployment.rollbackMessage]
    .filter(Boolean)
    .join('\n');
  return {
    kind: 'failure',
    type: error?.code ?? fallbackType,
    message: `${deployment.id} ${phrase}: ${reason}`,
    text,
  };
}

function renderSuite(suite: TestSuite): string {
  const lines = [
    `  <testsuite${attributes({
      name: suite.name,
      ...counts(suite.cases),
      time: seconds(suite.seconds),
      timestamp: suite.timestamp,
    })}>`,
  ];
  for (const testCase of suite.cases) {
    const open = `    <testcase${attributes({
      classname: testCase.classname,
      name: testCase.name,
      time: seconds(testCase.seconds),
    })}`;
    const outcome = testCase.outcome;
    if (outcome.kind === 'passed') {
      lines.push(`${open}/>`);
    } else if (outcome.kind === 'skipped') {
      lines.push(
        `${open}>`,
        `      <skipped${attributes({ message: outcome.message })}/>`,
        '    </testcase>',
      );
    } else {
      lines.push(
        `${open}>`,
        `      <failure${attributes({ type: outcome.type, message: outcome.message })}>${text(outcome.text)}</failure>`,
        '    </testcase>',
      );
    }
  }
  lines.push(`    <system-out>${text(suite.systemOut)}</system-out>`, '  </testsuite>');
  return lines.join('\n');
}

function counts(cases: TestCase[]): Record<string, string> {
  return {
    tests: String(cases.length),
    failures: String(cases.filter((c) => c.outcome.kind === 'failure').length),
    errors: '0',
    skipped: String(cases.filter((c) => c.outcome.kind === 'skipped').length),
  };
}

function withoutSkipped({ skipped: _, ...rest }: Record<string, string>): Record<string, string> {
  return rest;
}

function deploymentSeconds(deployment: DeploymentReport, generatedAt: string): number {
  if (deployment.durationMs !== undefined) return deployment.durationMs / 1000;
  // Still running when the gate gave up: the suite lasted until the report.
  const start = Date.parse(deployment.startTime ?? deployment.createTime ?? '');
  const end = Date.parse(generatedAt);
  return Number.isNaN(start) || Number.isNaN(end) ? 0 : Math.max(0, end - start) / 1000;
}

/** Jenkins and GitLab split class names at dots into package and class, so ids keep theirs out. */
function classPrefix(deployment: DeploymentReport): string {
  return `${classPart(deployment.application)}.${classPart(deployment.deploymentGroup)}`;
}

function classPart(name: string): string {
  return name.replace(/\./g, '_');
}

function seconds(value: number): string {
  return value.toFixed(3);
}

/** The JUnit schema's timestamp has no zone or fraction (`2024-05-01T12:00:00`); ours are UTC. */
function timestamp(isoTime: string): string {
  return isoTime.slice(0, 19);
}

function attributes(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${attribute(value)}"`)
    .join('');
}

/**
 * XML 1.0 allows no C0 controls but tab and line ends, no U+FFFE/U+FFFF and no lone surrogates, even
 * as character references: a parser rejects the whole file, so they are dropped.
 */
function legal(value: string): string {
  return value.replace(
    /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '',
  );
}

/** `>` is escaped too: text may contain `]]>`, which is not allowed bare in content. */
function text(value: string): string {
  return legal(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Line ends and tabs as references, or attribute normalisation would turn them into spaces. */
function attribute(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
