import type { Measurement, Outcome } from './contenders.js';
import type { Machine } from './machine.js';

const MiB = 1024 * 1024;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mebibytes = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const rss = (kib: number | null) => (kib === null ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);

function isMeasured(outcome: Outcome): outcome is Measurement {
  return !('unavailable' in outcome);
}

/** The Markdown table: one row per tool and format, ratios against `zip -qr` on the same tree. */
export function table(outcomes: Outcome[], baseline: Measurement | undefined): string {
  const rows = [
    '| tool | format | wall median | wall min | output size | peak RSS | time vs zip -qr | size vs zip -qr |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const outcome of outcomes) {
    if (!isMeasured(outcome)) {
      rows.push(`| ${outcome.tool} | ${outcome.format} | writer not available | | | | | |`);
      continue;
    }
    const timeRatio =
      baseline === undefined ? 'n/a' : `${(outcome.medianMs / baseline.medianMs).toFixed(2)}×`;
    const sizeRatio =
      baseline === undefined ? 'n/a' : `${(outcome.outputBytes / baseline.outputBytes).toFixed(3)}×`;
    rows.push(
      `| ${outcome.tool} | ${outcome.format} | ${seconds(outcome.medianMs)} | ${seconds(outcome.minMs)} | ` +
        `${mebibytes(outcome.outputBytes)} | ${rss(outcome.peakRssKiB)} | ${timeRatio} | ${sizeRatio} |`,
    );
  }
  return rows.join('\n');
}

export function machineLines(machine: Machine): string {
  return [
    `- CPU: ${machine.cpu}, ${machine.cores} cores; RAM ${machine.ramGiB} GiB`,
    `- Node ${machine.node}; ${machine.zip}; ${machine.python}`,
  ].join('\n');
}

export function commandLines(outcomes: Outcome[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const outcome of outcomes) {
    if (!isMeasured(outcome) || seen.has(outcome.command)) continue;
    seen.add(outcome.command);
    lines.push(`- ${outcome.tool}, ${outcome.format}: \`${outcome.command}\``);
  }
  return lines.join('\n');
}

export { mebibytes, rss, seconds };

/** One line per output our reader could not confirm, or one line saying all were confirmed. */
export function verificationLines(outcomes: Outcome[], expectedFiles: number): string {
  const measured = outcomes.filter(isMeasured);
  const failed = measured.filter((outcome) => outcome.verification?.ok !== true);
  if (failed.length === 0) {
    return `Every output was read back with \`openBundle\`: ${expectedFiles} files listed, appspec.yml readable, no unsafe entries.`;
  }
  return failed
    .map(
      (outcome) =>
        `- ${outcome.tool} ${outcome.format}: failed verification (${outcome.verification?.problem})`,
    )
    .join('\n');
}
