import type { IncomingHttpHeaders } from 'node:http';
import { ServiceError } from './service-error.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const REQUIRED_PARAMETERS = ['Credential', 'Signature', 'SignedHeaders'] as const;

/** What a well-formed SigV4 Authorization header says about its signer. */
export interface SignatureScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/**
 * Checks that a JSON-protocol request carries a well-formed SigV4 Authorization header for `service`,
 * answering the way AWS does when it does not. Signatures and credentials are not verified: any
 * signer is welcome, but an unsigned or garbled request must fail as it would in production.
 */
export function verifySignatureShape(headers: IncomingHttpHeaders, service: string): SignatureScope {
  const header = headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const [algorithm = '', ...rest] = header.trim().split(/\s+/);
  const parameters = new Map<string, string>();
  if (algorithm === ALGORITHM) {
    for (const part of rest.join(' ').split(',')) {
      const pair = part.trim();
      if (pair === '') continue;
      const equals = pair.indexOf('=');
      if (equals < 0) {
        throw new ServiceError(
          'IncompleteSignatureException',
          `'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
        );
      }
      parameters.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
  }
  const problems = REQUIRED_PARAMETERS.filter((name) => !parameters.get(name)).map(
    (name) => `Authorization header requires '${name}' parameter.`,
  );
  if (headers['x-amz-date'] === undefined && headers.date === undefined) {
    problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (problems.length > 0) {
    throw new ServiceError('IncompleteSignatureException', `${problems.join(' ')} Authorization=${header}`);
  }
  return credentialScope(parameters.get('Credential') ?? '', service);
}

function credentialScope(credential: string, service: string): SignatureScope {
  const [accessKeyId = '', date = '', region = '', scopedService = '', terminator = ''] =
    credential.split('/');
  if (terminator !== 'aws4_request') {
    throw new ServiceError(
      'IncompleteSignatureException',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
    );
  }
  if (accessKeyId === '' || !/^\d{8}$/.test(date) || region === '') {
    throw new ServiceError(
      'IncompleteSignatureException',
      `Authorization header has a malformed Credential: '${credential}'.`,
    );
  }
  if (scopedService !== service) {
    throw new ServiceError(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${service}'. `,
    );
  }
  return { accessKeyId, date, region, service: scopedService };
}

/** The access key id of a SigV4-signed request (header or presigned query), for S3's key registry. */
export function sigV4AccessKeyId(headers: IncomingHttpHeaders, url: URL): string | undefined {
  const fromHeader = /Credential=([^/,\s]+)\//.exec(headers.authorization ?? '')?.[1];
  return fromHeader ?? url.searchParams.get('X-Amz-Credential')?.split('/')[0];
}
