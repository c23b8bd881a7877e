import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test-api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
}, 120_000);
afterAll(async () => {
  await api?.close();
});

const article =
  '<html><body><article><h1>Harbour budget</h1><p>The council voted.</p></article></body></html>';

/** A 4xx with a short reason and nothing internal in it. */
function expectShortRefusal(response: { statusCode: number; json(): { error?: string } }, status = 400) {
  expect(response.statusCode).toBe(status);
  const { error } = response.json();
  expect(error).toEqual(expect.any(String));
  expect(error?.length).toBeLessThan(200);
  expect(error).not.toMatch(/at .*\.(ts|js):\d+|SELECT|invalid byte sequence|ZodError/);
}

describe('hostile input gets a 4xx with a short reason', () => {
  it('refuses a NUL byte in a search query', async () => {
    const response = await api.app.inject({ url: '/search?q=a%00b' });
    expectShortRefusal(response);
    expect(response.json().error).toBe('query.q contains a NUL byte');
  });

  it('refuses NUL and unpaired surrogates in metadata fields of a JSON submission', async () => {
    const nul = await api.app.inject({
      method: 'POST',
      url: '/documents',
      payload: { html: article, source: 'Harbour\u0000News' },
    });
    expectShortRefusal(nul);
    expect(nul.json().error).toBe('body.source contains a NUL byte');
    const surrogate = await api.app.inject({
      method: 'POST',
      url: '/documents',
      headers: { 'content-type': 'application/json' },
      payload: '{"html":"<p>x</p>","source":"Harbour \\ud800 News"}',
    });
    expectShortRefusal(surrogate);
    expect(surrogate.json().error).toBe('body.source contains an unpaired UTF-16 surrogate');
  });

  it('cleans NUL and unpaired surrogates out of document content before it is queued', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/documents',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'Harbour\u0000 budget passes \ud800 after a long debate.' }),
    });
    expect(response.statusCode).toBe(202);
    const job = await api.queues.fetch.getJob(response.json().id);
    expect(job?.data.raw.body).toBe('Harbour budget passes \uFFFD after a long debate.');

    const raw = await api.app.inject({
      method: 'POST',
      url: '/documents?source=Harbour',
      headers: { 'content-type': 'text/plain' },
      payload: 'Raw text with a \u0000 NUL byte in it.',
    });
    expect(raw.statusCode).toBe(202);
    expect((await api.queues.fetch.getJob(raw.json().id))?.data.raw.body).toBe(
      'Raw text with a  NUL byte in it.',
    );
  });

  it('refuses an over-long source and a bad url on a raw-body POST', async () => {
    const longSource = await api.app.inject({
      method: 'POST',
      url: `/documents?source=${'s'.repeat(5_000)}`,
      headers: { 'content-type': 'text/html' },
      payload: article,
    });
    expectShortRefusal(longSource);
    expect(longSource.json().error).toBe('source is at most 200 characters');
    const badUrl = await api.app.inject({
      method: 'POST',
      url: '/documents?url=not-a-url',
      headers: { 'content-type': 'text/html' },
      payload: article,
    });
    expectShortRefusal(badUrl);
  });

  it('refuses empty ids on the feed and sitemap routes', async () => {
    for (const [method, url] of [
      ['GET', '/feeds/'],
      ['DELETE', '/feeds/'],
      ['POST', '/feeds//refresh'],
      ['GET', '/sitemaps/'],
      ['DELETE', '/sitemaps/'],
      ['POST', '/sitemaps//refresh'],
    ] as const) {
      const response = await api.app.inject({ method, url });
      expect([response.statusCode, response.json().error], `${method} ${url}`).toEqual([
        400,
        'id: give an id',
      ]);
    }
  });

  it('answers out-of-range dates and over-long path parameters with a short 4xx', async () => {
    const stories = await api.app.inject({ url: '/stories?since=99999-01-01' });
    expectShortRefusal(stories);
    const search = await api.app.inject({ url: '/search?q=x&from=99999-01-01' });
    expectShortRefusal(search);
    const longId = await api.app.inject({ url: `/feeds/${'x'.repeat(200)}` });
    expectShortRefusal(longId, 414);
    expect(longId.json()).toEqual({ error: 'a path parameter is too long' });
  });

  it('exports an empty OPML file when there are no feeds', async () => {
    const response = await api.app.inject({ url: '/feeds/export.opml' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<body/>');
  });

  it('answers malformed JSON with a short 400', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/documents',
      headers: { 'content-type': 'application/json' },
      payload: '{"html": ',
    });
    expectShortRefusal(response);
  });
});
