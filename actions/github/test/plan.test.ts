import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { createCodeDeployClient, createS3Client } from '@codedeploy-gate/core';
import { type LocalCodeDeploy, provisionFleet, startLocalCodeDeploy } from '@codedeploy-gate/local';
import { writeRevision } from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newJob, RUN, runStep } from './support/runner.js';

/**
 * A stand-in for the GitHub REST API (GITHUB_API_URL points Octokit at it): the comments of one pull
 * request, listed, created and updated, and every request recorded.
 */
interface FakeGitHub {
  url: string;
  requests: Array<{ method: string; path: string; body: unknown; authorization: string | undefined }>;
  comments: Array<{ id: number; body: string }>;
  close(): Promise<void>;
}

async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: FakeGitHub['requests'] = [];
  const comments: FakeGitHub['comments'] = [{ id: 1, body: 'LGTM, someone else’s comment' }];
  const read = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text === '' ? undefined : JSON.parse(text);
  };
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const body = await read(req);
    requests.push({ method: req.method ?? '', path, body, authorization: req.headers.authorization });
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const list = `/repos/${RUN.repository}/issues/7/comments`;
    const one = /^\/repos\/octo-org\/shop\/issues\/comments\/(\d+)$/.exec(path);
    if (req.method === 'GET' && path === list) return reply(200, comments);
    if (req.method === 'POST' && path === list) {
      const comment = { id: comments.length + 1, body: (body as { body: string }).body };
      comments.push(comment);
      return reply(201, comment);
    }
    if (req.method === 'PATCH' && one) {
      const comment = comments.find((c) => c.id === Number(one[1]));
      if (!comment) return reply(404, { message: 'Not Found' });
      comment.body = (body as { body: string }).body;
      return reply(200, comment);
    }
    reply(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    comments,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let server: LocalCodeDeploy;
let github: FakeGitHub;
let root: string;
let awsEnv: Record<string, string>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gh plan '));
  server = await startLocalCodeDeploy({ port: 0 });
  github = await startFakeGitHub();
  awsEnv = {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'ASIAGHPLANTEST',
    AWS_SECRET_ACCESS_KEY: 'gh-plan-secret',
  };
});

afterAll(async () => {
  await github?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the bundled action with mode: plan', () => {
  it('shows the plan in the job summary and outputs, posts one PR comment and updates it in place, creating no deployment', async () => {
    const codeDeploy = createCodeDeployClient({ env: awsEnv });
    const s3 = createS3Client({ env: awsEnv });
    const fleet = await provisionFleet({ codeDeploy, s3 }, { application: 'shop-plan', instances: 2 });
    const workspace = join(root, 'workspace');
    await mkdir(workspace, { recursive: true });
    const revision = await writeRevision({ version: '1' });
    await cp(revision.dir, join(workspace, 'deploy'), { recursive: true });
    await revision.cleanup();
    const job = await newJob(root, 'runner', workspace);
    const inputs = {
      application: fleet.application,
      'deployment-group': fleet.deploymentGroup,
      'revision-path': 'deploy',
      's3-bucket': fleet.bucket,
      's3-prefix': 'shop',
      'poll-interval': '0.25s',
    };
    const deployed = await runStep('main', job, inputs, awsEnv);
    expect(deployed.code, deployed.stdout).toBe(0);

    await writeFile(join(workspace, 'deploy', 'app', 'VERSION'), '2\n');
    await writeFile(
      job.files.event,
      JSON.stringify({ pull_request: { number: 7 }, repository: { full_name: RUN.repository } }),
    );
    const pr = { ...awsEnv, GITHUB_EVENT_NAME: 'pull_request', GITHUB_API_URL: github.url };
    const planInputs = { ...inputs, mode: 'plan', 'github-token': 'ghs_planTestToken123' };
    const first = await runStep('main', job, planInputs, pr);
    expect(first.code, `${first.stdout}${first.stderr}`).toBe(0);
    expect(first.outputs).toMatchObject({ blocking: 'false', 'changed-files': '1' });
    const plan = JSON.parse(await readFile(first.outputs['plan-json'] ?? '', 'utf8'));
    expect(plan).toMatchObject({ schema: 'codedeploy-gate/plan@1', files: { changed: 1 } });
    expect(plan.files.entries).toEqual([expect.objectContaining({ path: 'app/VERSION', change: 'changed' })]);
    expect(first.summary).toContain('### ✓ Deployment plan: shop-plan/shop-plan-local');
    expect(first.summary).toContain('| changed | `app/VERSION` |');
    expect(first.stdout).toContain('posted the plan on pull request #7');

    const second = await runStep('main', job, planInputs, pr);
    expect(second.code, `${second.stdout}${second.stderr}`).toBe(0);
    expect(second.stdout).toContain('updated the plan comment on pull request #7');
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/${RUN.repository}/issues/7/comments`,
      `POST /repos/${RUN.repository}/issues/7/comments`,
      `GET /repos/${RUN.repository}/issues/7/comments`,
      `PATCH /repos/${RUN.repository}/issues/comments/2`,
    ]);
    expect(github.requests.every((r) => r.authorization === 'token ghs_planTestToken123')).toBe(true);
    expect(github.comments).toHaveLength(2);
    expect(github.comments[1]?.body).toMatch(
      /^<!-- codedeploy-gate-plan shop-plan\/shop-plan-local -->\n### ✓/,
    );
    // Registered with the runner (::add-mask::), and shown nowhere else.
    const logs = [first.stdout, second.stdout, first.summary]
      .join('\n')
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'));
    expect(logs.join('\n')).not.toContain('ghs_planTestToken123');

    const { deployments = [] } = await codeDeploy.send(
      new ListDeploymentsCommand({
        applicationName: fleet.application,
        deploymentGroupName: fleet.deploymentGroup,
      }),
    );
    expect(deployments).toHaveLength(1);
    codeDeploy.destroy();
    s3.destroy();
  });
});
