import http from 'node:http';
import https from 'node:https';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { type ProxyChoice, type ProxySettings, proxyFor } from './proxy-env.js';

/** The SDK's own defaults for its agents (keep-alive, 50 sockets), kept for direct and proxied requests. */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 50 };

/**
 * The agents for `NodeHttpHandler`: each request picks, by its host and port, the proxy from the
 * environment or a direct connection (`NO_PROXY`). Loaded with `import()` only when a proxy is set.
 * `ca` (from `AWS_CA_BUNDLE`) verifies https endpoints and an https proxy.
 */
export function proxyAgents(
  settings: ProxySettings,
  ca: Buffer | undefined,
): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const tls = ca === undefined ? {} : { ca };
  // A plain http endpoint through a proxy is an absolute-URI request to it (POST http://host/path).
  // No keep-alive there: the agent rewrites the request line only on a new connection, and a reused
  // one would carry a relative path the proxy refuses. (Real AWS endpoints are https, tunnelled below.)
  const httpVia = settings.http && new HttpProxyAgent(settings.http.url, { ...tls, keepAlive: false });
  // An https endpoint is a CONNECT tunnel with TLS to the endpoint inside it; `tls` here verifies an
  // https proxy, the routing agent's options carry it to the endpoint's handshake.
  const httpsVia = settings.https && new HttpsProxyAgent(settings.https.url, { ...AGENT_OPTIONS, ...tls });
  return {
    httpAgent: new RoutingAgent(settings, 'http:', new http.Agent(AGENT_OPTIONS), httpVia, {}),
    httpsAgent: new RoutingAgent(
      settings,
      'https:',
      new https.Agent({ ...AGENT_OPTIONS, ...tls }),
      httpsVia,
      tls,
    ),
  };
}

/** Hands each request to the proxy agent or the direct one; agent-base lets `connect` return an agent. */
class RoutingAgent extends Agent {
  constructor(
    private readonly settings: ProxySettings,
    private readonly scheme: 'http:' | 'https:',
    private readonly direct: http.Agent,
    private readonly viaProxy: http.Agent | undefined,
    tls: { ca?: Buffer },
  ) {
    // Node merges an agent's options into each request's, which reach the delegate's TLS handshake.
    super({ ...AGENT_OPTIONS, ...tls });
  }

  override connect(_req: http.ClientRequest, options: AgentConnectOpts): http.Agent {
    const port = options.port ?? (this.scheme === 'https:' ? 443 : 80);
    const proxy: ProxyChoice | undefined = proxyFor(this.settings, this.scheme, options.host ?? '', port);
    return proxy === undefined || this.viaProxy === undefined ? this.direct : this.viaProxy;
  }

  override destroy(): void {
    this.direct.destroy();
    this.viaProxy?.destroy();
    super.destroy();
  }
}
