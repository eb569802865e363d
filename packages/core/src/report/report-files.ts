import { resolve } from 'node:path';
import { InvalidInputError } from '../errors/index.js';
import { checkOutputPath, writeOutputFile } from '../files/index.js';
import type { GateReport } from './model.js';
import { renderJsonReport } from './render-json.js';
import { renderJunitReport } from './render-junit.js';
import { renderMarkdownReport } from './render-markdown.js';
import { renderPropertiesReport } from './render-properties.js';

/** Where each report goes; any may be left out. */
export interface ReportFiles {
  json?: string | undefined;
  markdown?: string | undefined;
  junit?: string | undefined;
  properties?: string | undefined;
}

/** How a front end names each report path in its messages (`--report-json`, `input "report-dir"`). */
export type ReportFileNames = { readonly [K in keyof ReportFiles]-?: string };

const REPORT_NAMES: ReportFileNames = {
  json: 'the JSON report',
  markdown: 'the Markdown report',
  junit: 'the JUnit report',
  properties: 'the properties report',
};

const RENDERERS: { readonly [K in keyof ReportFiles]-?: (report: GateReport) => string } = {
  json: renderJsonReport,
  markdown: renderMarkdownReport,
  junit: renderJunitReport,
  properties: renderPropertiesReport,
};

const KINDS = ['json', 'markdown', 'junit', 'properties'] as const;

/**
 * Checks every report path before the deployment starts, so a report that could never be written is
 * an {@link InvalidInputError} (exit 2) with nothing created, not a failure after the deployment: each
 * must be absent or a regular file (a symlink counts as its target) in a folder that exists or can be
 * made, and no two reports may share a file. Creates nothing.
 */
export async function checkReportFiles(
  files: ReportFiles,
  names: ReportFileNames = REPORT_NAMES,
): Promise<void> {
  const seen = new Map<string, string>();
  for (const kind of KINDS) {
    const file = files[kind];
    if (file === undefined) continue;
    const target = await checkOutputPath(file, { what: names[kind], createFolders: true });
    const other = seen.get(target.path);
    if (other !== undefined) {
      throw new InvalidInputError(
        `${other} and ${names[kind]} are the same file, ${resolve(file)}; nothing was created`,
        {
          hint: 'Give each report its own file.',
        },
      );
    }
    seen.set(target.path, names[kind]);
  }
}

/**
 * Writes each requested report whole or not at all (a temporary file renamed over the target), creating
 * its folder, with the same rules as {@link checkReportFiles}. Returns the paths written.
 */
export async function writeReportFiles(
  report: GateReport,
  files: ReportFiles,
  names: ReportFileNames = REPORT_NAMES,
): Promise<string[]> {
  const written: string[] = [];
  for (const kind of KINDS) {
    const file = files[kind];
    if (file === undefined) continue;
    written.push(
      await writeOutputFile(file, RENDERERS[kind](report), { what: names[kind], createFolders: true }),
    );
  }
  return written;
}
