import * as core from '@actions/core';
import { MIN_SECRET_LENGTH, type SecretMasker, secretMasker } from '@codedeploy-gate/core';

/**
 * Core's masker for this step's environment that also tells the runner each value it masks
 * (`add-mask`, a line at a time, without the agent's `[stdout]` prefix), so the runner hides them in
 * every later line of the job's log, other steps' included, not only in what this step writes.
 */
export function runnerMasker(env: NodeJS.ProcessEnv = process.env): SecretMasker {
  const mask = secretMasker(env);
  const registered = new Set<string>();
  return (text) => {
    const result = mask(text);
    for (const value of result.found) {
      for (const line of value.split(/\r?\n/)) {
        const secret = line.replace(/^\[std(?:out|err)\]/, '').trim();
        if (secret.length < MIN_SECRET_LENGTH || registered.has(secret)) continue;
        registered.add(secret);
        core.setSecret(secret);
      }
    }
    return result;
  };
}
