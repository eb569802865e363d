import type { Writable } from 'node:stream';
import { colourWanted } from '@codedeploy-gate/core/report';
import { type SecretMasker, secretMasker } from '@codedeploy-gate/core/secrets';

export interface OutputStreams {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/**
 * Where a command writes. Results go to stdout (JSON with --json, text otherwise); progress and
 * diagnostics go to stderr so `--json | jq` always gets clean JSON. Everything written is masked:
 * what looks like a credential, and the values of the environment's secrets, show as `***`.
 */
export class Output {
  readonly json: boolean;
  readonly color: boolean;
  readonly interactive: boolean;
  /** The masker for this environment, also handed to the gate for its reports. */
  readonly masker: SecretMasker;
  private progressShown = false;
  /** Lines of the live block on screen (terminal only), erased before anything else is written. */
  private blockLines = 0;

  constructor(
    private readonly streams: OutputStreams,
    options: { json: boolean },
  ) {
    this.json = options.json;
    const env = streams.env;
    this.masker = secretMasker(env);
    this.interactive = Boolean(streams.stderr.isTTY) && env.TERM !== 'dumb' && env.CI === undefined;
    this.color = colourWanted(env, Boolean(streams.stderr.isTTY) && env.TERM !== 'dumb');
  }

  /** A result line for people; suppressed with --json. */
  line(text = ''): void {
    if (this.json) return;
    this.clearProgress();
    this.streams.stdout.write(`${this.mask(text)}\n`);
  }

  /** The machine-readable result; its strings are masked one by one, so the JSON stays whole. */
  result(value: unknown): void {
    const masked = JSON.stringify(
      value,
      (_key, field) => (typeof field === 'string' ? this.mask(field) : field),
      2,
    );
    this.streams.stdout.write(`${masked}\n`);
  }

  /** Diagnostics (errors, warnings, notes) for people, on stderr. */
  diagnostic(text: string): void {
    this.clearProgress();
    this.streams.stderr.write(`${this.mask(text)}\n`);
  }

  /**
   * Progress on stderr: rewritten in place on a terminal, and as plain lines elsewhere (CI logs), where
   * the caller decides how often (see ProgressThrottle).
   */
  progress(text: string): void {
    if (this.interactive) {
      this.streams.stderr.write(`\r\x1b[2K${this.mask(text)}`);
      this.progressShown = true;
    } else {
      this.streams.stderr.write(`${this.mask(text)}\n`);
    }
  }

  /**
   * A multi-line live display on a terminal (redrawn in place: cursor up, erase down). Elsewhere it
   * does nothing; CI logs get change lines from the caller instead.
   */
  block(lines: readonly string[]): void {
    if (!this.interactive || this.json) return;
    this.clearProgress();
    this.streams.stderr.write(`${lines.map((line) => this.mask(line)).join('\n')}\n`);
    this.blockLines = lines.length;
  }

  clearProgress(): void {
    if (this.blockLines > 0) {
      this.streams.stderr.write(`\x1b[${this.blockLines}A\r\x1b[0J`);
      this.blockLines = 0;
    }
    if (!this.progressShown) return;
    this.streams.stderr.write('\r\x1b[2K');
    this.progressShown = false;
  }

  private mask(text: string): string {
    return this.masker(text).text;
  }

  green(text: string): string {
    return this.color ? `\x1b[32m${text}\x1b[39m` : text;
  }

  red(text: string): string {
    return this.color ? `\x1b[31m${text}\x1b[39m` : text;
  }

  yellow(text: string): string {
    return this.color ? `\x1b[33m${text}\x1b[39m` : text;
  }

  bold(text: string): string {
    return this.color ? `\x1b[1m${text}\x1b[22m` : text;
  }

  dim(text: string): string {
    return this.color ? `\x1b[2m${text}\x1b[22m` : text;
  }
}
