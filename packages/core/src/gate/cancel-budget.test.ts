import { describe, expect, it } from 'vitest';
import { cancelDeadlines, DEFAULT_CANCEL_BUDGET_MS } from './cancel-budget.js';

describe('cancelDeadlines', () => {
  it("fits the default stop, last look and reports inside Jenkins' 5 s between SIGTERM and SIGKILL", () => {
    const { stopMs, lookMs } = cancelDeadlines(DEFAULT_CANCEL_BUDGET_MS);
    expect(stopMs).toBe(3_000);
    expect(lookMs).toBe(3_600);
    expect(DEFAULT_CANCEL_BUDGET_MS).toBeLessThan(5_000);
  });

  it.each([500, 4_000, 25_000])(
    'gives the stop first place and leaves the reports time in a %i ms budget',
    (budget) => {
      const { stopMs, lookMs } = cancelDeadlines(budget);
      expect(stopMs).toBeGreaterThan(0);
      expect(lookMs).toBeGreaterThan(stopMs);
      expect(budget - lookMs).toBeGreaterThanOrEqual(budget / 10 - 1);
    },
  );
});
