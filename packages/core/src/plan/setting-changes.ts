import type { SettingChange } from './model.js';

/** Records `subject` when its value differs (values here are settings, never secrets). */
export function valueChange(
  changes: SettingChange[],
  subject: string,
  before: string | number | undefined,
  after: string | number | undefined,
): void {
  if (before === after) return;
  changes.push({
    subject,
    change: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed',
    detail: `${before ?? '(none)'} → ${after ?? '(none)'}`,
  });
}

/**
 * Environment variables by name: added, removed, or with another value — which is said, never shown,
 * since a variable may hold a secret.
 */
export function nameChanges(
  changes: SettingChange[],
  prefix: string,
  before: Readonly<Record<string, string>> | undefined,
  after: Readonly<Record<string, string>> | undefined,
): void {
  const old = new Map(Object.entries(before ?? {}));
  const now = new Map(Object.entries(after ?? {}));
  for (const [name, value] of now) {
    if (!old.has(name))
      changes.push({ subject: `${prefix} ${name}`, change: 'added', detail: 'variable added' });
    else if (old.get(name) !== value)
      changes.push({ subject: `${prefix} ${name}`, change: 'changed', detail: 'value changed (not shown)' });
  }
  for (const name of old.keys()) {
    if (!now.has(name))
      changes.push({ subject: `${prefix} ${name}`, change: 'removed', detail: 'variable removed' });
  }
}
