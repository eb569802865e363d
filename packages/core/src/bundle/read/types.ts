/** One entry of a bundle as an archive lists it. */
export interface BundleEntryInfo {
  /** Posix path inside the archive: no leading './', no trailing '/', no empty or '.' segments. */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  /** Permission bits (0o7777) the archive records; 0 when it records none (zips made on Windows). */
  mode: number;
  /** Content size in bytes: 0 for directories and tar hard links, the target's length for symlinks. */
  size: number;
  /**
   * Symlinks: the target they point to. Tar hard links (type '1') are listed as files whose
   * `linkTarget` is the path of the entry they share content with.
   */
  linkTarget?: string;
}

/** An opened bundle: its listing, plus on-demand access to one file's content. */
export interface BundleReader {
  format: 'zip' | 'tar' | 'tgz';
  /** Every entry in archive order, except the archive's own root ('./'). */
  entries: BundleEntryInfo[];
  /**
   * Raw names that would escape the extraction directory or misbehave on extraction: '..' segments,
   * absolute or drive-letter paths, backslashes, NUL bytes, paths below a symlink entry, hard links to
   * such paths, and (tar) device or FIFO entries.
   */
  unsafeEntries: string[];
  /** Content of the file entry at `path` (the last one when the archive repeats a name). */
  read(path: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** read() refuses larger entries: it exists for appspecs and scripts, not for payloads. */
export const MAX_READ_SIZE = 16 * 1024 * 1024;
