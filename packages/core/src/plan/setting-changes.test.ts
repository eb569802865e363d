import { describe, expect, it } from 'vitest';
import type { SettingChange } from './model.js';
import { nameChanges } from './setting-changes.js';

describe('nameChanges', () => {
  it('names added, removed and changed variables without ever showing a value', () => {
    const changes: SettingChange[] = [];
    nameChanges(
      changes,
      'environment',
      { KEEP: 'same', ROTATED: 'old-secret', GONE: 'x' },
      { KEEP: 'same', ROTATED: 'new-secret', ADDED: 'token-abc' },
    );
    expect(changes).toEqual([
      { subject: 'environment ROTATED', change: 'changed', detail: 'value changed (not shown)' },
      { subject: 'environment ADDED', change: 'added', detail: 'variable added' },
      { subject: 'environment GONE', change: 'removed', detail: 'variable removed' },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/secret|token-abc/);
  });
});
