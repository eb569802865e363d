/**
 * Secret masking benchmark: how long `secretMasker` takes on 10 MiB of text — a CI log with a few
 * credentials in it, a base64 blob, and inputs built to make a backtracking regular expression blow
 * up — with a CI-sized environment of secrets. The time should grow with the size, not its square:
 * each input is also measured at 1/4 of the size.
 * A measurement, not a test.
 *
 *   pnpm --filter @codedeploy-gate/core exec node --import tsx bench/mask-secrets.ts
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { secretMasker } from '../src/secrets/index.js';
import { describeMachine } from './machine.js';

const SIZE = 10 * 1024 * 1024;
const RUNS = 3;

const LOG_LINE =
  '[stdout]2025-03-14T09:27:01Z GET /health 200 4ms request=3f2a1c path=/api/v1/items?page=2\n';

const INPUTS: Record<string, (size: number) => string> = {
  'CI log, a token every 2 MiB': (size) => {
    const chunk = LOG_LINE.repeat(Math.ceil((2 * 1024 * 1024) / LOG_LINE.length));
    const token = `ghp_${randomBytes(27).toString('base64').replace(/[+/]/g, 'x')}`;
    return `${chunk}token ${token}\n`.repeat(Math.ceil(size / chunk.length)).slice(0, size);
  },
  'base64 blob': (size) => randomBytes(Math.ceil((size * 3) / 4)).toString('base64'),
  'password="…" repeated': (size) => 'password="'.repeat(Math.ceil(size / 10)),
  'END markers without BEGIN': (size) =>
    'MIIabc\n-----END RSA PRIVATE KEY-----\n'.repeat(Math.ceil(size / 37)),
  'token_id= repeated': (size) => 'token_id='.repeat(Math.ceil(size / 9)),
  'one 10 MiB word': (size) => 'a'.repeat(size),
};

/** Twenty secrets, as a CI job's environment carries them. */
const ENV = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [`SERVICE_${i}_TOKEN`, randomBytes(20).toString('hex')]),
);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function time(text: string): number {
  const mask = secretMasker(ENV);
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    mask(text);
    runs.push(performance.now() - start);
  }
  return median(runs);
}

const machine = describeMachine();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}`);
console.log('| input | 2.5 MiB | 10 MiB | 10 MiB throughput |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, make] of Object.entries(INPUTS)) {
  const quarter = time(make(SIZE / 4));
  const full = time(make(SIZE));
  console.log(
    `| ${name} | ${quarter.toFixed(0)} ms | ${full.toFixed(0)} ms | ${(SIZE / 1024 / 1024 / (full / 1000)).toFixed(0)} MiB/s |`,
  );
}
