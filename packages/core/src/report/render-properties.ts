import type { GateReport } from './model.js';

/**
 * The report as a Java properties file, for Jenkins' `readProperties` (and `source`-free shell use):
 * the facts a later stage branches on, one per line. Keys are stable; values are escaped as
 * java.util.Properties reads them (backslashes, separators, line breaks, non-ASCII as \uXXXX).
 */
export function renderPropertiesReport(report: GateReport): string {
  const d = report.deployment;
  const entries: Array<[string, string | number | undefined]> = [
    ['DEPLOYMENT_ID', d.id],
    ['STATUS', d.status],
    ['VERDICT', report.verdict],
    ['EXIT_CODE', report.exitCode],
    ['APPLICATION', d.application],
    ['DEPLOYMENT_GROUP', d.deploymentGroup],
    ['DEPLOYMENT_CONFIG', d.deploymentConfig],
    ['REVISION', d.revision],
    ['ERROR_CODE', d.error?.code],
    ['ERROR_MESSAGE', d.error?.message],
    ['ROLLBACK_DEPLOYMENT_ID', report.rollback?.id],
    ['ROLLBACK_STATUS', report.rollback?.status],
    ['CONSOLE_URL', d.consoleUrl],
    ['SUMMARY', report.summary],
    ['MASKED_VALUES', report.maskedValues],
  ];
  // Lambda and ECS facts only where they apply, so EC2 reports keep their lines.
  const shift = d.targets.find((target) => target.trafficShift !== undefined)?.trafficShift;
  if (shift !== undefined) entries.push(['TRAFFIC_PERCENT', shift.percent]);
  if (d.lambda !== undefined) {
    entries.push(
      ['LAMBDA_FUNCTION', d.lambda.functionName],
      ['LAMBDA_ALIAS', d.lambda.alias],
      ['LAMBDA_CURRENT_VERSION', d.lambda.currentVersion],
      ['LAMBDA_TARGET_VERSION', d.lambda.targetVersion],
    );
  }
  if (d.ecs !== undefined) {
    entries.push(
      ['ECS_SERVICE', `${d.ecs.cluster}/${d.ecs.service}`],
      ['ECS_TASK_DEFINITION', d.ecs.taskDefinitionArn],
    );
  }
  const lines = [`# codedeploy-gate ${report.schema}, ${report.generatedAt}`];
  for (const [key, value] of entries)
    lines.push(`${key}=${escapeValue(value === undefined ? '' : String(value))}`);
  return `${lines.join('\n')}\n`;
}

function escapeValue(value: string): string {
  let out = '';
  for (const [index, char] of [...value].entries()) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === '\f') out += '\\f';
    // A leading space would be taken for the separator's padding.
    else if (char === ' ' && index === 0) out += '\\ ';
    else if (char === '=' || char === ':' || char === '#' || char === '!') out += `\\${char}`;
    else if (code < 0x20 || code > 0x7e) out += utf16Escapes(char);
    else out += char;
  }
  return out;
}

function utf16Escapes(char: string): string {
  let out = '';
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}
