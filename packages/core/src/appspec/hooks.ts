import { ECS_HOOK_EVENTS, LAMBDA_HOOK_EVENTS } from './hook-events.js';
import type { YamlEntry, YamlNode } from './located-yaml.js';
import { asScalar, asString, childPath, describe, expectMap, findEntry, isNull } from './nodes.js';
import type { ProblemSink } from './problems.js';
import { rubyToS } from './scalars.js';
import { closest, didYouMean } from './suggest.js';

/** EC2/on-premises scriptable events, in lifecycle order (agent `DEFAULT_ORDERED_LIFECYCLE_EVENTS`). */
export const SERVER_HOOK_EVENTS = [
  'BeforeBlockTraffic',
  'AfterBlockTraffic',
  'ApplicationStop',
  'BeforeInstall',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;

/** Events CodeDeploy runs itself; a hook for them is never called. */
const SERVICE_ONLY_EVENTS = [
  'Start',
  'DownloadBundle',
  'Install',
  'BlockTraffic',
  'AllowTraffic',
  'TestTraffic',
  'End',
];

/** The agent gives all scripts of one lifecycle event 3600 seconds together. */
export const EVENT_TIME_BUDGET_SECONDS = 3600;

const SCRIPT_KEYS = ['location', 'timeout', 'runas', 'sudo'];

/** A hook script the agent will run, for the revision-contents check. */
export interface HookScript {
  location: string;
  node: YamlNode;
  path: string;
}

/** Checks the EC2/on-premises `hooks` map; returns the scripts it names. */
export function checkServerHooks(sink: ProblemSink, node: YamlNode, os: string | undefined): HookScript[] {
  const scripts: HookScript[] = [];
  if (isNull(node)) return scripts;
  const map = expectMap(
    sink,
    node,
    'hooks',
    'Write hooks as a mapping: "hooks:" then "  AfterInstall:" then "    - location: scripts/after_install.sh".',
  );
  if (map === undefined) return scripts;
  let latest: { event: string; order: number } | undefined;
  for (const entry of map.entries) {
    const event = entry.name;
    const path = childPath('hooks', event);
    const order = (SERVER_HOOK_EVENTS as readonly string[]).indexOf(event);
    if (order < 0) {
      reportUnknownEvent(sink, entry.key, path, event, SERVER_HOOK_EVENTS, 'server');
    } else if (latest !== undefined && order < latest.order) {
      sink.warn(
        entry.key,
        path,
        'hooks-out-of-order',
        `${event} is written after ${latest.event}, but it runs before it.`,
        `The agent runs hooks in lifecycle order (${SERVER_HOOK_EVENTS.join(' -> ')}), whatever their order in the file; reorder them so the file reads in the order they run.`,
      );
    } else {
      latest = { event, order };
    }
    checkEventScripts(sink, entry, path, os, scripts);
  }
  return scripts;
}

/** Checks one event's scripts and appends them to `scripts` (an event may list hundreds of thousands). */
function checkEventScripts(
  sink: ProblemSink,
  eventEntry: YamlEntry,
  path: string,
  os: string | undefined,
  scripts: HookScript[],
): void {
  const node = eventEntry.value;
  const event = eventEntry.name;
  if (isNull(node) || (node.kind === 'seq' && node.items.length === 0)) {
    sink.warn(
      node,
      path,
      'hook-event-empty',
      `${event} lists no scripts.`,
      `Add "- location: <script>" under ${event}, or remove the event.`,
    );
    return;
  }
  if (node.kind !== 'seq') {
    sink.error(
      node,
      path,
      'hook-event-not-list',
      `${event} must be a list of scripts, not ${describe(node)}.`,
      `Write each script as a list item: "${event}:" then "  - location: scripts/${event.toLowerCase()}.sh".`,
    );
    return;
  }
  let total = 0;
  node.items.forEach((item, index) => {
    const itemPath = childPath(path, index);
    if (item.kind !== 'map') {
      const text = asScalar(item)?.text;
      sink.error(
        item,
        itemPath,
        'hook-script-not-map',
        `Each ${event} script must be a mapping with "location", not ${describe(item)}.`,
        `Write "- location: ${text ?? 'scripts/my-script.sh'}" (and optionally timeout, runas).`,
      );
      return;
    }
    for (const entry of item.entries) {
      if (SCRIPT_KEYS.includes(entry.name)) continue;
      sink.warn(
        entry.key,
        childPath(itemPath, entry.name),
        'unknown-key',
        `Unknown key "${entry.name}" in a hook script; the agent ignores it.`,
        () => `${didYouMean(entry.name, SCRIPT_KEYS)}Script keys are: ${SCRIPT_KEYS.join(', ')}.`,
      );
    }
    const location = checkLocation(sink, item, itemPath, event);
    if (location !== undefined) scripts.push(location);
    total += checkTimeout(sink, item, itemPath);
    const runas = findEntry(item, 'runas');
    if (runas !== undefined && os === 'windows') {
      sink.warn(
        runas.key,
        childPath(itemPath, 'runas'),
        'hook-runas-windows',
        'runas is ignored on Windows instances; the script runs as the agent user.',
        'Remove runas for Windows deployments (the AWS docs say Windows does not support it).',
      );
    } else if (runas !== undefined && asString(runas.value) === undefined && !isNull(runas.value)) {
      sink.warn(
        runas.value,
        childPath(itemPath, 'runas'),
        'hook-runas-not-string',
        `runas is ${describe(runas.value)}, not a user name.`,
        'Write runas: <user name> (quote names YAML reads as numbers or booleans).',
      );
    }
    const sudo = findEntry(item, 'sudo');
    if (sudo !== undefined && !(sudo.value.kind === 'scalar' && sudo.value.value.type === 'bool')) {
      sink.warn(
        sudo.value,
        childPath(itemPath, 'sudo'),
        'hook-sudo-not-boolean',
        `sudo is ${describe(sudo.value)}; the agent only checks whether it is truthy.`,
        'Write sudo: true or remove it.',
      );
    }
  });
  if (total > EVENT_TIME_BUDGET_SECONDS) {
    sink.error(
      eventEntry.key,
      path,
      'hook-timeouts-exceed-event-limit',
      `The timeouts of the ${event} scripts add up to ${total} seconds; one lifecycle event may take at most ${EVENT_TIME_BUDGET_SECONDS} seconds.`,
      `Lower the timeouts so they sum to ${EVENT_TIME_BUDGET_SECONDS} or less; the deployment fails when the event runs longer.`,
    );
  }
}

function checkLocation(
  sink: ProblemSink,
  item: YamlNode & { kind: 'map' },
  path: string,
  event: string,
): HookScript | undefined {
  const entry = findEntry(item, 'location');
  const hint = `Give every ${event} script a "location": its path relative to the bundle root, e.g. "location: scripts/${event.toLowerCase()}.sh".`;
  if (entry === undefined) {
    sink.error(
      item,
      childPath(path, 'location'),
      'hook-location-missing',
      `A ${event} script has no location.`,
      hint,
    );
    return undefined;
  }
  const locationPath = childPath(path, 'location');
  const scalar = asScalar(entry.value);
  if (scalar === undefined) {
    sink.error(
      entry.value,
      locationPath,
      'hook-location-missing',
      `A ${event} script has ${isNull(entry.value) ? 'an empty' : `${describe(entry.value)} as its`} location.`,
      hint,
    );
    return undefined;
  }
  const location = rubyToS(scalar.value).trim();
  if (location === '') {
    sink.error(
      scalar,
      locationPath,
      'hook-location-missing',
      `A ${event} script has an empty location.`,
      hint,
    );
    return undefined;
  }
  if (scalar.value.type !== 'str') {
    sink.warn(
      scalar,
      locationPath,
      'hook-location-not-string',
      `location is ${describe(scalar)}; the agent uses its text "${location}".`,
      `Quote the path: location: "${location}".`,
    );
  }
  if (location.includes('\\')) {
    sink.warn(
      scalar,
      locationPath,
      'hook-location-backslash',
      `location ${JSON.stringify(location)} uses Windows-style backslashes.`,
      `Write the path with forward slashes: "${location.replace(/\\/g, '/')}"; the agent joins it to the bundle directory.`,
    );
  }
  return { location, node: scalar, path: locationPath };
}

/** Returns the explicit timeout in seconds (0 when missing or invalid): the AWS docs budget the sum of the given timeouts. */
function checkTimeout(sink: ProblemSink, item: YamlNode & { kind: 'map' }, path: string): number {
  const entry = findEntry(item, 'timeout');
  if (entry === undefined || isNull(entry.value)) return 0;
  const node = entry.value;
  const timeoutPath = childPath(path, 'timeout');
  const hint = `Write the timeout as a whole number of seconds between 1 and ${EVENT_TIME_BUDGET_SECONDS}, e.g. "timeout: 300".`;
  if (node.kind !== 'scalar') {
    sink.error(
      node,
      timeoutPath,
      'hook-timeout-invalid',
      `timeout is ${describe(node)}, not a number of seconds.`,
      hint,
    );
    return 0;
  }
  const value = node.value;
  // The agent does `timeout.to_i` and requires > 0.
  let seconds: number | undefined;
  if (value.type === 'int') seconds = value.value;
  else if (value.type === 'float' && Number.isFinite(value.value)) seconds = Math.trunc(value.value);
  else if (value.type === 'str')
    seconds = Number.parseInt((/^\s*[-+]?\d[\d_]*/.exec(value.value)?.[0] ?? '0').replace(/_/g, ''), 10);
  if (seconds === undefined || !(seconds > 0)) {
    sink.error(
      node,
      timeoutPath,
      'hook-timeout-invalid',
      `timeout ${JSON.stringify(node.text)} is not a positive number of seconds (the agent reads it as ${seconds ?? 'an error'}).`,
      hint,
    );
    return 0;
  }
  // What the writer meant, whatever the agent's YAML 1.1 and `to_i` make of it: `1e400` is the string
  // "1e400" to the agent, which runs the script with a 1 s timeout.
  // Text that is no number at all ("30 seconds") stays a truncation warning below.
  const written = value.type === 'str' ? Number(value.value.trim()) : Number(value.value);
  if (!Number.isNaN(written) && (!Number.isFinite(written) || written > EVENT_TIME_BUDGET_SECONDS)) {
    sink.error(
      node,
      timeoutPath,
      'hook-timeout-out-of-range',
      `timeout ${JSON.stringify(node.text)} is ${Number.isFinite(written) ? `${written} seconds, more than` : 'not a finite number of seconds, beyond'} the agent's limit of ${EVENT_TIME_BUDGET_SECONDS} seconds${seconds === written ? '' : ` (the agent reads it as ${seconds})`}.`,
      hint,
    );
    return 0;
  }
  if (value.type !== 'int') {
    sink.warn(
      node,
      timeoutPath,
      'hook-timeout-not-integer',
      `timeout ${JSON.stringify(node.text)} is ${describe(node)}; the agent truncates it to ${seconds}.`,
      hint,
    );
  }
  return seconds;
}

/**
 * Checks Lambda/ECS `Hooks`: a list of single-key maps, each naming the Lambda function CodeDeploy
 * invokes for that event.
 */
export function checkServiceHooks(
  sink: ProblemSink,
  node: YamlNode,
  path: string,
  platform: 'lambda' | 'ecs',
): void {
  if (isNull(node)) return;
  const events: readonly string[] = platform === 'lambda' ? LAMBDA_HOOK_EVENTS : ECS_HOOK_EVENTS;
  const example = `Write Hooks as a list: "Hooks:" then "  - ${events[0]}: \\"MyValidationFunction\\"".`;
  if (node.kind !== 'seq') {
    sink.error(
      node,
      path,
      'hooks-not-list',
      `Hooks for ${platform} must be a list of "- Event: FunctionName" items, not ${describe(node)}.`,
      example,
    );
    return;
  }
  const seen = new Map<string, number>();
  let latest: { event: string; order: number } | undefined;
  node.items.forEach((item, index) => {
    const itemPath = childPath(path, index);
    if (item.kind !== 'map' || item.entries.length !== 1) {
      sink.error(
        item,
        itemPath,
        'hook-item-invalid',
        `Each Hooks item must map exactly one event to one function, not ${item.kind === 'map' ? `${item.entries.length} keys` : describe(item)}.`,
        example,
      );
      return;
    }
    const entry = item.entries[0]!;
    const event = entry.name;
    const eventPath = childPath(itemPath, event);
    let order = events.indexOf(event);
    if (order < 0) {
      const caseMatch = events.find((known) => known.toLowerCase() === event.toLowerCase());
      if (caseMatch === undefined) {
        reportUnknownEvent(sink, entry.key, eventPath, event, events, platform);
        return;
      }
      sink.warn(
        entry.key,
        eventPath,
        'hook-event-case',
        `Hook event "${event}" differs in case from "${caseMatch}".`,
        `Write "${caseMatch}" as in the AWS documentation.`,
      );
      order = events.indexOf(caseMatch);
    }
    const first = seen.get(events[order]!);
    if (first !== undefined) {
      sink.error(
        entry.key,
        eventPath,
        'hook-duplicate-event',
        `${event} appears twice in Hooks (first on line ${first}).`,
        'Each event takes one Lambda function; keep one of them.',
      );
    } else {
      seen.set(events[order]!, entry.key.line);
    }
    if (latest !== undefined && order < latest.order) {
      sink.warn(
        entry.key,
        eventPath,
        'hooks-out-of-order',
        `${event} is written after ${latest.event}, but it runs before it.`,
        `CodeDeploy runs ${platform} hooks in lifecycle order (${events.join(' -> ')}), whatever their order in the file; reorder them.`,
      );
    } else {
      latest = { event, order };
    }
    checkFunctionName(sink, entry.value, eventPath);
  });
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]+))?$/;
const FUNCTION_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]+))?$/;
const PARTIAL_ARN = /^\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]+))?$/;

