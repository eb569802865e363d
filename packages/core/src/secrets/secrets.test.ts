import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretVariable, LineMasker, MASK, maskSecrets, secretMasker } from './index.js';

// Every credential below is made up here, at random, in the shape of the real thing.
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomText(alphabet: string, length: number): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

const fake = {
  accessKeyId: (prefix = 'AKIA') => `${prefix}${randomText(BASE32, 16)}`,
  /** 40 base64 characters with both cases and a digit, as AWS issues them. */
  secretKey: (): string => {
    const key = randomBytes(30).toString('base64');
    return /[A-Z]/.test(key) && /[a-z]/.test(key) && /[0-9/+]/.test(key) ? key : fake.secretKey();
  },
  sessionToken: (prefix = 'IQoJb3JpZ2luX2VjE') => `${prefix}${randomBytes(300).toString('base64')}`,
  github: (prefix: string) => `${prefix}${randomText(ALNUM, 36)}`,
  githubPat: () => `github_pat_${randomText(ALNUM, 22)}_${randomText(ALNUM, 59)}`,
  npm: () => `npm_${randomText(ALNUM, 36)}`,
  rsaKey: () =>
    generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey,
  ed25519Key: () =>
    generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey,
};

/** Masks with no environment: only what the patterns recognise. */
const mask = (text: string) => maskSecrets(text);

