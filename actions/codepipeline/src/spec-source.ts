import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  applyImageOverrides,
  InvalidInputError,
  parseTaskDefinitionFile,
  type RevisionSource,
} from '@codedeploy-gate/core';
import type { UnpackedArtifact } from './artifact.js';
import { artifactPath } from './configuration.js';
import { type EcsSpec, parseRevisionSpec, type RevisionSpec } from './revision-spec.js';

export interface SpecSourceOptions {
  /** The first input artifact, unpacked: the spec and the files it names are in it. */
  artifact: UnpackedArtifact;
  /** The RevisionSpec path inside it. */
  specPath: string;
  /** The ImageURI of the imageDetail.json in the input artifact named (for `images: {web: {artifact}}`). */
  imageOf(artifactName: string, field: string): Promise<string>;
}

/**
 * The Lambda or ECS revision a RevisionSpec describes, for `deployAndGate`: the spec read and checked,
 * its paths found in the artifact, its artifact images resolved and a task definition file parsed, so
 * every mistake names the spec file and field before anything is published, registered or created.
 */
export async function specRevisionSource(options: SpecSourceOptions): Promise<RevisionSource> {
  const { artifact, specPath } = options;
  const label = `${specPath} (input artifact ${artifact.name})`;
  const file = await fileIn(
    artifact,
    specPath,
    `RevisionSpec ${specPath} is not a file in the input artifact ${artifact.name}`,
    'Fix RevisionSpec, or add the file to the artifact.',
  );
  const spec: RevisionSpec = parseRevisionSpec(await readFile(file, 'utf8'), label);
  const pathIn = async (field: string, path: string) => {
    const message = `RevisionSpec ${label}: ${field} "${path}" is not a file in the input artifact`;
    const hint = "Give a path relative to the artifact's top.";
    return fileIn(artifact, artifactPath(path) ?? '', message, hint);
  };
  if (spec.kind === 'lambda') {
    return {
      kind: 'lambda',
      functionName: spec.functionName,
      alias: spec.alias,
      ...(spec.version !== undefined ? { targetVersion: spec.version } : {}),
      ...(spec.zip !== undefined ? { zipFile: await pathIn('lambda.zip', spec.zip) } : {}),
      ...(spec.hooks ? { hooks: spec.hooks } : {}),
    };
  }
  const images = await resolveImages(spec, options.imageOf);
  let taskDefinitionFile: string | undefined;
  if (spec.taskDefinition !== undefined) {
    taskDefinitionFile = await pathIn('ecs.taskDefinition', spec.taskDefinition);
    // Parsed here as well as by core, so its errors name the file in the artifact, not a temp path.
    const name = `${spec.taskDefinition} (input artifact ${artifact.name})`;
    const parsed = parseTaskDefinitionFile(await readFile(taskDefinitionFile, 'utf8'), name);
    if (images) applyImageOverrides(parsed, images, `RevisionSpec ${label}: ecs.images`);
  }
  return {
    kind: 'ecs',
    ...(taskDefinitionFile !== undefined ? { taskDefinitionFile } : {}),
    ...(spec.cluster !== undefined ? { cluster: spec.cluster } : {}),
    ...(spec.service !== undefined ? { service: spec.service } : {}),
    ...(images ? { images } : {}),
    ...(spec.containerName !== undefined ? { containerName: spec.containerName } : {}),
    ...(spec.containerPort !== undefined ? { containerPort: spec.containerPort } : {}),
    ...(spec.platformVersion !== undefined ? { platformVersion: spec.platformVersion } : {}),
    ...(spec.networkConfiguration ? { networkConfiguration: spec.networkConfiguration } : {}),
    ...(spec.capacityProviderStrategy ? { capacityProviderStrategy: spec.capacityProviderStrategy } : {}),
    ...(spec.hooks ? { hooks: spec.hooks } : {}),
  };
}

/** `path` (already normalised inside the artifact; '' for none) as a file of the unpacked artifact. */
async function fileIn(unpacked: UnpackedArtifact, path: string, message: string, hint: string) {
  const full = join(unpacked.dir, path);
  if (path !== '' && (await stat(full).catch(() => undefined))?.isFile()) return full;
  throw invalid(message, `${hint} The artifact's top level holds: ${await unpacked.topLevel()}.`);
}

async function resolveImages(
  spec: EcsSpec,
  imageOf: SpecSourceOptions['imageOf'],
): Promise<Record<string, string> | undefined> {
  if (spec.images === undefined) return undefined;
  const images: Record<string, string> = {};
  for (const [container, ref] of Object.entries(spec.images)) {
    images[container] =
      'image' in ref ? ref.image : await imageOf(ref.artifact, `ecs.images.${container}.artifact`);
  }
  return images;
}

function invalid(message: string, hint: string): InvalidInputError {
  return new InvalidInputError(`${message}; nothing was created`, { hint });
}

/**
 * The image an ECR source action's output names: `imageDetail.json`'s `ImageURI` (the digest form,
 * `repo@sha256:...`, so the deployment runs exactly the image that was pushed).
 */
export function imageUriOf(text: string, where: string): string {
  let detail: unknown;
  try {
    detail = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid(
      `${where} is not valid JSON: ${(error as Error).message}`,
      'The artifact must be an ECR source action output: imageDetail.json with "ImageURI".',
    );
  }
  const uri = (detail as { ImageURI?: unknown } | null)?.ImageURI;
  if (typeof uri !== 'string' || uri.trim() === '') {
    throw invalid(
      `${where}: ImageURI is ${uri === undefined ? 'missing' : JSON.stringify(uri)}`,
      'imageDetail.json must carry the image as "ImageURI" (what the ECR source action writes).',
    );
  }
  return uri.trim();
}
