/**
 * Per-core cost of deflate settings on the application tree: every file the zip writer would deflate
 * (stored types left out, as the writer does) compressed on its own with `deflateRawSync`, one thread,
 * for each level and strategy. CPU time (user + system of this process) and total output, a file
 * counted at its raw size when deflate does not shrink it (the writer then stores it).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import { isStoredType } from '../src/bundle/stored-types.js';
import { median } from './measure.js';

export interface LevelRow {
  level: number;
  strategy: string;
  /** Median CPU milliseconds over the runs. */
  cpuMs: number;
  bytes: number;
}

export interface LevelTable {
  files: number;
  inputBytes: number;
  /** Files and bytes left out as stored types. */
  storedFiles: number;
  storedBytes: number;
  runs: number;
  rows: LevelRow[];
}

const STRATEGIES = {
  default: constants.Z_DEFAULT_STRATEGY,
  filtered: constants.Z_FILTERED,
  rle: constants.Z_RLE,
  'huffman only': constants.Z_HUFFMAN_ONLY,
} as const;

const SETTINGS: Array<[number, keyof typeof STRATEGIES]> = [
  [1, 'default'],
  [3, 'default'],
  [4, 'default'],
  [5, 'default'],
  [6, 'default'],
  [9, 'default'],
  [4, 'filtered'],
  [5, 'filtered'],
  [5, 'rle'],
  [5, 'huffman only'],
];

export async function measureLevels(tree: string, runs = 2): Promise<LevelTable> {
  const contents: Buffer[] = [];
  let storedFiles = 0;
  let storedBytes = 0;
  for (const entry of await readdir(tree, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path);
    if (isStoredType(entry.name)) {
      storedFiles += 1;
      storedBytes += bytes.length;
    } else contents.push(bytes);
  }
  const rows: LevelRow[] = [];
  for (const [level, strategy] of SETTINGS) {
    const times: number[] = [];
    let bytes = 0;
    for (let run = 0; run < runs; run++) {
      bytes = 0;
      const before = process.cpuUsage();
      for (const content of contents) {
        if (content.length === 0) continue;
        const out = deflateRawSync(content, { level, strategy: STRATEGIES[strategy] });
        bytes += Math.min(out.length, content.length);
      }
      const used = process.cpuUsage(before);
      times.push((used.user + used.system) / 1000);
    }
    rows.push({ level, strategy, cpuMs: median(times), bytes });
  }
  return {
    files: contents.length,
    inputBytes: contents.reduce((sum, c) => sum + c.length, 0),
    storedFiles,
    storedBytes,
    runs,
    rows,
  };
}
