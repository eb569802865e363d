import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GroovyStructureError, outlineGroovy } from './groovy-outline.js';

// The Jenkins examples are what users copy into their controllers, where a mistake shows only when a
// build runs. Without a Jenkins here, these checks pin what can be read from the files: they parse
// (brackets, strings, comments), they name the plugins their steps need, they bind AWS credentials
// around the gate, and the library step keeps its promises (report folder, result on failure).

const EXAMPLES = fileURLToPath(new URL('../../../examples/jenkins/', import.meta.url));
const PIPELINES = ['Jenkinsfile', 'scripted.groovy', 'library.Jenkinsfile', 'vars/codedeployGate.groovy'];

/** A step a pipeline uses, and the plugin its header must name for it. */
const PLUGIN_OF_STEP: ReadonlyArray<[RegExp, string]> = [
  [/\bjunit\b/, 'JUnit'],
  [/\breadProperties\b/, 'Pipeline Utility Steps'],
  [/\bwithCredentials\b/, 'Credentials Binding'],
  [/AmazonWebServicesCredentialsBinding/, 'CloudBees AWS Credentials'],
  [/\bwithAWS\b/, 'Pipeline: AWS Steps'],
  [/@Library\b/, 'Groovy libraries'],
];

const read = async (file: string) => outlineGroovy(await readFile(join(EXAMPLES, file), 'utf8'));

describe('the Jenkins examples', () => {
  it('are all listed here and in the examples README', async () => {
    const files = [
      ...(await readdir(EXAMPLES)),
      ...(await readdir(join(EXAMPLES, 'vars'))).map((f) => `vars/${f}`),
    ];
    expect(files.filter((f) => f !== 'README.md' && f !== 'vars').sort()).toEqual([...PIPELINES].sort());
    const readme = await readFile(join(EXAMPLES, 'README.md'), 'utf8');
    for (const file of PIPELINES) expect(readme).toContain(`(${file})`);
  });

  it.each(PIPELINES)('%s has matched brackets, closed strings and comments', async (file) => {
    const outline = await read(file);
    expect(outline.blocks.length).toBeGreaterThan(0);
  });

  it('the outline refuses what Groovy would refuse', () => {
    expect(() => outlineGroovy("node {\n  sh 'x'\n")).toThrow(GroovyStructureError);
    expect(() => outlineGroovy("node {\n  sh 'x\n}\n")).toThrow(/string not closed/);
    expect(() => outlineGroovy('node { withAWS(region: "x" { } }')).toThrow(/does not close/);
    expect(() => outlineGroovy("// a } in a comment\nnode { sh '}' }")).not.toThrow();
  });

  it.each(PIPELINES)('%s names in its header the plugin of every step it uses', async (file) => {
    const { code, header } = await read(file);
    const needed = PLUGIN_OF_STEP.filter(([step]) => step.test(code)).map(([, plugin]) => plugin);
    expect(needed.length).toBeGreaterThan(0);
    expect(header).toMatch(/Plugins:/);
    const named = header.replace(/\s+/g, ' ');
    expect(needed.filter((plugin) => !named.includes(plugin))).toEqual([]);
  });

  it.each(['Jenkinsfile', 'scripted.groovy', 'library.Jenkinsfile'])(
    '%s runs every gate inside a credentials binding, not beside a comment about one',
    async (file) => {
      const { blocks } = await read(file);
      // The gate's command lines live in strings: find them in the text, then their enclosing blocks.
      const text = await readFile(join(EXAMPLES, file), 'utf8');
      const calls = [...text.matchAll(/"\$CODEDEPLOY_GATE"|"\$\{gate\}"|\bcodedeployGate\(/g)].map(
        (m) => m.index,
      );
      expect(calls.length, 'no gate call found').toBeGreaterThan(0);
      const bindings = blocks.filter((b) => b.name === 'withCredentials' || b.name === 'withAWS');
      const unbound = calls.filter((at) => !bindings.some((b) => b.start < at && at < b.end));
      expect(unbound.map((at) => `line ${text.slice(0, at).split('\n').length}`)).toEqual([]);
      for (const binding of bindings.filter((b) => b.name === 'withCredentials')) {
        expect(text.slice(binding.start - 200, binding.start)).toMatch(
          /\$class: 'AmazonWebServicesCredentialsBinding', credentialsId: '[^']+',\s*accessKeyVariable: 'AWS_ACCESS_KEY_ID', secretKeyVariable: 'AWS_SECRET_ACCESS_KEY'/,
        );
      }
    },
  );
});

describe('the library step vars/codedeployGate.groovy', () => {
  it('writes the reports to CODEDEPLOY_GATE_REPORT_DIR and reads them back from there', async () => {
    const text = await readFile(join(EXAMPLES, 'vars/codedeployGate.groovy'), 'utf8');
    expect(text).toMatch(/reportDir = \(config\.reportDir \?: env\.CODEDEPLOY_GATE_REPORT_DIR \?: /);
    // The wrapper gets the same folder the step publishes from.
    expect(text).toMatch(/withEnv\(\["CODEDEPLOY_GATE_REPORT_DIR=\$\{reportDir\}"\]\)/);
    for (const use of [
      /testResults: "\$\{reports\}\/report\.xml"/,
      /artifacts: "\$\{reports\}\/\*"/,
      /"\$\{reports\}\/deployment\.properties"/,
    ]) {
      expect(text).toMatch(use);
    }
    expect(text).not.toMatch(/'codedeploy-gate\/(report\.xml|deployment\.properties|\*)'/);
  });

  it('publishes the reports, then returns the properties with EXIT_CODE on failure when propagate is false', async () => {
    const text = await readFile(join(EXAMPLES, 'vars/codedeployGate.groovy'), 'utf8');
    const { code, blocks } = outlineGroovy(text);
    const call = blocks.find((b) => b.name === 'call');
    expect(call).toBeDefined();
    const body = code.slice(call?.start, call?.end);
    const at = (what: RegExp) => {
      const found = what.exec(body);
      expect(found, String(what)).not.toBeNull();
      return found?.index ?? -1;
    };
    // A failing deployment must not throw out of `sh`: its status is kept and the step goes on.
    const run = at(/status = sh\(returnStatus: true/);
    const publish = at(/finally \{\s*junit /);
    const readBack = at(/readProperties\(/);
    const exitCode = at(/result\.EXIT_CODE = status\.toString\(\)/);
    const fail = at(/if \(status != 0 && config\.propagate != false\) \{/);
    const returned = at(/return result\s*$/);
    expect([run, publish, readBack, exitCode, fail, returned]).toEqual(
      [run, publish, readBack, exitCode, fail, returned].sort((a, b) => a - b),
    );
    // The only way out before `return result` is the propagate branch.
    const offset = call?.start ?? 0;
    const guard = blocks.find((b) => b.start === offset + fail + body.slice(fail).indexOf('{'));
    const errors = [...body.matchAll(/\berror\(/g)].map((m) => offset + (m.index ?? 0));
    expect(errors).toHaveLength(1);
    expect(errors.every((e) => guard !== undefined && guard.start < e && e < guard.end)).toBe(true);
  });
});
