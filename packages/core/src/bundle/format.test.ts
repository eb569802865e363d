import { describe, expect, it } from 'vitest';
import { bundleFormatFromName } from './format.js';

describe('bundleFormatFromName', () => {
  it('maps each extension CodeDeploy accepts to its bundle type', () => {
    expect(bundleFormatFromName('app.zip')).toBe('zip');
    expect(bundleFormatFromName('app.tar')).toBe('tar');
    expect(bundleFormatFromName('app.tgz')).toBe('tgz');
    expect(bundleFormatFromName('dist/App.TAR.GZ')).toBe('tgz');
  });

  it('returns undefined for anything else', () => {
    expect(bundleFormatFromName('app.gz')).toBeUndefined();
    expect(bundleFormatFromName('app')).toBeUndefined();
  });
});
