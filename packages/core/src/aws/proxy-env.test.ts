import { describe, expect, it } from 'vitest';
import { ExitCode } from '../errors/index.js';
import { bypassesProxy, describeProxy, proxyFor, readProxySettings } from './proxy-env.js';

describe('bypassesProxy (NO_PROXY)', () => {
  const cases: Array<[string, string, number, boolean]> = [
    ['*', 'codedeploy.eu-west-1.amazonaws.com', 443, true],
    ['127.0.0.1', '127.0.0.1', 4566, true],
    ['127.0.0.1', '127.0.0.2', 4566, false],
    ['amazonaws.com', 'codedeploy.eu-west-1.amazonaws.com', 443, true],
    ['amazonaws.com', 'amazonaws.com', 443, true],
    ['amazonaws.com', 'notamazonaws.com', 443, false],
    ['.amazonaws.com', 'amazonaws.com', 443, true],
    ['.amazonaws.com', 's3.amazonaws.com', 443, true],
    ['*.amazonaws.com', 'sts.amazonaws.com', 443, true],
    ['localhost:4566', 'localhost', 4566, true],
    ['localhost:4566', 'localhost', 4567, false],
    ['[::1]:8080', '[::1]', 8080, true],
    ['::1', '[::1]', 8080, true],
    ['EXAMPLE.com', 'api.example.COM', 443, true],
    ['example.com.', 'example.com', 443, true],
  ];
  for (const [entry, host, port, expected] of cases) {
    it(`${expected ? 'bypasses' : 'proxies'} ${host}:${port} for NO_PROXY=${entry}`, () => {
      const settings = readProxySettings({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: entry });
      expect(settings && bypassesProxy(settings.noProxy, host, port)).toBe(expected);
    });
  }

  it('reads a list separated by commas and spaces', () => {
    const settings = readProxySettings({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'a.com, b.com ,c.com' });
    expect(settings?.noProxy).toEqual(['a.com', 'b.com', 'c.com']);
  });
});

describe('readProxySettings', () => {
  it('is undefined when no proxy is set, so no agent is loaded', () => {
    expect(readProxySettings({ NO_PROXY: '*' })).toBeUndefined();
  });

  it('prefers the lower-case spelling, as curl does, and picks the proxy by scheme', () => {
    const settings = readProxySettings({
      https_proxy: 'http://lower:1',
      HTTPS_PROXY: 'http://upper:2',
      HTTP_PROXY: 'http://plain:3',
    });
    if (!settings) throw new Error('no settings');
    expect(proxyFor(settings, 'https:', 'sts.amazonaws.com', 443)?.url.host).toBe('lower:1');
    expect(proxyFor(settings, 'http:', '127.0.0.1', 80)?.url.host).toBe('plain:3');
  });

  it('connects directly for a scheme without a proxy', () => {
    const settings = readProxySettings({ HTTP_PROXY: 'http://plain:3' });
    if (!settings) throw new Error('no settings');
    expect(proxyFor(settings, 'https:', 'codedeploy.us-east-1.amazonaws.com', 443)).toBeUndefined();
  });

  it('reads host:port without a scheme as an http proxy', () => {
    const settings = readProxySettings({ HTTPS_PROXY: 'proxy.corp:3128' });
    expect(settings?.https?.url.href).toBe('http://proxy.corp:3128/');
  });

  it('describes a proxy without its user and password', () => {
    const settings = readProxySettings({ HTTPS_PROXY: 'http://deployer:s3cret@proxy.corp:3128' });
    if (!settings?.https) throw new Error('no proxy');
    expect(describeProxy(settings.https)).toBe('http://proxy.corp:3128 (HTTPS_PROXY)');
  });

  it('rejects a value that is not a URL with exit 2, naming the variable but never echoing it', () => {
    expect.assertions(3);
    try {
      readProxySettings({ HTTPS_PROXY: 'http://deployer:s3cret@proxy corp:3128' });
    } catch (error) {
      const e = error as { message: string; exitCode: number };
      expect(e.exitCode).toBe(ExitCode.InvalidInput);
      expect(e.message).toBe('HTTPS_PROXY is not a URL');
      expect(JSON.stringify(error)).not.toContain('s3cret');
    }
  });

  it('rejects SOCKS proxies with a hint', () => {
    expect(() => readProxySettings({ HTTPS_PROXY: 'socks5://proxy:1080' })).toThrow(
      'HTTPS_PROXY must be an http:// or https:// proxy, got socks5://',
    );
  });
});
