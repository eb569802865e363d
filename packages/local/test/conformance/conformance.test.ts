import { describe, expect, it } from 'vitest';
import type { RecordedExchange } from '../../src/recording/index.js';
import { checkExchange } from './exchange-check.js';
import { loadServiceModels } from './models.js';

const models = loadServiceModels();

function json(target: string, body: unknown, status = 200): RecordedExchange {
  return {
    protocol: 'json',
    operation: target,
    method: 'POST',
    path: '/',
    query: {},
    requestHeaders: [],
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  };
}

function s3(
  method: string,
  path: string,
  query: Record<string, string>,
  body: string,
  status = 200,
): RecordedExchange {
  return {
    protocol: 's3',
    method,
    path,
    query,
    requestHeaders: [],
    status,
    headers: { 'content-type': 'application/xml' },
    body,
  };
}

const problems = (exchange: RecordedExchange) =>
  checkExchange(models, exchange).violations.map((v) => `${v.path}: ${v.problem}`);

describe('the conformance checker (JSON protocols)', () => {
  const deployment = {
    deploymentInfo: { deploymentId: 'd-ABCDEFGHI', status: 'Succeeded', createTime: 1_700_000_000.5 },
  };

  it('accepts a response the model describes', () => {
    expect(problems(json('CodeDeploy_20141006.GetDeployment', deployment))).toEqual([]);
  });

  it('fails a member the model does not have, a wrong type and an ISO timestamp where JSON 1.1 sends epoch seconds', () => {
    const body = {
      deploymentInfo: {
        deploymentId: 7,
        status: 'Succeeded',
        createTime: '2026-01-01T00:00:00Z',
        colour: 'blue',
      },
    };
    expect(problems(json('CodeDeploy_20141006.GetDeployment', body)).sort()).toEqual([
      'deploymentInfo.colour: member not in the model',
      'deploymentInfo.createTime: expected a timestamp (unixTimestamp), got string',
      'deploymentInfo.deploymentId: expected string, got number',
    ]);
  });

  it('fails an enum value outside the model, but for the documented exceptions', () => {
    const done = { deploymentInfo: { deploymentId: 'd-ABCDEFGHI', status: 'Done' } };
    expect(problems(json('CodeDeploy_20141006.GetDeployment', done))).toEqual([
      'deploymentInfo.status: "Done" is not a DeploymentStatus value (Created, Queued, InProgress, Baking, Succeeded, Failed, Stopped, Ready)',
    ]);
    const oneAtATime = {
      deploymentConfigInfo: {
        deploymentConfigName: 'CodeDeployDefault.OneAtATime',
        minimumHealthyHosts: { type: 'MOST_CONCURRENCY', value: 1 },
      },
    };
    expect(problems(json('CodeDeploy_20141006.GetDeploymentConfig', oneAtATime))).toEqual([]);
    const otherType = { deploymentConfigInfo: { minimumHealthyHosts: { type: 'MOST_HOSTS', value: 1 } } };
    expect(problems(json('CodeDeploy_20141006.GetDeploymentConfig', otherType))).toHaveLength(1);
  });

  it('checks lists and maps element by element, and errors by their __type', () => {
    const listed = { deployments: ['d-1', 2] };
    expect(problems(json('CodeDeploy_20141006.ListDeployments', listed))).toEqual([
      'deployments[1]: expected string, got number',
    ]);
    expect(problems(json('CodeDeploy_20141006.GetDeployment', { message: 'no type' }, 400))).toEqual([
      '__type: an error names its code',
    ]);
  });
});

describe('the conformance checker (S3 XML, Lambda REST-JSON)', () => {
  const listParts = (part: string) =>
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    '<Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId><MaxParts>2</MaxParts><IsTruncated>false</IsTruncated>' +
    `${part}</ListPartsResult>`;

  it('resolves the S3 operation from the request and accepts what its model describes', () => {
    const exchange = s3(
      'GET',
      '/b/k',
      { uploadId: 'u' },
      listParts(
        '<Part><PartNumber>1</PartNumber><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"x"</ETag><Size>3</Size></Part>',
      ),
    );
    expect(checkExchange(models, exchange)).toEqual({ operation: 's3:ListParts', violations: [] });
  });

  it('fails an element the model does not have and text of the wrong type', () => {
    const exchange = s3(
      'GET',
      '/b/k',
      { uploadId: 'u' },
      listParts('<Part><PartNumber>one</PartNumber><Colour>blue</Colour></Part>'),
    );
    expect(problems(exchange).sort()).toEqual([
      'ListPartsResult.Part.Colour: element not in the model',
      'ListPartsResult.Part.PartNumber: expected integer, got "one"',
    ]);
  });

  it("wants S3's namespace on result documents", () => {
    const exchange = s3(
      'GET',
      '/b/k',
      { uploadId: 'u' },
      listParts('').replace(' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"', ''),
    );
    expect(problems(exchange)).toEqual([
      "ListPartsResult: not in S3's namespace http://s3.amazonaws.com/doc/2006-03-01/ (xmlns=none)",
    ]);
  });

  it('wants S3 errors as <Error> with a Code and a Message, in XML', () => {
    const { body: _none, ...text } = s3('DELETE', '/', {}, '', 404);
    const plain: RecordedExchange = {
      ...text,
      headers: { 'content-type': 'text/plain' },
      bodyOmitted: 'binary',
    };
    expect(problems(plain)).toEqual(['(body): an error must be XML, got content-type text/plain']);
    const exchange = s3('GET', '/b/k', {}, '<Error><Code>NoSuchKey</Code></Error>', 404);
    expect(problems(exchange)).toEqual(['Error.Message: missing']);
  });

  it('checks a Lambda body without the members the model carries in headers', () => {
    const exchange: RecordedExchange = {
      protocol: 'lambda',
      operation: 'GetFunction',
      method: 'GET',
      path: '/2015-03-31/functions/f',
      query: {},
      requestHeaders: [],
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Configuration: { FunctionName: 'f', Runtime: 'nodejs99.x', Extra: true } }),
    };
    expect(problems(exchange).sort()).toEqual([
      'Configuration.Extra: member not in the model',
      expect.stringMatching(/^Configuration\.Runtime: "nodejs99\.x" is not a Runtime value/),
    ]);
  });
});
