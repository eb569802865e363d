import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** Credentials in the shapes of the real thing, made up at random for one test: never real ones. */
export interface FakeCredentials {
  /** `AKIA` and 16 base32 characters. */
  accessKeyId: string;
  /** `ghp_` and 36 letters and digits. */
  githubToken: string;
  /** An Ed25519 key in PKCS#8 PEM (three lines). */
  privateKey: string;
  /** A CI secret, for a variable such as `MY_API_TOKEN`. */
  apiToken: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomText(alphabet: string, length: number): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

export function fakeCredentials(): FakeCredentials {
  return {
    accessKeyId: `AKIA${randomText(BASE32, 16)}`,
    githubToken: `ghp_${randomText(ALNUM, 36)}`,
    privateKey: generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey,
    apiToken: `tok-${randomBytes(12).toString('hex')}`,
  };
}

/** What must appear nowhere once masked: each credential, and the body of the key. */
export function leakableParts(fakes: FakeCredentials): string[] {
  const keyBody = fakes.privateKey.split('\n').slice(1, -2);
  return [fakes.accessKeyId, fakes.githubToken, ...keyBody, fakes.apiToken];
}

/**
 * A failing hook script (`#!/bin/sh`, exit 3) that prints each credential as a literal, as a careless
 * script does: the key id on stdout, the token on stderr, the key with `cat`, the API token last
 * (`[stdout]calling the API with …`). `before` are shell lines run first.
 */
export function leakyHookScript(fakes: FakeCredentials, before: string[] = []): string {
  return [
    '#!/bin/sh',
    ...before,
    `echo "configuring with ${fakes.accessKeyId}"`,
    `echo "cloning with ${fakes.githubToken}" >&2`,
    "cat <<'KEY'",
    fakes.privateKey.trimEnd(),
    'KEY',
    `echo "calling the API with ${fakes.apiToken}"`,
    'exit 3',
    '',
  ].join('\n');
}