function checkFunctionName(sink: ProblemSink, node: YamlNode, path: string): void {
  const hint =
    'Give the name or ARN of the Lambda function to invoke, e.g. "MyValidationFunction" or "arn:aws:lambda:us-east-1:111122223333:function:MyValidationFunction".';
  const name = asScalar(node)?.text.trim();
  if (name === undefined || node.kind !== 'scalar') {
    sink.error(
      node,
      path,
      'hook-function-invalid',
      `The hook function is ${isNull(node) ? 'empty' : describe(node)}.`,
      hint,
    );
    return;
  }
  if (!FUNCTION_NAME.test(name) && !FUNCTION_ARN.test(name) && !PARTIAL_ARN.test(name)) {
    sink.error(
      node,
      path,
      'hook-function-invalid',
      `${JSON.stringify(name)} is not a Lambda function name or ARN.`,
      hint,
    );
  }
}

function reportUnknownEvent(
  sink: ProblemSink,
  key: YamlNode,
  path: string,
  event: string,
  events: readonly string[],
  platform: string,
): void {
  const valid = `Valid events for ${platform}: ${events.join(', ')}.`;
  if (SERVICE_ONLY_EVENTS.includes(event)) {
    const instead = scriptableNeighbours(event, events);
    sink.error(
      key,
      path,
      'hook-not-scriptable',
      `${event} is run by CodeDeploy itself and cannot have hooks.`,
      `Put the script under ${instead.join(' or ')} instead. ${valid}`,
    );
    return;
  }
  const suggestion = closest(event, events);
  sink.error(
    key,
    path,
    'hook-unknown-event',
    `Unknown lifecycle event "${event}"; CodeDeploy never runs it.`,
    `${suggestion === undefined ? '' : `Did you mean ${suggestion}? `}${valid}`,
  );
}

/** Scriptable events next to a service-only one: Install -> BeforeInstall, AfterInstall. */
function scriptableNeighbours(event: string, events: readonly string[]): string[] {
  if (event === 'Start') return [events[0] ?? 'BeforeInstall'];
  if (event === 'End') return [events[events.length - 1] ?? 'AfterAllowTraffic'];
  const target = event === 'DownloadBundle' ? 'Install' : event;
  const around = events.filter((name) => name === `Before${target}` || name === `After${target}`);
  return around.length > 0 ? around : [events[0] ?? 'BeforeInstall'];
}
