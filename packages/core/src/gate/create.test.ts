import { describe, expect, it } from 'vitest';
import { activeDeploymentIn, DESCRIPTION_LIMIT, markedDescription, markerFor, newMarker } from './create.js';

describe('the description marker', () => {
  it('is unique per call and appended to the description', () => {
    const marker = newMarker();
    expect(marker).toMatch(/^\[cdg:[0-9a-f]{12}\]$/);
    expect(newMarker()).not.toBe(marker);
    expect(markedDescription('release 42', marker)).toBe(`release 42 ${marker}`);
    expect(markedDescription(undefined, marker)).toBe(marker);
  });

  it('shortens a long description so the whole fits the 256-character limit', () => {
    const marker = newMarker();
    const described = markedDescription('x'.repeat(400), marker);
    expect(described).toHaveLength(DESCRIPTION_LIMIT);
    expect(described.endsWith(`… ${marker}`)).toBe(true);
  });
});

describe('activeDeploymentIn', () => {
  it('reads the blocking deployment from both message forms AWS has used', () => {
    expect(
      activeDeploymentIn("The Deployment Group 'prod' already has an active Deployment 'd-ABC123DEF'"),
    ).toBe('d-ABC123DEF');
    expect(activeDeploymentIn("Deployment group 'prod' is already deploying 'd-XYZ987654'")).toBe(
      'd-XYZ987654',
    );
    expect(activeDeploymentIn('The number of allowed deployments was exceeded.')).toBeUndefined();
  });
});

describe('markerFor', () => {
  it('gives every process the same marker for the same key, in the marker format, and another for another key', () => {
    const marker = markerFor('pipeline-execution-1/action-execution-7');
    expect(marker).toMatch(/^\[cdg:[0-9a-f]{12}\]$/);
    expect(markerFor('pipeline-execution-1/action-execution-7')).toBe(marker);
    expect(markerFor('pipeline-execution-1/action-execution-8')).not.toBe(marker);
  });
});
