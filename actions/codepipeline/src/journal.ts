import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The jobs this worker acknowledged and has not reported yet, one small file each. CodePipeline never
 * offers an acknowledged job again, so a worker killed between AcknowledgeJob and PutJob*Result would
 * leave it to time out; a restarted worker reads the journal and finishes those jobs instead (their
 * work is safe to redo: a first job finds its deployment by its marker, a follow-up job only looks).
 */
export class Journal {
  constructor(private readonly dir: string) {}

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  async add(jobId: string): Promise<void> {
    const file = join(this.dir, `${jobId}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify({ jobId, acknowledgedAt: new Date().toISOString() }));
    await rename(`${file}.tmp`, file);
  }

  async remove(jobId: string): Promise<void> {
    await rm(join(this.dir, `${jobId}.json`), { force: true });
  }

  /** Job ids left by an earlier run of this worker. */
  async pending(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const ids: string[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const entry = await readFile(join(this.dir, name), 'utf8')
        .then((text) => JSON.parse(text) as { jobId?: string })
        .catch(() => undefined);
      if (entry?.jobId) ids.push(entry.jobId);
    }
    return ids;
  }
}
