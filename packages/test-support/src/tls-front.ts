import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relayRequest } from './relay.js';

/**
 * An https endpoint in front of a plain-http one (the local CodeDeploy), with a self-signed
 * certificate for 127.0.0.1 made by `openssl` for this run: clients trust it only through the CA file
 * (`AWS_CA_BUNDLE`), and reaching it through a proxy takes a `CONNECT` tunnel.
 */
export interface TlsFront {
  /** `https://127.0.0.1:PORT`. */
  endpoint: string;
  /** PEM file of the certificate, which is its own CA. */
  caFile: string;
  close(): Promise<void>;
}

export async function startTlsFront(target: string): Promise<TlsFront> {
  const upstream = new URL(target);
  const dir = mkdtempSync(join(tmpdir(), 'tls-front-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ],
    { stdio: 'ignore' },
  );
  const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
    relayRequest(req, res, {
      host: upstream.hostname,
      port: upstream.port,
      path: req.url ?? '/',
      headers: { ...req.headers, host: upstream.host },
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    caFile,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
