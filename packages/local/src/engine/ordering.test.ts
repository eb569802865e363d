import { describe, expect, it } from 'vitest';
import { deploymentOrder } from './ordering.js';

describe('deploymentOrder', () => {
  it('puts unhealthy instances first, then unknown, old and current revisions', () => {
    expect(
      deploymentOrder([
        { name: 'current', health: 'Healthy', revisionHealth: 'Current' },
        { name: 'old', health: 'Healthy', revisionHealth: 'Old' },
        { name: 'unknown', health: 'Healthy', revisionHealth: 'Unknown' },
        { name: 'unhealthy-current', health: 'Unhealthy', revisionHealth: 'Current' },
        { name: 'unhealthy-unknown', health: 'Unhealthy', revisionHealth: 'Unknown' },
      ]),
    ).toEqual(['unhealthy-unknown', 'unhealthy-current', 'unknown', 'old', 'current']);
  });

  it('orders equals by name', () => {
    expect(
      deploymentOrder([
        { name: 'b', health: 'Healthy', revisionHealth: 'Old' },
        { name: 'a', health: 'Healthy', revisionHealth: 'Old' },
      ]),
    ).toEqual(['a', 'b']);
  });
});
