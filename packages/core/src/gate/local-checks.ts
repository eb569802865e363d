import { InvalidInputError } from '../errors/index.js';
import type { CheckedRevision } from '../packaging/index.js';
import { parseS3Url } from '../s3/url.js';
import {
  githubRevision,
  type RevisionSource,
  readAppspecSource,
  s3RevisionLocation,
} from './revision-source.js';

/** What the local checks read, kept for the step that uses it once the AWS checks have passed. */
export interface LocallyChecked {
  /** A folder source: scanned, and its appspec valid for EC2/on-premises. */
  folder?: CheckedRevision;
  /** An AppSpec source: the file's text. */
  appspec?: string;
  /** A Lambda source with a code package: the zip. */
  zip?: Uint8Array;
}

/**
 * Every check of a deployment's input that needs no AWS: the names given, the revision's files (a
 * folder scanned and its appspec validated, an AppSpec file, a Lambda zip, an ECS task definition, all
 * read as bounded regular files) and its settings. `deployAndGate` runs it before its first request,
 * so invalid input costs no call and exits 2.
 */
export async function checkLocally(options: {
  application: string;
  deploymentGroup: string;
  source: RevisionSource;
}): Promise<LocallyChecked> {
  if (options.application.trim() === '') {
    throw new InvalidInputError('the application name is empty; nothing was created', {
      hint: 'Name the CodeDeploy application.',
    });
  }
  if (options.deploymentGroup.trim() === '') {
    throw new InvalidInputError('the deployment group name is empty; nothing was created', {
      hint: 'Name the deployment group to deploy to.',
    });
  }
  const source = options.source;
  switch (source.kind) {
    case 'folder': {
      const folder = await checkFolder(source.dir, source.exclude);
      parseS3Url(source.s3Location);
      return { folder };
    }
    case 's3':
      s3RevisionLocation(source);
      return {};
    case 'github':
      githubRevision(source);
      return {};
    case 'appspec':
      return { appspec: await readAppspecSource(source.file) };
    case 'lambda': {
      const { checkLambdaSource, readLambdaZip } = await import('../lambda/lambda-checks.js');
      checkLambdaSource(source);
      return source.zipFile === undefined ? {} : { zip: await readLambdaZip(source.zipFile) };
    }
    case 'ecs': {
      const { checkEcsSourceLocally } = await import('../ecs/ecs-revision.js');
      await checkEcsSourceLocally(source);
      return {};
    }
  }
}

/**
 * A folder deploys to EC2/on-premises only: its appspec is validated as the CodeDeploy agent reads
 * it, and one that describes a Lambda function or an ECS service is refused here, by what it says.
 */
async function checkFolder(dir: string, exclude: string[] | undefined): Promise<CheckedRevision> {
  // Loaded here, not at start: see loadS3 in deploy.ts.
  const { checkRevisionFolder } = await import('../packaging/package-revision.js');
  const { RevisionInvalidError } = await import('../validation/revision-invalid-error.js');
  const refuseServerless = (validation: { file: string; platform: string }) => {
    if (validation.platform === 'server') return;
    throw new InvalidInputError(
      `${validation.file} in ${dir} is ${validation.platform === 'lambda' ? 'a Lambda' : 'an ECS'} AppSpec, and a folder revision deploys to EC2/on-premises instances; nothing was created`,
      {
        hint: 'Deploy the AppSpec file itself as an AppSpec revision, or build the revision from the function or service settings.',
      },
    );
  };
  try {
    const checked = await checkRevisionFolder(dir, exclude ? { exclude } : {});
    refuseServerless(checked.validation);
    return checked;
  } catch (error) {
    // Said before the problems a Lambda or ECS AppSpec may have: fixing them would not help.
    if (error instanceof RevisionInvalidError) refuseServerless(error.validation);
    throw error;
  }
}
