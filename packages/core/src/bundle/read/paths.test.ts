import { describe, expect, it } from 'vitest';
import { bundleRoot, normalizeEntryName, UnsafeEntryCollector, unsafeNameReason } from './paths.js';
import type { BundleEntryInfo } from './types.js';

const file = (path: string): BundleEntryInfo => ({ path, type: 'file', mode: 0o644, size: 1 });
const dir = (path: string): BundleEntryInfo => ({ path, type: 'directory', mode: 0o755, size: 0 });

describe('normalizeEntryName', () => {
  it("drops './', repeated and trailing slashes but keeps '..' and a leading '/'", () => {
    expect(normalizeEntryName('./scripts/start.sh')).toBe('scripts/start.sh');
    expect(normalizeEntryName('scripts//./x/')).toBe('scripts/x');
    expect(normalizeEntryName('./')).toBe('');
    expect(normalizeEntryName('../evil')).toBe('../evil');
    expect(normalizeEntryName('/etc/passwd')).toBe('/etc/passwd');
  });
});

describe('unsafeNameReason', () => {
  it('flags names that escape or misbehave on extraction and accepts ordinary ones', () => {
    expect(unsafeNameReason('../evil')).toMatch(/\.\./);
    expect(unsafeNameReason('a/../../evil')).toMatch(/\.\./);
    expect(unsafeNameReason('/etc/cron.d/x')).toMatch(/absolute/);
    expect(unsafeNameReason('C:/Windows/x')).toMatch(/absolute/);
    expect(unsafeNameReason('scripts\\start.bat')).toMatch(/backslash/);
    expect(unsafeNameReason('a\0b')).toMatch(/NUL/);
    expect(unsafeNameReason('scripts/..hidden/ok..sh')).toBeUndefined();
    expect(unsafeNameReason('./appspec.yml')).toBeUndefined();
  });

  it('flags an entry that would be written through an earlier symlink entry', () => {
    const collector = new UnsafeEntryCollector();
    collector.check('link', { path: 'link', type: 'symlink', mode: 0o777, size: 4, linkTarget: '/etc' });
    collector.check('link/cron.d/x', file('link/cron.d/x'));
    collector.check('linked/x', file('linked/x'));
    expect(collector.names).toEqual(['link/cron.d/x']);
  });
});

describe('bundleRoot', () => {
  it('returns the single top-level directory when it holds the appspec', () => {
    expect(bundleRoot([dir('app'), file('app/appspec.yml'), file('app/scripts/start.sh')])).toBe('app');
  });

  it('matches any child named like /appspec/i, as the agent greps the directory listing', () => {
    expect(bundleRoot([file('release/AppSpec.yaml')])).toBe('release');
    expect(bundleRoot([file('release/old-appspec-notes.txt')])).toBe('release');
  });

  it('returns an empty prefix for a bundle with the appspec at its root', () => {
    expect(bundleRoot([file('appspec.yml'), dir('scripts'), file('scripts/start.sh')])).toBe('');
  });

  it('returns an empty prefix when the only directory does not hold the appspec directly', () => {
    expect(bundleRoot([file('app/deploy/appspec.yml')])).toBe('');
    expect(bundleRoot([dir('app'), file('app/index.js')])).toBe('');
  });

  it('returns an empty prefix when the root holds more than one name, dotfiles included', () => {
    expect(bundleRoot([file('app/appspec.yml'), file('.gitignore')])).toBe('');
    expect(bundleRoot([file('app/appspec.yml'), dir('other')])).toBe('');
  });

  it('returns an empty prefix when the single top-level name is a file', () => {
    expect(bundleRoot([file('appspec.yml')])).toBe('');
    expect(bundleRoot([])).toBe('');
  });
});
