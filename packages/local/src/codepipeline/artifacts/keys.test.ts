import { describe, expect, it } from 'vitest';
import { artifactKey } from './keys.js';

describe('artifactKey', () => {
  it('cuts the pipeline name to 20 characters and the artifact name to 10, then adds 7 random ones', () => {
    expect(artifactKey('a-very-long-pipeline-name-indeed', 'SourceArtifact')).toMatch(
      /^a-very-long-pipeline\/SourceArti\/[A-Za-z0-9]{7}$/,
    );
    expect(artifactKey('p', 'out')).toMatch(/^p\/out\/[A-Za-z0-9]{7}$/);
  });
});
