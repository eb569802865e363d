import { AwsError, InvalidInputError } from '@codedeploy-gate/core';
import { describe, expect, it } from 'vitest';
import { ArtifactUnavailableError } from './artifact.js';
import { errorOutcome, failureType, percentComplete } from './outcome.js';

const overview = (
  o: Partial<Record<'pending' | 'inProgress' | 'succeeded' | 'failed' | 'skipped' | 'ready', number>>,
) =>
  ({ overview: { pending: 0, inProgress: 0, succeeded: 0, failed: 0, skipped: 0, ready: 0, ...o } }) as never;

describe('job outcomes', () => {
  it('report progress as finished targets over all, never 100 before the end', () => {
    expect(percentComplete(overview({}))).toBe(0);
    expect(percentComplete(overview({ succeeded: 1, inProgress: 1, pending: 2 }))).toBe(25);
    expect(percentComplete(overview({ succeeded: 3 }))).toBe(99);
  });

  it('map errors to CodePipeline failure types', () => {
    expect(failureType(new InvalidInputError('bad'))).toBe('ConfigurationError');
    expect(failureType(new ArtifactUnavailableError('gone'))).toBe('RevisionUnavailable');
    expect(failureType(new AwsError('denied', { code: 'AccessDeniedException' }))).toBe('PermissionError');
    expect(failureType(new AwsError('down', { code: 'ECONNRESET' }))).toBe('SystemUnavailable');
    expect(failureType(new Error('boom'))).toBe('JobFailed');
  });

  it('put the hint under the message and keep it within 5000 characters', () => {
    const outcome = errorOutcome(new InvalidInputError('x'.repeat(6000), { hint: 'fix it' }), 'd-1');
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.failure.message?.length).toBe(5000);
    expect(outcome.failure.externalExecutionId).toBe('d-1');
    expect(errorOutcome(new InvalidInputError('bad', { hint: 'fix it' }))).toMatchObject({
      failure: { type: 'ConfigurationError', message: 'bad\nhint: fix it' },
    });
  });
});
