import { describe, expect, it } from 'vitest';
import { jsonErrorPlace } from './json-error-place.js';

describe('jsonErrorPlace', () => {
  it("places a syntax error by line and column from the parser's offset", () => {
    const text = '{\n  "ImageURI": "x"\n  "ImageTags": ["2"]\n}';
    let error: unknown;
    try {
      JSON.parse(text);
    } catch (caught) {
      error = caught;
    }
    expect(jsonErrorPlace(text, error)).toBe(' at line 3, column 3');
    expect(jsonErrorPlace('{"a":', new SyntaxError('Unexpected end of JSON input'))).toBe(
      ' (it ends too early)',
    );
  });
});
