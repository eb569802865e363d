import { describe, expect, it } from 'vitest';
import { fillUrlTemplate } from './urls.js';

const PROPERTIES = [
  { name: 'ApplicationName', required: true, key: true, secret: false },
  { name: 'Token', required: true, key: false, secret: true },
  { name: 'Region', required: false, key: false, secret: false },
];
const CONFIGURATION = { ApplicationName: 'web', Token: 'hidden', Region: 'eu-west-1' };

describe('fillUrlTemplate', () => {
  it('fills {Config:Name} and {ExternalExecutionId}', () => {
    expect(
      fillUrlTemplate('https://ci/{Config:ApplicationName}/runs/{ExternalExecutionId}', {
        configuration: CONFIGURATION,
        properties: PROPERTIES,
        externalExecutionId: 'd-1',
      }),
    ).toBe('https://ci/web/runs/d-1');
  });

  it('fills only required, non-secret properties, as the service documents', () => {
    expect(
      fillUrlTemplate('https://ci/{Config:Token}/{Config:Region}', {
        configuration: CONFIGURATION,
        properties: PROPERTIES,
      }),
    ).toBe('https://ci/{Config:Token}/{Config:Region}');
  });

  it('has no URL before the worker reports an external execution id, nor without a template', () => {
    expect(
      fillUrlTemplate('https://ci/{ExternalExecutionId}', {
        configuration: CONFIGURATION,
        properties: PROPERTIES,
      }),
    ).toBeUndefined();
    expect(
      fillUrlTemplate(undefined, { configuration: CONFIGURATION, properties: PROPERTIES }),
    ).toBeUndefined();
  });
});
