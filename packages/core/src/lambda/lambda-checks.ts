import type { AliasConfiguration } from '@aws-sdk/client-lambda';
import { InvalidInputError } from '../errors/index.js';
import { readRegularFile } from '../files/index.js';
import type { LambdaRevisionSource } from '../gate/revision-source.js';

/**
 * Checks a Lambda source's own fields before any call: names present, a target version that is a
 * published version number, and not both a version and a code package.
 */
export function checkLambdaSource(source: LambdaRevisionSource): void {
  if (source.functionName.trim() === '') {
    throw new InvalidInputError('no Lambda function was given', {
      hint: 'Name the function whose alias the deployment moves (its name or ARN).',
    });
  }
  if (source.alias.trim() === '') {
    throw new InvalidInputError(`no alias of Lambda function ${source.functionName} was given`, {
      hint: 'Name the alias CodeDeploy shifts traffic on (e.g. live); create it first if needed.',
    });
  }
  if (source.targetVersion !== undefined && source.zipFile !== undefined) {
    throw new InvalidInputError('a Lambda target version and a code package were both given', {
      hint: 'Give either an existing version to shift to, or a zip to publish as a new version, not both.',
    });
  }
  if (source.targetVersion !== undefined && !/^[1-9]\d*$/.test(source.targetVersion)) {
    throw new InvalidInputError(
      `Lambda target version "${source.targetVersion}" is not a published version number`,
      {
        hint: 'Give a version number such as 7 ($LATEST and aliases cannot be shifted to); leave it out to publish $LATEST.',
      },
    );
  }
}

/** The alias's version, or why CodeDeploy cannot start a shift on it now. */
export function currentVersionOf(alias: AliasConfiguration, functionName: string, aliasName: string): string {
  const version = alias.FunctionVersion ?? '';
  if (!/^[1-9]\d*$/.test(version)) {
    throw new InvalidInputError(
      `alias ${aliasName} of Lambda function ${functionName} points to ${version || 'no version'}, not a published version; nothing was created`,
      {
        hint: `Point the alias at a published version first (aws lambda update-alias --function-name ${functionName} --name ${aliasName} --function-version N).`,
      },
    );
  }
  const weights = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  if (weights.length > 0) {
    // Alias routing keeps weights as fractions of 1.
    const shares = weights.map(([v, weight]) => `${Number((weight * 100).toFixed(2))}% on version ${v}`);
    throw new InvalidInputError(
      `alias ${aliasName} of Lambda function ${functionName} already splits traffic (version ${version}, ${shares.join(', ')}): a shift is in progress; nothing was created`,
      {
        hint: `Let the deployment that shifts it finish (or stop it), or clear the routing (aws lambda update-alias --function-name ${functionName} --name ${aliasName} --routing-config AdditionalVersionWeights={}).`,
      },
    );
  }
  return version;
}

/** A zip archive starts with a local file header (or, empty, with the end of central directory). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
}

/**
 * Lambda takes at most 50 MB of zipped code in UpdateFunctionCode's request; a larger package must go
 * through S3, which this tool does not do.
 */
export const LAMBDA_ZIP_MAX_BYTES = 50 * 1024 * 1024;

/** The code package at FILE: a regular zip file of at most {@link LAMBDA_ZIP_MAX_BYTES}, read whole. */
export async function readLambdaZip(file: string): Promise<Uint8Array> {
  const bytes = await readRegularFile(file, {
    what: 'the Lambda code package',
    maxBytes: LAMBDA_ZIP_MAX_BYTES,
    hint: 'Give the zip file to deploy.',
    sizeHint:
      'Lambda takes at most 50 MB of zipped code in a request: upload a larger package to S3 yourself, publish it, and deploy that version.',
  });
  if (!looksLikeZip(bytes)) {
    throw new InvalidInputError(`${file} is not a zip archive; Lambda takes code packages as .zip`, {
      hint: 'Build the package with zip (or codedeploy-gate package --format zip) and pass that file.',
    });
  }
  return bytes;
}
