/** Variables whose names say they hold a secret (`DB_PASSWORD`, `SLACK_API_KEY`, `VAULT_TOKEN`). */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY|ACCESS_KEY/i;

/**
 * ... unless the name says the value only points at a secret: where it is (`AWS_WEB_IDENTITY_TOKEN_FILE`)
 * or which one (`AWS_ACCESS_KEY_ID`, whose real values the AKIA/ASIA pattern masks anyway; a local
 * stand-in such as `worker` would otherwise be masked in every word of the log).
 */
const POINTER_NAME = /_(?:FILE|PATH|DIR|URL|URI|ID)$/i;

/** Secrets CI systems and the AWS SDK put in the environment, masked whatever the pattern says. */
export const KNOWN_SECRET_VARIABLES: readonly string[] = [
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'NPM_TOKEN',
  'NODE_AUTH_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
];

/**
 * Shorter values are left alone: masking `prod` or `true` everywhere would destroy a log and hide
 * nothing worth hiding.
 */
export const MIN_SECRET_LENGTH = 6;

/** Whether an environment variable's value is masked in reports. */
export function isSecretVariable(name: string): boolean {
  return KNOWN_SECRET_VARIABLES.includes(name) || (SECRET_NAME.test(name) && !POINTER_NAME.test(name));
}

/**
 * The strings that give away the secret values in `env`, longest first: each value as is, each of its
 * lines (a key or certificate pasted into a variable is printed a line at a time), and the forms a
 * script prints it in without meaning to: JSON-escaped, URL-encoded and base64 (also from the 2nd and
 * 3rd byte, so it is found inside a longer base64 text such as `Basic dXNlcjpwYXNz`), as GitHub's
 * runner masks its secrets.
 */
export function secretForms(env: Readonly<Record<string, string | undefined>>): string[] {
  const forms = new Set<string>();
  const add = (form: string) => {
    if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
  };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.trim().length < MIN_SECRET_LENGTH || !isSecretVariable(name)) continue;
    for (const text of [value, ...value.split(/\r?\n/).map((line) => line.trim())]) {
      if (text.length < MIN_SECRET_LENGTH) continue;
      add(text);
      add(JSON.stringify(text).slice(1, -1));
      add(encodeURIComponent(text));
      for (const shift of [0, 1, 2]) {
        const base64 = shiftedBase64(text, shift);
        add(base64);
        add(base64.replace(/\+/g, '-').replace(/\//g, '_'));
      }
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * The base64 characters that encode `text` whatever came before it (`shift` bytes into a 3-byte
 * group) and after it: the characters that mix in neighbouring bytes or padding are left out.
 */
function shiftedBase64(text: string, shift: number): string {
  const bytes = Buffer.from(text, 'utf8');
  const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
  const first = Math.ceil((8 * shift) / 6);
  const last = Math.floor((8 * (shift + bytes.length)) / 6);
  return encoded.slice(first, last);
}
