import { documentIdForContent, enqueueFetch } from '@sluice/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postDocument,
  type Servers,
  type Stack,
  startServers,
  startStack,
  waitForDocuments,
} from '../support/stack';

const CAP = 256 * 1024;
const GOOD = (n: number) =>
  `<html><body><article><h1>Council votes on harbour budget ${n}</h1>` +
  `<p>The city council voted on Monday to approve a budget of ${n} million euros for repairs to the harbour walls, after a debate that lasted most of the afternoon.</p>` +
  `<p>Councillors from the opposition said the money should have been spent on housing, but the motion passed by a clear majority of the members present.</p>` +
  '</article></body></html>';

describe('bad input fails its own job with a clear reason; everything else flows on', () => {
  let servers: Servers;
  let stack: Stack;
  beforeAll(async () => {
    servers = await startServers();
    stack = await startStack(servers, { FETCH_MAX_BYTES: String(CAP) });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await servers?.stop();
  });

  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(4096, 7),
  ]);
  const invalidUtf8 = Buffer.from(
    Array.from({ length: 3000 }, (_, i) => [0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xfe, 0xff][i % 8] as number),
  );
  const cases: { name: string; body: Record<string, unknown>; reason: RegExp }[] = [
    { name: 'empty body', body: { text: ' \n\t \n' }, reason: /empty/i },
    { name: 'binary bytes', body: { base64: png.toString('base64') }, reason: /binary/i },
    {
      name: 'body over the size cap',
      body: { text: 'A sentence about the harbour budget. '.repeat(Math.ceil((CAP * 1.5) / 37)) },
      reason: /cap|too large|over/i,
    },
    {
      name: 'invalid UTF-8',
      body: { base64: invalidUtf8.toString('base64'), contentType: 'text/plain; charset=utf-8' },
      reason: /utf-8|encoding|binary|decode/i,
    },
    {
      name: 'deeply nested HTML',
      body: { html: `<html><body>${'<div>'.repeat(40_000)}deep` },
      reason: /nest|deep/i,
    },
    { name: 'truncated HTML', body: { html: '<html><head><title>Bre' }, reason: /content|empty/i },
  ];

  it('fails each bad document with its reason in GET /documents/:id and the job, and indexes the good ones', async () => {
    const bad = await Promise.all(cases.map((testCase) => postDocument(stack.api.url, testCase.body)));
    const good = await Promise.all([1, 2, 3].map((n) => postDocument(stack.api.url, { html: GOOD(n) })));
    const views = await waitForDocuments(stack.api.url, [...bad, ...good], 60_000);
    cases.forEach((testCase, index) => {
      const view = views[index];
      expect(view?.status, testCase.name).toBe('failed');
      expect(view?.failedReason, testCase.name).toMatch(testCase.reason);
    });
    for (const view of views.slice(cases.length)) expect(view.status).toBe('indexed');
    // Bull Board shows the job's failedReason: the same text.
    const job = await stack.runtime.queues.fetch.getJob(bad[1] as string);
    expect(job?.failedReason).toMatch(/binary/i);
    expect(job?.attemptsMade).toBe(1); // permanent: not retried
    // GET /documents/:id links the failed job's page in Bull Board, and the board's API has it.
    const link = views[1]?.dashboard?.fetch;
    expect(link).toBe(`/queues/queue/fetch/${bad[1]}`);
    expect((await fetch(`${stack.api.url}${link}`)).status).toBe(200);
    const boardJob = (await (await fetch(`${stack.api.url}/queues/api/queues/fetch/${bad[1]}`)).json()) as {
      job?: { failedReason?: string };
    };
    expect(boardJob.job?.failedReason).toMatch(/binary/i);
  }, 90_000);

  it('fails a payload that breaks its schema, without retries, and keeps the worker running', async () => {
    const id = documentIdForContent('schema-breaking payload');
    await stack.runtime.queues.fetch.add(
      'fetch-document',
      { documentId: id, url: 'not a url', enqueuedAt: 'yesterday' },
      { jobId: id, attempts: 3 },
    );
    const [view] = await waitForDocuments(stack.api.url, [id], 30_000);
    expect(view?.status).toBe('failed');
    expect(view?.failedReason).toMatch(/invalid fetch-document payload/);
    expect(view?.failedReason).toMatch(/url/);
    const after = await postDocument(stack.api.url, { html: GOOD(4) });
    expect((await waitForDocuments(stack.api.url, [after]))[0]?.status).toBe('indexed');
  });

  it('refuses a malformed request at the API with 400', async () => {
    const response = await fetch(`${stack.api.url}/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'nothing else' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/url|html|text/);
  });

  it('validates payloads before they reach Redis', async () => {
    await expect(
      enqueueFetch(stack.runtime.queues, {
        documentId: 'short',
        enqueuedAt: new Date().toISOString(),
      } as never),
    ).rejects.toThrow(/document id/);
  });
});
