import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ecsSourceFrom,
  InvalidInputError,
  jsonErrorPlace,
  lambdaSourceFrom,
  MAX_READ_SIZE,
  type RevisionSource,
  readRegularFile,
} from '@codedeploy-gate/core';
import type { UnpackedArtifact } from './artifact.js';
import { artifactPath } from './configuration.js';
import {
  ECS_FIELDS,
  type EcsSpec,
  LAMBDA_FIELDS,
  parseRevisionSpec,
  type RevisionSpec,
  specSettingNames,
} from './revision-spec.js';

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
 * its paths found in the artifact, its artifact images resolved, and its settings handed to core's
 * rules (`lambdaSourceFrom`, `ecsSourceFrom`: the CLI's and the GitHub Action's too), so every mistake
 * names the spec file and field before anything is published, registered or created.
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
  const text = await readRegularFile(file, { what: 'RevisionSpec', maxBytes: MAX_READ_SIZE });
  const spec: RevisionSpec = parseRevisionSpec(text.toString('utf8'), label);
  // A path must stay inside the artifact and be one of its files; core then reads it from there.
  const pathIn = async (field: string, path: string | undefined) => {
    if (path === undefined) return undefined;
    const inside = artifactPath(path);
    const message = `RevisionSpec ${label}: ${field} "${path}" is not a file in the input artifact`;
    await fileIn(artifact, inside ?? '', message, "Give a path relative to the artifact's top.");
    return inside as string;
  };
  if (spec.kind === 'lambda') {
    const zipFile = await pathIn(LAMBDA_FIELDS.zipFile, spec.settings.zipFile);
    return namedOnce(label, () =>
      lambdaSourceFrom(
        { ...spec.settings, ...(zipFile !== undefined ? { zipFile } : {}) },
        specSettingNames(LAMBDA_FIELDS, label),
        artifact.dir,
      ),
    );
  }
  const images = await resolveImages(spec, options.imageOf);
  const taskDefinitionFile = await pathIn(ECS_FIELDS.taskDefinitionFile, spec.settings.taskDefinitionFile);
  return namedOnce(label, () =>
    ecsSourceFrom(
      {
        ...spec.settings,
        ...(taskDefinitionFile !== undefined ? { taskDefinitionFile } : {}),
        ...(images ? { images } : {}),
      },
      specSettingNames(ECS_FIELDS, label),
      artifact.dir,
    ),
  );
}

/**
 * Core's check, its message naming the spec file once: core names every setting it mentions in full
 * (`... lambda.zip cannot be combined with RevisionSpec r.yaml: lambda.version`), which for a flag
 * is short and for a field of a file repeats the file.
 */
function namedOnce<T>(label: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const prefix = `RevisionSpec ${label}: `;
    const at = error.message.indexOf(prefix) + prefix.length;
    if (at < prefix.length) throw error;
    throw new InvalidInputError(error.message.slice(0, at) + error.message.slice(at).replaceAll(prefix, ''), {
      hint: error.hint?.replaceAll(prefix, ''),
      cause: error.cause,
    });
  }
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
  const json = text.replace(/^\uFEFF/, '');
  let detail: unknown;
  try {
    detail = JSON.parse(json);
  } catch (error) {
    // Where, never the parser's message: Node quotes the text around the mistake.
    throw invalid(
      `${where} is not valid JSON${jsonErrorPlace(json, error)}`,
      'The artifact must be an ECR source action output: imageDetail.json with "ImageURI" (jq . imageDetail.json shows the error in context).',
    );
  }
  const uri = (detail as { ImageURI?: unknown } | null)?.ImageURI;
  if (typeof uri !== 'string' || uri.trim() === '') {
    const what =
      uri === undefined ? 'missing' : typeof uri === 'string' ? 'empty' : `not text (${kindOf(uri)})`;
    throw invalid(
      `${where}: ImageURI is ${what}`,
      'imageDetail.json must carry the image as "ImageURI" (what the ECR source action writes).',
    );
  }
  return uri.trim();
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
