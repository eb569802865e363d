import { readFileSync } from 'node:fs';
import https from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { InvalidInputError } from '../errors/index.js';
import { describeProxy, type ProxySettings, proxyFor, readProxySettings } from './proxy-env.js';

/**
 * Connecting may take 10 s (a firewalled endpoint would otherwise hang for minutes per attempt); a
 * socket silent for 60 s is dead. No total request timeout: big parts on slow links are legitimate.
 */
const TIMEOUTS = { connectionTimeout: 10_000, socketTimeout: 60_000 };

/** Node's codes for "could not open a connection" (as opposed to one that broke later). */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The HTTP part of every SDK client's config, to spread into it: `requestHandler` with the timeouts,
 * the proxy from `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` and the certificates in `AWS_CA_BUNDLE`.
 * Credential providers that call STS (web identity, `role_arn`) reuse the client's handler; the SSO
 * ones take it from `clientConfig`, so they go through the proxy too. `NODE_EXTRA_CA_CERTS` needs
 * nothing here: Node adds those certificates itself.
 */
export function awsHttpConfig(env: NodeJS.ProcessEnv): {
  requestHandler: NodeHttpHandler | typeof TIMEOUTS;
  clientConfig?: { requestHandler: NodeHttpHandler };
} {
  const requestHandler = awsRequestHandler(env);
  return requestHandler instanceof NodeHttpHandler
    ? { requestHandler, clientConfig: { requestHandler } }
    : { requestHandler };
}

/**
 * Plain options without a proxy or CA bundle (costs nothing); the proxy agents are imported only
 * when a proxy is set.
 */
function awsRequestHandler(env: NodeJS.ProcessEnv): NodeHttpHandler | typeof TIMEOUTS {
  const proxies = readProxySettings(env);
  const ca = readCaBundle(env);
  if (proxies === undefined) {
    if (ca === undefined) return TIMEOUTS;
    return new NodeHttpHandler({
      ...TIMEOUTS,
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 50, ca }),
    });
  }
  return new ProxyHttpHandler(proxies, async () => ({
    ...TIMEOUTS,
    ...(await import('./proxy-agent.js')).proxyAgents(proxies, ca),
  }));
}

/**
 * `NodeHttpHandler` whose connection errors name the proxy that could not be reached (host and port,
 * never its user info): "connect ECONNREFUSED 10.0.0.1:3128" alone reads like the endpoint is down.
 */
class ProxyHttpHandler extends NodeHttpHandler {
  constructor(
    private readonly proxies: ProxySettings,
    options: ConstructorParameters<typeof NodeHttpHandler>[0],
  ) {
    super(options);
  }

  override async handle(...[request, options]: Parameters<NodeHttpHandler['handle']>) {
    try {
      return await super.handle(request, options);
    } catch (error) {
      const scheme = request.protocol === 'http:' ? 'http:' : 'https:';
      const port = request.port ?? (scheme === 'https:' ? 443 : 80);
      const proxy = proxyFor(this.proxies, scheme, request.hostname, port);
      const e = error as NodeJS.ErrnoException;
      if (proxy !== undefined && e instanceof Error && CONNECT_FAILURES.has(e.code ?? '')) {
        // Keep `code`: the SDK's retry rules and our hints read it.
        e.name = 'ProxyConnectionError';
        e.message = `could not connect to the proxy ${describeProxy(proxy)}: ${e.code}`;
      }
      throw error;
    }
  }
}

/** `AWS_CA_BUNDLE`, as the AWS CLI reads it: a PEM file whose certificates replace the default set. */
function readCaBundle(env: NodeJS.ProcessEnv): Buffer | undefined {
  const file = env.AWS_CA_BUNDLE?.trim();
  if (!file) return undefined;
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    throw new InvalidInputError(
      `AWS_CA_BUNDLE ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`,
      {
        hint: 'Point AWS_CA_BUNDLE at a PEM file of CA certificates, or unset it.',
      },
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new InvalidInputError(`AWS_CA_BUNDLE ${file} holds no PEM certificate`, {
      hint: 'The file must contain "-----BEGIN CERTIFICATE-----" blocks (PEM, not DER).',
    });
  }
  return pem;
}
