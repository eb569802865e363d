/**
 * Large EC2/on-premises AppSpecs of a given size, made deterministically from a seed. The mixed one reads like a
 * real revision that installs a big tree file by file (deep paths, one permission block per installed
 * folder, several scripts per lifecycle event), and it is built to hurt a validator: a third of the
 * files go to one shared destination (every earlier entry there is a candidate conflict), and it holds
 * duplicate entries, same-name conflicts, permissions set twice, octal modes, typos in keys and events,
 * relative destinations and timeouts over the event budget, so every rule has problems to report.
 */
import { seededRandom } from '@codedeploy-gate/local';

const EVENTS = [
  'ApplicationStop',
  'BeforeInstall',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeBlockTraffic',
  'AfterBlockTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
];
const TYPOS = ['AfterInstal', 'Beforeinstall', 'ValidateServices', 'Install', 'DownloadBundle', 'AppStart'];
const EXTENSIONS = ['js', 'json', 'map', 'css', 'html', 'png', 'sh', 'conf', 'd.ts', 'txt'];
const WORDS = ['api', 'web', 'worker', 'lib', 'assets', 'static', 'config', 'vendor', 'node_modules', 'dist'];

/** Shares of the target size: most of a big AppSpec is its files list. */
const FILES_SHARE = 0.7;
const PERMISSIONS_SHARE = 0.2;

export interface GeneratedAppspec {
  text: string;
  files: number;
  permissions: number;
  scripts: number;
}

/**
 * The shape of the report that opened the issue: nothing but `files`, every item a short path into one
 * folder, so the most items fit in each MiB (about 24,000) and every earlier item is a candidate
 * conflict. One in fifty repeats an earlier item and one in fifty installs another file of an earlier
 * name there.
 */
export function generateDenseFiles(bytes: number, seed = 1): GeneratedAppspec {
  const random = seededRandom(seed);
  const parts = ['version: 0.0\nos: linux\nfiles:\n'];
  let size = parts[0]!.length;
  let files = 0;
  for (;;) {
    files++;
    const roll = random();
    const earlier = 1 + Math.floor(random() * files);
    const name = roll < 0.02 ? `a/f${earlier}.js` : roll < 0.04 ? `b/f${earlier}.js` : `a/f${files}.js`;
    const item = `  - source: ${name}\n    destination: /srv/app\n`;
    if (size + item.length > bytes) break;
    parts.push(item);
    size += item.length;
  }
  return { text: parts.join(''), files: files - 1, permissions: 0, scripts: 0 };
}

/**
 * A realistic, hostile AppSpec of at most `bytes` bytes: files, then permissions, then hooks, in the
 * shares below. The same seed gives the same text.
 */
export function generateAppspec(bytes: number, seed = 1): GeneratedAppspec {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const parts: string[] = ['version: 0.0\nos: linux\n'];
  let size = parts[0]!.length;
  const push = (text: string) => {
    parts.push(text);
    size += text.length;
  };

  const deepDir = (depth: number) => {
    const segments: string[] = [];
    for (let i = 0; i < depth; i++) segments.push(`${pick(WORDS)}${Math.floor(random() * 20)}`);
    return segments.join('/');
  };
  const hot = '/srv/app';
  const installed: { source: string; destination: string }[] = [];
  const destinations: string[] = [];
  const known = new Set<string>();

  push('files:\n');
  let files = 0;
  while (size < bytes * FILES_SHARE) {
    files++;
    let source: string;
    let destination: string;
    const roll = random();
    if (roll < 0.04 && installed.length > 0) {
      ({ source, destination } = pick(installed)); // files-duplicate-entry
    } else if (roll < 0.08 && installed.length > 0) {
      // Another folder's file of the same name into the same place: files-destination-conflict.
      const earlier = pick(installed);
      source = `other/${deepDir(2)}/${earlier.source.split('/').pop()}`;
      destination = earlier.destination;
    } else if (roll < 0.09) {
      source = `${deepDir(3)}/`; // a folder: never conflicts by name
      destination = `/opt/app/${deepDir(2)}`;
    } else {
      // Mostly shallow paths (short entries make the most entries per MiB), one in twenty deep.
      const depth = () => (chance(0.05) ? 10 + Math.floor(random() * 20) : 1);
      source = `${deepDir(depth())}/f${files}.${pick(EXTENSIONS)}`;
      destination = roll < 0.4 ? hot : `/opt/${deepDir(depth())}`;
      if (chance(0.002)) destination = destination.slice(1); // files-destination-not-absolute
    }
    installed.push({ source, destination });
    if (!known.has(destination)) {
      known.add(destination);
      destinations.push(destination);
    }
    const extra = chance(0.002) ? '    destinaton: /typo\n' : '';
    push(`  - source: ${source}\n    destination: ${destination}\n${extra}`);
  }

  push('permissions:\n');
  let permissions = 0;
  while (size < bytes * (FILES_SHARE + PERMISSIONS_SHARE)) {
    permissions++;
    // A quarter of the blocks set the shared folder again with other patterns: any earlier one may clash.
    const object = chance(0.25) ? hot : pick(destinations);
    const lines = [`  - object: ${object}`];
    const roll = random();
    if (roll < 0.5) lines.push(`    pattern: "*-${permissions % 997}.${pick(EXTENSIONS)}"`);
    else if (roll < 0.52) lines.push('    pattern: "lib/*.js"');
    if (chance(0.3)) lines.push('    except: ["*.map", "*.d.ts"]');
    lines.push('    owner: deploy', '    group: www-data');
    lines.push(chance(0.05) ? '    mode: 0644' : `    mode: ${pick(['644', '755', '640', '600'])}`);
    if (chance(0.2))
      lines.push(
        `    acls:\n      - "u:deploy:rwx"\n      - "${pick(['g:web:r-x', 'd:u:ci:rw', 'x:y:z:w:q'])}"`,
      );
    if (chance(0.1)) lines.push('    context:\n      type: httpd_sys_content_t\n      range: s0-s0:c0.c255');
    lines.push(`    type:\n      - ${chance(0.5) ? 'file' : 'directory'}`);
    if (chance(0.003)) lines.push('    ownr: root');
    push(`${lines.join('\n')}\n`);
  }

  push('hooks:\n');
  let scripts = 0;
  let eventIndex = 0;
  while (size < bytes - 200) {
    const event = chance(0.1) ? pick(TYPOS) : EVENTS[eventIndex++ % EVENTS.length]!;
    push(`  ${event}:\n`);
    const count = 1 + Math.floor(random() * 400);
    for (let i = 0; i < count && size < bytes - 200; i++) {
      scripts++;
      const timeout = chance(0.02) ? '"90s"' : String(30 + Math.floor(random() * 300));
      const runas = chance(0.5) ? '\n      runas: deploy' : '';
      const typo = chance(0.01) ? '\n      timout: 10' : '';
      push(
        `    - location: scripts/${event.toLowerCase()}/step-${scripts}.sh\n      timeout: ${timeout}${runas}${typo}\n`,
      );
    }
  }
  push('file_exists_behavior: OVERWRITE\n');
  return { text: parts.join(''), files, permissions, scripts };
}
