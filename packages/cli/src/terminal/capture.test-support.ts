import { Writable } from 'node:stream';
import { Output } from './output.js';

/** An Output writing both streams into one string, on a terminal (`isTTY`) or not, for unit tests. */
export function capture(env: NodeJS.ProcessEnv, isTTY = false): { output: Output; text: () => string } {
  let text = '';
  const sink = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += chunk;
        done();
      },
    }),
    { isTTY },
  );
  return { output: new Output({ stdout: sink, stderr: sink, env }, { json: false }), text: () => text };
}
