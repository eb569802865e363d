import { randomInt } from 'node:crypto';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random characters from `alphabet` (for artifact keys and credentials). */
export function randomString(length: number, alphabet = KEY_ALPHABET): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/**
 * Where an action's output artifact goes in the artifact store: `<pipeline>/<artifact>/<7 random>`,
 * the pipeline name cut to 20 characters and the artifact name to 10, as CodePipeline names them (the
 * user guide's "Pipeline artifact folder names appear to be truncated").
 */
export function artifactKey(pipelineName: string, artifactName: string): string {
  return `${pipelineName.slice(0, 20)}/${artifactName.slice(0, 10)}/${randomString(7)}`;
}
