import { validateAppspec } from '../appspec/index.js';
import type { AppspecChange } from './model.js';

/** One hook script as the agent would run it, with the SHA-256 of its content in the bundle. */
export interface HookScript {
  location: string;
  timeout?: number;
  runas?: string;
  /** Undefined when the bundle lacks the file. */
  sha256?: string;
}

/** What an EC2/on-premises appspec says, in the shape the comparison needs. */
export interface ServerAppspecFacts {
  hooks: Map<string, HookScript[]>;
  files: string[];
  /** Keyed by `object` and `pattern`; the value is the rest of the rule, as JSON. */
  permissions: Map<string, string>;
  settings: Map<string, string>;
}

type Plain = Record<string, unknown>;

/**
 * The facts of an appspec's text; scripts hashed through `hashOf` (a bundle's content hash). An
 * appspec that does not parse yields no facts: the validation that runs first has already said why.
 */
export async function appspecFacts(
  text: string,
  file: string,
  hashOf: (path: string) => Promise<string | undefined>,
): Promise<ServerAppspecFacts> {
  const parsed = validateAppspec(text, { file, platform: 'server' }).appspec;
  const doc: Plain = isPlain(parsed) ? parsed : {};
  const hooks = new Map<string, HookScript[]>();
  if (isPlain(doc.hooks)) {
    for (const [event, list] of Object.entries(doc.hooks)) {
      const scripts: HookScript[] = [];
      for (const item of Array.isArray(list) ? list : []) {
        if (!isPlain(item) || typeof item.location !== 'string') continue;
        const location = item.location.replace(/^\.?\/+/, '');
        const sha256 = await hashOf(location);
        scripts.push({
          location,
          ...(typeof item.timeout === 'number' ? { timeout: item.timeout } : {}),
          ...(typeof item.runas === 'string' ? { runas: item.runas } : {}),
          ...(sha256 ? { sha256 } : {}),
        });
      }
      hooks.set(event, scripts);
    }
  }
  const files = (Array.isArray(doc.files) ? doc.files : [])
    .filter(isPlain)
    .map((mapping) => `${String(mapping.source)} -> ${String(mapping.destination)}`);
  const permissions = new Map<string, string>();
  for (const rule of (Array.isArray(doc.permissions) ? doc.permissions : []).filter(isPlain)) {
    const { object, pattern, ...rest } = rule;
    permissions.set(
      `${String(object)}${pattern === undefined ? '' : ` (${String(pattern)})`}`,
      JSON.stringify(rest),
    );
  }
  const settings = new Map<string, string>();
  for (const key of ['version', 'os', 'file_exists_behavior']) {
    if (doc[key] !== undefined) settings.set(key, String(doc[key]));
  }
  return { hooks, files, permissions, settings };
}

/** The appspec changes in words: hooks added, removed or changed (scripts, timeouts, users), files mappings, permissions, settings. */
export function diffAppspecs(live: ServerAppspecFacts, next: ServerAppspecFacts): AppspecChange[] {
  const changes: AppspecChange[] = [];
  for (const [event, scripts] of next.hooks) {
    const before = live.hooks.get(event);
    if (before === undefined) {
      changes.push({
        area: 'hooks',
        change: 'added',
        subject: event,
        detail: scripts.map(describeScript).join('; '),
      });
      continue;
    }
    const differences = scriptDifferences(before, scripts);
    if (differences.length > 0) {
      changes.push({ area: 'hooks', change: 'changed', subject: event, detail: differences.join('; ') });
    }
  }
  for (const [event, scripts] of live.hooks) {
    if (!next.hooks.has(event)) {
      changes.push({
        area: 'hooks',
        change: 'removed',
        subject: event,
        detail: scripts.map(describeScript).join('; '),
      });
    }
  }
  for (const mapping of next.files) {
    if (!live.files.includes(mapping))
      changes.push({ area: 'files', change: 'added', subject: mapping, detail: 'files mapping added' });
  }
  for (const mapping of live.files) {
    if (!next.files.includes(mapping))
      changes.push({ area: 'files', change: 'removed', subject: mapping, detail: 'files mapping removed' });
  }
  diffMaps(live.permissions, next.permissions, 'permissions', changes);
  diffMaps(live.settings, next.settings, 'settings', changes);
  return changes;
}

function diffMaps(
  live: Map<string, string>,
  next: Map<string, string>,
  area: AppspecChange['area'],
  changes: AppspecChange[],
): void {
  for (const [subject, value] of next) {
    const before = live.get(subject);
    if (before === undefined) changes.push({ area, change: 'added', subject, detail: value });
    else if (before !== value)
      changes.push({ area, change: 'changed', subject, detail: `${before} → ${value}` });
  }
  for (const [subject, value] of live) {
    if (!next.has(subject)) changes.push({ area, change: 'removed', subject, detail: value });
  }
}

function scriptDifferences(before: HookScript[], after: HookScript[]): string[] {
  const locations = (scripts: HookScript[]) => scripts.map((s) => s.location).join(', ');
  if (locations(before) !== locations(after)) {
    return [`scripts ${locations(before)} → ${locations(after)}`, ...after.map(describeScript)];
  }
  const differences: string[] = [];
  after.forEach((script, index) => {
    const old = before[index] as HookScript;
    if (old.sha256 !== script.sha256) {
      differences.push(`${script.location} content ${short(old.sha256)} → ${short(script.sha256)}`);
    }
    if (old.timeout !== script.timeout) {
      differences.push(`${script.location} timeout ${seconds(old.timeout)} → ${seconds(script.timeout)}`);
    }
    if (old.runas !== script.runas) {
      differences.push(
        `${script.location} runas ${old.runas ?? '(agent user)'} → ${script.runas ?? '(agent user)'}`,
      );
    }
  });
  return differences;
}

function describeScript(script: HookScript): string {
  return [
    script.location,
    `sha256 ${short(script.sha256)}`,
    script.timeout === undefined ? undefined : `timeout ${seconds(script.timeout)}`,
    script.runas === undefined ? undefined : `runas ${script.runas}`,
  ]
    .filter(Boolean)
    .join(', ');
}

const short = (sha256: string | undefined) => (sha256 ? sha256.slice(0, 12) : 'missing');
const seconds = (timeout: number | undefined) => (timeout === undefined ? 'default (3600s)' : `${timeout}s`);

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
