/**
 * File name extensions whose content is already compressed: deflating them costs CPU for next to no
 * gain (often a few bytes more), so zip bundles store them as they are. The choice depends only on the
 * entry's path, never on timing, so the bundle stays deterministic; changing this list changes the
 * bundle bytes, so it goes with a bump of `BUNDLE_LAYOUT_VERSION` (fingerprint.ts).
 */
export const STORED_EXTENSIONS: ReadonlySet<string> = new Set([
  // images
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'avif',
  'heic',
  // archives and compressed streams
  'gz',
  'tgz',
  'zip',
  'jar',
  'war',
  'ear',
  'bz2',
  'xz',
  'txz',
  'zst',
  'br',
  '7z',
  'rar',
  'lz4',
  // fonts
  'woff',
  'woff2',
  // audio and video
  'mp3',
  'mp4',
  'm4a',
  'm4v',
  'mov',
  'webm',
  'ogg',
  'opus',
  // documents that are zip containers
  'docx',
  'xlsx',
  'pptx',
  'odt',
  'epub',
  'apk',
  'whl',
  'nupkg',
]);

/** Whether the entry at PATH is stored rather than deflated in a zip bundle (by extension, any case). */
export function isStoredType(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return false;
  return STORED_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}
