import { pageOf } from '../wire/paging.js';
import { invalidParameter } from './errors.js';

/**
 * A page of an ECS listing: `maxResults` between 1 and 100 (else InvalidParameterException, as ECS
 * answers), `defaultSize` when absent; a nextToken ECS did not hand out is InvalidParameterException.
 */
export function listPage<T>(
  items: readonly T[],
  input: { maxResults?: number; nextToken?: string },
  defaultSize: number,
): { items: T[]; nextToken?: string } {
  const size = input.maxResults ?? defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > 100) {
    throw invalidParameter('maxResults must be between 1 and 100.');
  }
  return pageOf(items, input.nextToken, size, () => invalidParameter('Invalid token.'));
}
