import { InvalidInputError } from '../errors/index.js';

/** The proxy a request goes through, and the variable that named it (for messages). */
export interface ProxyChoice {
  /** The proxy URL, user info included: hand it to the agent, never print it ({@link describeProxy}). */
  url: URL;
  variable: string;
}

/** What the environment says about proxies; `undefined` fields mean "no proxy for that scheme". */
export interface ProxySettings {
  http: ProxyChoice | undefined;
  https: ProxyChoice | undefined;
  /** `NO_PROXY` entries, lower-cased, empty ones dropped. */
  noProxy: string[];
}

/**
 * `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` as curl, the AWS CLI and most tools read them: the
 * lower-case spelling first, then upper-case. `undefined` when neither proxy is set, so callers can
 * skip loading the proxy agents altogether.
 */
export function readProxySettings(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const http = proxyVariable(env, 'http_proxy');
  const https = proxyVariable(env, 'https_proxy');
  if (http === undefined && https === undefined) return undefined;
  const noProxy = (envValue(env, 'no_proxy')?.value ?? '')
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  return { http, https, noProxy };
}

/**
 * The proxy for a request to `protocol//host:port`, or `undefined` to connect directly: `http:`
 * requests use `HTTP_PROXY`, `https:` ones `HTTPS_PROXY`, and a `NO_PROXY` match always goes direct.
 */
export function proxyFor(
  settings: ProxySettings,
  protocol: 'http:' | 'https:',
  host: string,
  port: number,
): ProxyChoice | undefined {
  const choice = protocol === 'https:' ? settings.https : settings.http;
  if (choice === undefined) return undefined;
  return bypassesProxy(settings.noProxy, host, port) ? undefined : choice;
}

/**
 * Whether `NO_PROXY` sends `host:port` direct, with curl's rules: `*` matches everything; a host or
 * IP (`10.0.0.7`, `example.com`) matches itself and, for names, its subdomains; a leading `.` or `*.`
 * (`.example.com`) is ignored, so it matches the same. An entry may end in `:port` to match that port
 * only. IPv6 addresses may be written with or without brackets. No CIDR ranges (curl has none either).
 */
export function bypassesProxy(noProxy: readonly string[], host: string, port: number): boolean {
  const name = unbracket(host.toLowerCase()).replace(/\.$/, '');
  return noProxy.some((raw) => {
    if (raw === '*') return true;
    const { entryHost, entryPort } = splitEntry(raw);
    if (entryPort !== undefined && entryPort !== port) return false;
    const domain = entryHost.replace(/^\*?\./, '').replace(/\.$/, '');
    if (domain === '') return false;
    return name === domain || name.endsWith(`.${domain}`);
  });
}

/** `http://proxy.corp:3128`: the proxy without its user info or path, safe for messages and logs. */
export function describeProxy(choice: ProxyChoice): string {
  return `${choice.url.protocol}//${choice.url.host} (${choice.variable})`;
}

function proxyVariable(env: NodeJS.ProcessEnv, lowerName: string): ProxyChoice | undefined {
  const found = envValue(env, lowerName);
  if (found === undefined) return undefined;
  // `proxy.corp:3128` without a scheme is common in the wild; curl and the AWS CLI read it as http.
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(found.value) ? found.value : `http://${found.value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The value may carry a password: name the variable, never echo it.
    throw new InvalidInputError(`${found.variable} is not a URL`, {
      hint: `Set ${found.variable} to a proxy URL such as http://proxy.example.com:3128 (user:password@ allowed).`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError(
      `${found.variable} must be an http:// or https:// proxy, got ${url.protocol}//`,
      {
        hint: 'SOCKS and PAC proxies are not supported; use the HTTP proxy your network offers.',
      },
    );
  }
  return { url, variable: found.variable };
}

function envValue(
  env: NodeJS.ProcessEnv,
  lowerName: string,
): { value: string; variable: string } | undefined {
  for (const variable of [lowerName, lowerName.toUpperCase()]) {
    const value = env[variable]?.trim();
    if (value) return { value, variable };
  }
  return undefined;
}

function splitEntry(entry: string): { entryHost: string; entryPort: number | undefined } {
  // `[::1]:8080`, `::1`, `host:443`, `host`: only a bracketed IPv6 or a single colon carries a port.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    return { entryHost: bracketed[1] ?? '', entryPort: bracketed[2] ? Number(bracketed[2]) : undefined };
  }
  const parts = entry.split(':');
  if (parts.length === 2 && /^\d+$/.test(parts[1] ?? '')) {
    return { entryHost: parts[0] ?? '', entryPort: Number(parts[1]) };
  }
  return { entryHost: entry, entryPort: undefined };
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