describe('secrets', () => {
  describe('AWS credentials', () => {
    it.each(['AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'ANPA', 'ANVA', 'AIPA'])(
      'masks a %s… key id wherever it stands',
      (prefix) => {
        const id = fake.accessKeyId(prefix);
        const result = mask(`using key ${id} for us-east-1\naws_access_key_id = ${id}`);
        expect(result.text).toBe('using key *** for us-east-1\naws_access_key_id = ***');
        expect(result.count).toBe(2);
        expect(result.found).toEqual([id]);
      },
    );

    it.each([
      ['an ini file', (key: string) => `aws_secret_access_key = ${key}`, 'aws_secret_access_key = ***'],
      [
        'an export',
        (key: string) => `export AWS_SECRET_ACCESS_KEY=${key}`,
        'export AWS_SECRET_ACCESS_KEY=***',
      ],
      ['JSON', (key: string) => `{"SecretAccessKey": "${key}"}`, '{"SecretAccessKey": "***"}'],
      ['YAML', (key: string) => `secretAccessKey: ${key}`, 'secretAccessKey: ***'],
    ])('masks a secret access key in %s', (_where, write, expected) => {
      const result = mask(write(fake.secretKey()));
      expect(result.text).toBe(expected);
      expect(result.count).toBe(1);
    });

    it('masks a secret key written right after its key id (a credentials CSV)', () => {
      const id = fake.accessKeyId();
      const key = fake.secretKey();
      const result = mask(`User name,Access key ID,Secret access key\ndeploy,${id},${key}\n`);
      expect(result.text).toBe('User name,Access key ID,Secret access key\ndeploy,***,***\n');
      expect(result.count).toBe(2);
    });

    it('leaves a git SHA after a key id alone: it is not a secret key', () => {
      const id = fake.accessKeyId();
      const sha = randomBytes(20).toString('hex');
      expect(mask(`${id} ${sha}`).text).toBe(`*** ${sha}`);
    });

    it.each([
      ['AWS_SESSION_TOKEN=', ''],
      ['aws_session_token = ', ''],
      ['"SessionToken": "', '"'],
      ['AWS_SECURITY_TOKEN=', ''],
    ])('masks a session token after %s', (before, after) => {
      const token = fake.sessionToken();
      const result = mask(`${before}${token}${after}`);
      expect(result.text).toBe(`${before}***${after}`);
      expect(result.count).toBe(1);
    });

    it.each(['IQoJb3JpZ2luX2VjE', 'FwoGZXIvYXdzE'])(
      'masks a bare session token by its %s prefix',
      (prefix) => {
        const token = fake.sessionToken(prefix);
        expect(mask(`token is ${token} (expires in 1h)`).text).toBe('token is *** (expires in 1h)');
      },
    );

    it('masks the credential, session token and signature of a presigned URL', () => {
      const id = fake.accessKeyId('ASIA');
      const token = encodeURIComponent(fake.sessionToken());
      const signature = randomBytes(32).toString('hex');
      const url = `https://bucket.s3.amazonaws.com/app.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${id}%2F20250314%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${token}&X-Amz-Signature=${signature}`;
      const result = mask(url);
      expect(result.text).not.toContain(id);
      expect(result.text).not.toContain(token);
      expect(result.text).not.toContain(signature);
      expect(result.text).toContain('X-Amz-Security-Token=***&X-Amz-Signature=***');
      expect(result.count).toBe(3);
    });
  });

  describe('tokens', () => {
    it.each(['ghp_', 'gho_', 'ghs_', 'ghu_', 'ghr_'])('masks a GitHub %s token', (prefix) => {
      const token = fake.github(prefix);
      const result = mask(`git clone https://x-access-token:${token}@github.com/o/r.git`);
      expect(result.text).toBe('git clone https://x-access-token:***@github.com/o/r.git');
      expect(result.count).toBe(1);
    });

    it('masks a fine-grained GitHub token', () => {
      const token = fake.githubPat();
      expect(mask(`GH=${token};`).text).toBe('GH=***;');
    });

    it('masks an npm token, bare and in an .npmrc line', () => {
      const token = fake.npm();
      const result = mask(`${token}\n//registry.npmjs.org/:_authToken=${token}\n`);
      expect(result.text).toBe('***\n//registry.npmjs.org/:_authToken=***\n');
      expect(result.count).toBe(2);
      expect(result.found).toEqual([token]);
    });
  });

  describe('private keys', () => {
    it('masks a whole PEM block as one value', () => {
      const key = fake.rsaKey();
      const result = mask(`writing key:\n${key}done\n`);
      expect(result.text).toBe('writing key:\n***\ndone\n');
      expect(result.count).toBe(1);
      expect(result.found).toEqual([key.trimEnd()]);
    });

    it('masks a block split over the agent log lines, prefixes and all', () => {
      const key = fake.ed25519Key();
      const tail = `[stdout]before\n${key
        .trimEnd()
        .split('\n')
        .map((line) => `[stdout]${line}`)
        .join('\n')}\n[stderr]after\n`;
      const result = mask(tail);
      expect(result.text).toBe('[stdout]before\n[stdout]***\n[stderr]after\n');
      expect(result.count).toBe(1);
    });

    it('masks to the end a block whose END the log tail does not reach', () => {
      const key = fake.rsaKey();
      const cut = `[stdout]key follows\n${key.slice(0, key.length / 2)}`;
      expect(mask(cut).text).toBe('[stdout]key follows\n***');
    });

    it('masks the body lines before an END whose BEGIN the log tail cut off', () => {
      const key = fake.rsaKey();
      const lines = key.trimEnd().split('\n');
      const tail = `[stdout]${lines.slice(3).join('\n[stdout]')}\n[stdout]exit 1\n`;
      const result = mask(`[stderr]a log line\n${tail}`);
      expect(result.text).toBe('[stderr]a log line\n[stdout]***\n[stdout]exit 1\n');
      expect(result.count).toBe(1);
    });

    it('masks OpenSSH, encrypted and PGP key blocks', () => {
      const body = randomBytes(48).toString('base64');
      for (const kind of ['OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK']) {
        expect(mask(`x\n-----BEGIN ${kind}-----\n${body}\n-----END ${kind}-----\ny`).text).toBe('x\n***\ny');
      }
    });
  });

  describe('headers and URLs', () => {
    it.each([
      ['Bearer', `Authorization: Bearer ${randomText(ALNUM, 48)}`, 'Authorization: Bearer ***'],
      [
        'Basic',
        `> authorization: Basic ${Buffer.from('deploy:pw-12345').toString('base64')}`,
        '> authorization: Basic ***',
      ],
      [
        'AWS4-HMAC-SHA256',
        `Authorization: AWS4-HMAC-SHA256 Credential=${fake.accessKeyId()}/20250314/us-east-1/codedeploy/aws4_request, SignedHeaders=host;x-amz-date, Signature=${randomBytes(32).toString('hex')}`,
        'Authorization: AWS4-HMAC-SHA256 ***',
      ],
      [
        'a token in curl -H',
        `curl -H "Authorization: token ${fake.github('ghp_')}" https://api.github.com`,
        'curl -H "Authorization: token ***" https://api.github.com',
      ],
      [
        'JSON',
        `{"Authorization": "Bearer ${randomText(ALNUM, 30)}", "Accept": "application/json"}`,
        '{"Authorization": "Bearer ***", "Accept": "application/json"}',
      ],
    ])('masks an Authorization header value (%s) and keeps its scheme', (_kind, text, expected) => {
      const result = mask(text);
      expect(result.text).toBe(expected);
      expect(result.count).toBe(1);
    });

    it('masks the password of a URL and keeps its user and host', () => {
      const result = mask(
        'cloning https://deploy:Sup3r-s3cret!@git.example.com/app.git and postgres://app:pw9911@db:5432/x',
      );
      expect(result.text).toBe(
        'cloning https://deploy:***@git.example.com/app.git and postgres://app:***@db:5432/x',
      );
      expect(result.count).toBe(2);
    });

    it.each([
      ['password=correct-horse-battery', 'password=***'],
      ['DB_PASSWORD="correct horse"', 'DB_PASSWORD="***"'],
      ['GET /hook?token=4f1c9a2b7e&user=ci', 'GET /hook?token=***&user=ci'],
      ['{"client_secret": "cs-91b2e7"}', '{"client_secret": "***"}'],
      ['SLACK_API_KEY=xoxb-1234-abcd', 'SLACK_API_KEY=***'],
    ])('masks the value of %s', (text, expected) => {
      expect(mask(text).text).toBe(expected);
    });

    it.each([
      'token_file=/var/run/secrets/token',
      'password=$DB_PASSWORD',
      'secret_name=prod/db',
      'max_tokens=4096',
      'password_length=12',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell reference, as a script prints it
      'api_key=${API_KEY}',
    ])('leaves %s alone: the value is not the secret', (text) => {
      expect(mask(text)).toEqual({ text, count: 0, found: [] });
    });
  });

  describe('secret environment variables', () => {
    const apiToken = `tok-${randomBytes(12).toString('hex')}`;
    const env = {
      MY_API_TOKEN: apiToken,
      DB_PASSWORD: 'pw',
      DEPLOY_ENV: 'production-eu',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks/token',
    };

    it('masks the value of a variable whose name says it is a secret', () => {
      const result = maskSecrets(`calling the API with ${apiToken} now`, env);
      expect(result.text).toBe('calling the API with *** now');
      expect(result.count).toBe(1);
      expect(result.found).toEqual([apiToken]);
    });

    it('masks its base64, URL-encoded and JSON-escaped forms, also inside a Basic credential', () => {
      const tricky = `p@ss/"word"+${randomBytes(6).toString('hex')}`;
      const masker = secretMasker({ SERVICE_PASSWORD: tricky });
      for (const form of [
        Buffer.from(tricky).toString('base64'),
        encodeURIComponent(tricky),
        JSON.stringify(tricky).slice(1, -1),
      ]) {
        expect(masker(`value: ${form}.`).text).not.toContain(form.slice(0, -2));
      }
      for (const user of ['a', 'ab', 'abc']) {
        const basic = Buffer.from(`${user}:${tricky}`).toString('base64');
        const result = masker(`header ${basic}`);
        expect(result.count).toBe(1);
        expect(result.text.length).toBeLessThan(`header ${basic}`.length - 20);
      }
    });

    it('leaves short values, non-secret names and file locations alone', () => {
      const text = 'pw production-eu /var/run/secrets/eks/token';
      expect(maskSecrets(text, env)).toEqual({ text, count: 0, found: [] });
    });

    it('knows the CI and AWS variables by name', () => {
      for (const name of [
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'GITHUB_TOKEN',
        'NPM_TOKEN',
        'ACTIONS_RUNTIME_TOKEN',
        'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
        'my_db_passwd',
        'STRIPE_API_KEY',
        'GOOGLE_CREDENTIALS',
        'SSH_PRIVATE_KEY',
      ])
        expect(isSecretVariable(name), name).toBe(true);
      for (const name of [
        'PATH',
        'HOME',
        'AWS_REGION',
        'AWS_ACCESS_KEY_ID',
        'ACTIONS_ID_TOKEN_REQUEST_URL',
        'GITHUB_SHA',
      ])
        expect(isSecretVariable(name), name).toBe(false);
    });

    it('masks each line of a multi-line secret, as a script prints it a line at a time', () => {
      const key = fake.ed25519Key();
      const masker = secretMasker({ DEPLOY_PRIVATE_KEY: key });
      const body = key.split('\n')[1] ?? '';
      expect(masker(`[stdout]${body}`).text).toBe('[stdout]***');
    });
  });

  describe('counting', () => {
    it('counts a value two rules find (a token in an Authorization header, an env value) once', () => {
      const token = fake.github('ghp_');
      const result = maskSecrets(`Authorization: token ${token}`, { GITHUB_TOKEN: token });
      expect(result).toEqual({ text: 'Authorization: token ***', count: 1, found: [token] });
    });

    it('does not count what was masked before', () => {
      const text = 'Authorization: Bearer ***\npassword=***\nhttps://u:***@host/';
      expect(mask(text)).toEqual({ text, count: 0, found: [] });
    });

    it('finds nothing more in a text it masked', () => {
      const secret = fc.constantFrom(
        fake.accessKeyId(),
        `aws_secret_access_key=${fake.secretKey()}`,
        fake.github('ghs_'),
        fake.npm(),
        fake.rsaKey(),
        `Authorization: Bearer ${randomText(ALNUM, 20)}`,
        'https://u:pw-1234@h/',
        'token=abcdef12',
      );
      const filler = fc.string({ maxLength: 20 });
      fc.assert(
        fc.property(fc.array(fc.oneof(secret, filler), { maxLength: 8 }), (parts) => {
          const once = mask(parts.join(' '));
          expect(mask(once.text).count).toBe(0);
        }),
      );
    });
  });

  describe('what is not a secret', () => {
    it.each([
      ['a git SHA', randomBytes(20).toString('hex')],
      ['a UUID', randomUUID()],
      ['an S3 ETag', `"${randomBytes(16).toString('hex')}"`],
      ['a multipart S3 ETag', `"${randomBytes(16).toString('hex')}-12"`],
      [
        'base64 of ordinary text',
        Buffer.from('Deployment finished: all 12 instances are healthy.').toString('base64'),
      ],
      ['a deployment id', 'd-7H2KQ9XAB'],
      ['a bundle digest', `sha256:${randomBytes(32).toString('hex')}`],
      ['an ARN', 'arn:aws:iam::123456789012:role/CodeDeployServiceRole'],
      [
        'a console link',
        'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-7H2KQ9XAB?region=eu-west-1',
      ],
      ['a log line about tokens', '[stdout]refreshing the token: done, 3 tokens cached; secret rotation ok'],
    ])('leaves %s unmasked', (_what, text) => {
      const env = { GITHUB_SHA: randomBytes(20).toString('hex'), AWS_REGION: 'eu-west-1' };
      expect(maskSecrets(`value ${text} end`, env)).toEqual({
        text: `value ${text} end`,
        count: 0,
        found: [],
      });
    });
  });

  describe('streams', () => {
    it('masks a key printed a line at a time, from its BEGIN line to its END line', () => {
      const key = fake.rsaKey().trimEnd().split('\n');
      const lines = new LineMasker(secretMasker());
      const out = ['before', ...key, 'after'].map((line) => lines.line(line));
      expect(out.map((result) => result.text)).toEqual(['before', ...key.map(() => MASK), 'after']);
      expect(out.reduce((sum, result) => sum + result.count, 0)).toBe(1);
      expect(out.flatMap((result) => result.found)).toEqual(expect.arrayContaining(key.slice(1, -1)));
    });
  });

  describe('large input', () => {
    it('masks a 10 MB log in one linear pass', () => {
      const line =
        '[stdout]2025-03-14T09:27:01Z GET /health 200 4ms request=3f2a1c path=/api/v1/items?page=2\n';
      const token = fake.github('ghp_');
      const chunk = line.repeat(1_000);
      const text = Array.from({ length: 115 }, (_, i) =>
        i % 23 === 0 ? `${chunk}token ${token}\n` : chunk,
      ).join('');
      expect(text.length).toBeGreaterThan(10_000_000);
      const result = secretMasker({ MY_API_TOKEN: `tok-${randomBytes(12).toString('hex')}` })(text);
      expect(result.count).toBe(5);
      expect(result.text).not.toContain(token);
    });

    it('stays linear on inputs built to make a regular expression backtrack', () => {
      const size = 2_000_000;
      for (const unit of [
        'token_id=',
        'http://a:',
        'Authorization: ',
        'password="',
        '-----END RSA PRIVATE KEY-----\n',
        ' ',
      ]) {
        const text = unit.repeat(Math.ceil(size / unit.length));
        expect(mask(text).text.length).toBeGreaterThan(0);
      }
    });
  });
});
