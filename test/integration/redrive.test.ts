import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { main as sluice } from '@sluice/cli';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  getDocument,
  postDocument,
  type Servers,
  type Stack,
  startServers,
  startStack,
  waitForDocuments,
} from '../support/stack';

const ARTICLE = (
  headline: string,
) => `<!doctype html><html lang="en"><head><title>${headline}</title></head><body>
<article><h1>${headline}</h1>
<p>The regional water board said on Thursday that repairs to the northern sluice gates would take most of the summer.</p>
<p>Engineers found cracks in two of the six gates during an inspection after the spring floods, the board said in a statement.</p>
<p>Shipping on the canal will be limited to daylight hours until the work is finished, according to the harbour master.</p>
</article></body></html>`;

/** A site whose pages are broken (a truncated page the cleaner rejects) until they are fixed. */
async function startFlakySite() {
  const broken = new Set<string>();
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/robots.txt') return response.writeHead(404).end();
    hits.set(path, (hits.get(path) ?? 0) + 1);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(broken.has(path) ? '<html><head><title>Bre' : ARTICLE(`Sluice gates repaired ${path}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin, broken, hits };
}

describe('re-driving failed documents: the work really happens again', () => {
  let servers: Servers;
  let stack: Stack;
  let site: Awaited<ReturnType<typeof startFlakySite>>;
  const savedApiUrl = process.env.SLUICE_API_URL;

  beforeAll(async () => {
    servers = await startServers();
    site = await startFlakySite();
    stack = await startStack(servers, {
      FETCH_ALLOW_PRIVATE: '127.0.0.1',
      FETCH_ALLOWED_PORTS: new URL(site.origin).port,
    });
    process.env.SLUICE_API_URL = stack.api.url;
  }, 180_000);
  afterAll(async () => {
    process.env.SLUICE_API_URL = savedApiUrl;
    await stack?.stop();
    await servers?.stop();
    site?.server.close();
  });

  /** Submits broken pages and waits until each has failed. */
  async function failedDocuments(paths: string[]): Promise<string[]> {
    for (const path of paths) site.broken.add(path);
    const ids = await Promise.all(
      paths.map((path) => postDocument(stack.api.url, { url: `${site.origin}${path}` })),
    );
    const views = await waitForDocuments(stack.api.url, ids);
    expect(views.map((view) => view.status)).toEqual(paths.map(() => 'failed'));
    for (const path of paths) site.broken.delete(path);
    return ids;
  }

  const submit = (body: Record<string, unknown>) =>
    fetch(`${stack.api.url}/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('POST /documents with the same input runs a failed document again', async () => {
    const [id] = await failedDocuments(['/a']);
    const again = await submit({ url: `${site.origin}/a` });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ id, status: 'queued', rerun: true });
    const [view] = await waitForDocuments(stack.api.url, [id as string]);
    expect(view?.status).toBe('indexed');
    expect(view?.document?.title).toBe('Sluice gates repaired /a');
    expect(site.hits.get('/a')).toBe(2);

    // Indexed: the same input again does nothing, `force` runs it once more.
    const same = await submit({ url: `${site.origin}/a` });
    expect(await same.json()).toEqual({ id, status: 'done', rerun: false });
    const forced = await submit({ url: `${site.origin}/a`, force: true });
    expect(await forced.json()).toEqual({ id, status: 'queued', rerun: true });
    await vi.waitFor(() => expect(site.hits.get('/a')).toBe(3), { timeout: 30_000, interval: 100 });
    await waitForDocuments(stack.api.url, [id as string]);
  });

  it('POST /documents/:id/retry runs it again from the stage that failed; force re-runs a finished one', async () => {
    const [id] = await failedDocuments(['/b']);
    const notFailed = await fetch(`${stack.api.url}/documents/${'0'.repeat(32)}/retry`, { method: 'POST' });
    expect(notFailed.status).toBe(404);

    const retried = await fetch(`${stack.api.url}/documents/${id}/retry`, { method: 'POST' });
    expect([retried.status, await retried.json()]).toEqual([202, { id, status: 'queued', stage: 'fetch' }]);
    const [view] = await waitForDocuments(stack.api.url, [id as string]);
    expect(view?.status).toBe('indexed');
    expect(site.hits.get('/b')).toBe(2);

    const unforced = await fetch(`${stack.api.url}/documents/${id}/retry`, { method: 'POST' });
    expect(unforced.status).toBe(409);
    const forced = await fetch(`${stack.api.url}/documents/${id}/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ force: true }),
    });
    expect(forced.status).toBe(202);
    await vi.waitFor(() => expect(site.hits.get('/b')).toBe(3), { timeout: 30_000, interval: 100 });
  });

  it('`sluice retry ID` and `sluice retry --failed --since` re-drive through the API', async () => {
    const [one, two, three] = await failedDocuments(['/c', '/d', '/e']);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await sluice(['retry', one as string])).toBe(0);
      expect(log).toHaveBeenLastCalledWith(`${one}  queued again from fetch`);
      expect((await waitForDocuments(stack.api.url, [one as string]))[0]?.status).toBe('indexed');

      const future = await fetch(`${stack.api.url}/documents/retry-failed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ since: new Date(Date.now() + 60_000).toISOString() }),
      });
      expect(await future.json()).toEqual({ found: 0, requeued: [], notRequeued: [] });
      // Failed a minute ago or later: the other two, not the one just indexed.
      expect(await sluice(['retry', '--failed', '--since', '1h', '--json'])).toBe(0);
      const answer = JSON.parse(String(log.mock.lastCall?.[0]));
      expect(answer.found).toBe(2);
      expect([...answer.requeued].sort()).toEqual([two, three].sort());
      const views = await waitForDocuments(stack.api.url, [two as string, three as string]);
      expect(views.map((view) => view.status)).toEqual(['indexed', 'indexed']);
      expect(await sluice(['retry', '--failed'])).toBe(0);
      expect(log).toHaveBeenLastCalledWith('0 failed documents; 0 queued again');
    } finally {
      log.mockRestore();
    }
    expect((await getDocument(stack.api.url, one as string))?.document?.title).toBe(
      'Sluice gates repaired /c',
    );
  });
});
