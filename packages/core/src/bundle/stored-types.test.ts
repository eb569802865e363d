import { describe, expect, it } from 'vitest';
import { isStoredType } from './stored-types.js';

describe('isStoredType', () => {
  it.each(['logo.png', 'img/Photo.JPG', 'dist/app.tar.gz', 'lib/x.jar', 'fonts/a.woff2', 'v.mp4', 'x.zst'])(
    'stores %s',
    (path) => {
      expect(isStoredType(path)).toBe(true);
    },
  );

  it.each(['app.js', 'README', 'png', '.png', 'dir.png/file', 'a.pngx', 'styles.css', 'x.svg'])(
    'deflates %s',
    (path) => {
      expect(isStoredType(path)).toBe(false);
    },
  );
});
