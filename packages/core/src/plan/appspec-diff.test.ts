import { describe, expect, it } from 'vitest';
import { appspecFacts, diffAppspecs } from './appspec-diff.js';

const hashes: Record<string, string> = { 'scripts/a.sh': 'a'.repeat(64), 'scripts/b.sh': 'b'.repeat(64) };
const facts = (text: string, scripts = hashes) =>
  appspecFacts(text, 'appspec.yml', async (path) => scripts[path]);

describe('diffAppspecs', () => {
  it('says which hooks, scripts, timeouts, files mappings and permissions changed', async () => {
    const live = await facts(
      [
        'version: 0.0',
        'os: linux',
        'files:',
        '  - source: app',
        '    destination: /srv/app',
        'permissions:',
        '  - object: /srv/app',
        '    mode: 644',
        'hooks:',
        '  ApplicationStop:',
        '    - location: scripts/a.sh',
        '  ApplicationStart:',
        '    - location: scripts/a.sh',
        '      timeout: 30',
      ].join('\n'),
    );
    const next = await facts(
      [
        'version: 0.0',
        'os: linux',
        'files:',
        '  - source: app',
        '    destination: /opt/app',
        'permissions:',
        '  - object: /srv/app',
        '    mode: 755',
        'hooks:',
        '  ApplicationStart:',
        '    - location: scripts/a.sh',
        '      timeout: 60',
        '  ValidateService:',
        '    - location: scripts/b.sh',
      ].join('\n'),
      { ...hashes, 'scripts/a.sh': 'c'.repeat(64) },
    );
    const changes = diffAppspecs(live, next).map((c) => `${c.change} ${c.area} ${c.subject}: ${c.detail}`);
    expect(changes).toEqual([
      `changed hooks ApplicationStart: scripts/a.sh content ${'a'.repeat(12)} → ${'c'.repeat(12)}; scripts/a.sh timeout 30s → 60s`,
      `added hooks ValidateService: scripts/b.sh, sha256 ${'b'.repeat(12)}`,
      `removed hooks ApplicationStop: scripts/a.sh, sha256 ${'a'.repeat(12)}`,
      'added files app -> /opt/app: files mapping added',
      'removed files app -> /srv/app: files mapping removed',
      'changed permissions /srv/app: {"mode":644} → {"mode":755}',
    ]);
  });
});
