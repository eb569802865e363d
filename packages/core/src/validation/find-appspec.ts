import { APPSPEC_FILE_NAMES, type AppspecProblem, type ComputePlatform } from '../appspec/index.js';
import { InvalidInputError } from '../errors/index.js';

/**
 * Picks the appspec among the names at a revision root. The agent reads `appspec.yml` or `appspec.yaml`
 * (and which one wins differs between its install and hook code), so two of them is an error, and an
 * `appspec.json` alone cannot serve an EC2/on-premises deployment.
 */
export function chooseAppspec(rootNames: Iterable<string>, where: string): string {
  const present = new Set(rootNames);
  const found = APPSPEC_FILE_NAMES.filter((name) => present.has(name));
  const [first] = found;
  if (first === undefined) {
    throw new InvalidInputError(`no appspec.yml, appspec.yaml or appspec.json at the root of ${where}`, {
      hint: 'CodeDeploy looks for the appspec at the revision root: add appspec.yml there, or point at the folder that holds it.',
    });
  }
  if (found.length > 1) {
    throw new InvalidInputError(`${where} has more than one appspec: ${found.join(', ')}`, {
      hint: 'Keep exactly one; the CodeDeploy agent does not pick between them consistently.',
    });
  }
  return first;
}

/** Problems with the appspec's file name itself, once the platform is known. */
export function appspecNameProblems(name: string, platform: ComputePlatform): AppspecProblem[] {
  if (name !== 'appspec.json' || platform !== 'server') return [];
  return [
    {
      severity: 'error',
      code: 'appspec-json-not-read-by-agent',
      file: name,
      line: 1,
      column: 1,
      path: '',
      message: 'the CodeDeploy agent only reads appspec.yml or appspec.yaml from an EC2/on-premises bundle',
      hint: 'Rename it to appspec.yml (JSON is valid YAML), or pass --platform lambda|ecs if this is not a server revision.',
    },
  ];
}
