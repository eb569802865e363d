import { writeOutputFile } from '../files/index.js';
import type { SecretMasker } from '../secrets/index.js';
import type { DeploymentPlan } from './model.js';
import { renderMarkdownPlan } from './render-markdown.js';

export interface PlanFiles {
  json?: string | undefined;
  markdown?: string | undefined;
}

/** The plan as JSON (schema codedeploy-gate/plan@1), one stable shape for scripts. */
export function renderJsonPlan(plan: DeploymentPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/**
 * Writes each requested plan file whole or not at all (temp file and rename), creating its folder.
 * `names` says how the front end calls each path (`--report-json`). A plan holds paths, hashes and
 * names, never file contents or variable values; `masker` still runs over it, as over every report,
 * for a path or a name that looks like a credential. Returns the paths written.
 */
export async function writePlanFiles(
  plan: DeploymentPlan,
  files: PlanFiles,
  names: { json: string; markdown: string } = { json: 'the JSON plan', markdown: 'the Markdown plan' },
  masker: SecretMasker = (text) => ({ text, count: 0, found: [] }),
): Promise<string[]> {
  const written: string[] = [];
  if (files.json !== undefined) {
    written.push(
      await writeOutputFile(files.json, masker(renderJsonPlan(plan)).text, {
        what: names.json,
        createFolders: true,
      }),
    );
  }
  if (files.markdown !== undefined) {
    written.push(
      await writeOutputFile(files.markdown, masker(renderMarkdownPlan(plan)).text, {
        what: names.markdown,
        createFolders: true,
      }),
    );
  }
  return written;
}
