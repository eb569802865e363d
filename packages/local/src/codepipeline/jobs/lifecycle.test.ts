import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../state/index.js';
import { acknowledge, dispatch, expire, newJob, report } from './lifecycle.js';

const TIMINGS = { ackTimeoutMs: 1_000, jobTimeoutMs: 5_000, continuationDelayMs: 200 };
const NOW = new Date(1_700_000_000_000);

function job(state: Partial<JobRecord>): JobRecord {
  return { id: 'job-1', status: 'Queued', createdAt: NOW, data: {}, ...state };
}

describe('the job lifecycle decisions', () => {
  it('queues a new job at once, and a continuation only after its delay', () => {
    expect(newJob(NOW, 0)).toEqual({ status: 'Queued' });
    expect(newJob(NOW, TIMINGS.continuationDelayMs)).toEqual({
      status: 'Created',
      deadline: new Date(NOW.getTime() + 200),
    });
  });

  it('dispatches with the nonce until the ack deadline, and acknowledging starts the job timeout', () => {
    const dispatched = job(dispatch('7', NOW, TIMINGS));
    expect(dispatched).toMatchObject({
      status: 'Dispatched',
      nonce: '7',
      deadline: new Date(NOW.getTime() + 1_000),
    });
    expect(acknowledge(dispatched, '7', NOW, TIMINGS)).toEqual({
      status: 'InProgress',
      nonce: '7',
      deadline: new Date(NOW.getTime() + 5_000),
    });
  });

  it('refuses any nonce but the last one handed out, and tells an ended job its status', () => {
    expect(() => acknowledge(job({ status: 'Dispatched', nonce: '7' }), '6', NOW, TIMINGS)).toThrow(
      expect.objectContaining({ code: 'InvalidNonceException' }),
    );
    expect(() => acknowledge(job({ status: 'Queued' }), '7', NOW, TIMINGS)).toThrow(
      expect.objectContaining({ code: 'InvalidNonceException' }),
    );
    expect(acknowledge(job({ status: 'TimedOut', nonce: '7' }), '7', NOW, TIMINGS).status).toBe('TimedOut');
  });

  it('re-queues a job nobody acknowledged, without its nonce, and times out one that never reported', () => {
    expect(expire(job({ status: 'Created' }))).toEqual({ status: 'Queued' });
    expect(expire(job({ status: 'Dispatched', nonce: '7' }))).toEqual({ status: 'Queued' });
    expect(expire(job({ status: 'InProgress', nonce: '7' }))).toEqual({ status: 'TimedOut', nonce: '7' });
  });

  it('takes a result only from an InProgress job', () => {
    expect(report(job({ status: 'InProgress', nonce: '7' }), 'Succeeded')).toEqual({
      status: 'Succeeded',
      nonce: '7',
    });
    for (const status of ['Dispatched', 'Succeeded', 'Failed', 'TimedOut'] as const) {
      expect(() => report(job({ status }), 'Failed')).toThrow(
        expect.objectContaining({ code: 'InvalidJobStateException' }),
      );
    }
  });
});
