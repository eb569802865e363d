import { ServiceError } from './service-error.js';

/** The service's list pages hold 100 items (ListApplications, ListDeploymentGroups, ...). */
export const PAGE_SIZE = 100;

/**
 * One page of a listing with an opaque `nextToken` (the offset, base64-encoded). A token the server did
 * not hand out is InvalidNextTokenException, or the service's own error (`invalidToken`).
 */
export function pageOf<T>(
  items: readonly T[],
  nextToken: unknown,
  size = PAGE_SIZE,
  invalidToken: () => Error = () =>
    new ServiceError('InvalidNextTokenException', 'The next token was specified in an invalid format.'),
): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined && nextToken !== null && nextToken !== '') {
    const decoded =
      typeof nextToken === 'string' ? Number(Buffer.from(nextToken, 'base64').toString('utf8')) : Number.NaN;
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > items.length) throw invalidToken();
    start = decoded;
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { nextToken: Buffer.from(String(end), 'utf8').toString('base64') } : {}),
  };
}
