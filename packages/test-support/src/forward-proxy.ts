import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { relayRequest } from './relay.js';

/** One request a {@link ForwardProxy} handled. */
export interface ProxiedRequest {
  /** `GET` (or any method) for a forwarded plain-http request, `CONNECT` for a tunnel. */
  method: string;
  /** The absolute URI of a forwarded request (`http://127.0.0.1:4566/`), `host:port` of a tunnel. */
  target: string;
  /** The `Proxy-Authorization` header as sent, decoded from Basic (`user:password`), if any. */
  credentials: string | undefined;
  /**
   * For a forwarded request signed with SigV4, its credential scope: `KEYID/DATE/REGION/SERVICE/aws4_request`
   * (which keys and region the client signed with). Tunnelled requests are encrypted: `undefined`.
   */
  signedWith: string | undefined;
}

/**
 * A forward proxy as corporate networks run them (squid, say), on 127.0.0.1: plain-http requests
 * arrive with an absolute URI and are forwarded; https ones open a `CONNECT` tunnel. It records each
 * one, so a test proves a client went through it. Only loopback targets are served: anything else
 * (a real AWS endpoint) is recorded and refused with 403, so a test never reaches the internet. Unlike {@link startCountingProxy}, clients are not
 * pointed at it as their endpoint but find it through `HTTP_PROXY` / `HTTPS_PROXY`.
 */
export interface ForwardProxy {
  /** `http://127.0.0.1:PORT`, the value for `HTTP_PROXY` / `HTTPS_PROXY`. */
  url: string;
  port: number;
  requests: ProxiedRequest[];
  /**
   * What the forwarded requests were signed as, one entry per distinct `KEYID REGION SERVICE`
   * (`AKIDEXAMPLE eu-west-1 codedeploy`); `unsigned` for requests without SigV4 (and tunnels).
   */
  signatures(): Set<string>;
  close(): Promise<void>;
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const tunnels = new Set<Socket>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const target = req.url ?? '';
    const signature = /Credential=([^,\s]+)/.exec(req.headers.authorization ?? '');
    requests.push({
      method: req.method ?? '',
      target,
      credentials: basicCredentials(req),
      signedWith: signature?.[1],
    });
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('a proxy needs an absolute URI');
      return;
    }
    if (!isLoopback(url.hostname)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('this test proxy serves loopback only');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    relayRequest(req, res, {
      host: url.hostname,
      port: url.port || 80,
      path: url.pathname + url.search,
      headers,
    });
  };

  const server = createServer(forward);
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    requests.push({ method: 'CONNECT', target, credentials: basicCredentials(req), signedWith: undefined });
    const [host, port] = splitHostPort(target);
    if (!isLoopback(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', () => {
      if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      end();
    });
    client.on('error', end);
    client.on('close', () => tunnels.delete(client));
    upstream.on('close', () => tunnels.delete(upstream));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    signatures: () =>
      new Set(
        requests.map((r) => {
          if (r.signedWith === undefined) return 'unsigned';
          const [key, , region, service] = r.signedWith.split('/');
          return `${key} ${region} ${service}`;
        }),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of tunnels) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then closed): a dead proxy. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function basicCredentials(req: IncomingMessage): string | undefined {
  const header = req.headers['proxy-authorization'];
  const match = typeof header === 'string' ? /^Basic\s+(\S+)$/i.exec(header) : null;
  return match?.[1] === undefined ? undefined : Buffer.from(match[1], 'base64').toString('utf8');
}

function isLoopback(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);
}

function splitHostPort(target: string): [string, number] {
  const at = target.lastIndexOf(':');
  const host = target.slice(0, at).replace(/^\[|\]$/g, '');
  return [host, Number(target.slice(at + 1)) || 443];
}
