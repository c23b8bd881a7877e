import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from './fetch-error';
import { checkUrl, fetchPage } from './fetch-page';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let other: TestServer;
const trickleTimers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
  const brotliBomb = brotliCompressSync(Buffer.alloc(50 * 1024 * 1024), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 4 },
  });
  other = await startTestServer({ '/': (_q, r) => r.end('other host') }, '127.0.0.3');
  server = await startTestServer(
    {
      '/page': (_q, r) =>
        r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>hello</p>'),
      '/gzip': (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('compressed hello')),
      '/gzip-bomb': (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb),
      '/brotli-bomb': (_q, r) => r.writeHead(200, { 'content-encoding': 'br' }).end(brotliBomb),
      '/big-declared': (_q, r) => {
        r.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
        r.write('x');
      },
      '/huge-header': (_q, r) => r.writeHead(200, { 'x-junk': 'a'.repeat(64 * 1024) }).end('ok'),
      '/trickle': (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/html' });
        const timer = setInterval(() => r.write('x'), 200);
        trickleTimers.add(timer);
        r.on('close', () => clearInterval(timer));
      },
      '/loop-a': (_q, r) => r.writeHead(302, { location: '/loop-b' }).end(),
      '/loop-b': (_q, r) => r.writeHead(302, { location: '/loop-a' }).end(),
      '/chain': (q, r) => {
        const n = Number(new URL(q.url ?? '', 'http://x').searchParams.get('n') ?? 0);
        r.writeHead(302, { location: `/chain?n=${n + 1}` }).end();
      },
      '/moved': (_q, r) => r.writeHead(301, { location: '/page' }).end(),
      '/found': (_q, r) => r.writeHead(302, { location: '/page' }).end(),
      '/to-other-host': (_q, r) => r.writeHead(302, { location: `${other.origin}/` }).end(),
      '/to-mapped': (_q, r) =>
        r.writeHead(302, { location: `http://[::ffff:127.0.0.1]:${server.port}/page` }).end(),
      '/to-file': (_q, r) => r.writeHead(302, { location: 'file:///etc/passwd' }).end(),
      '/etag': (q, r) => {
        if (q.headers['if-none-match'] === '"v1"') return r.writeHead(304).end();
        r.writeHead(200, { etag: '"v1"' }).end('fresh');
      },
      '/gone': (_q, r) => r.writeHead(410).end(),
      '/missing': (_q, r) => r.writeHead(404).end(),
      '/busy': (_q, r) => r.writeHead(503, { 'retry-after': '120' }).end(),
      '/limited': (_q, r) => r.writeHead(429, { 'retry-after': '7' }).end(),
    },
    '127.0.0.2',
  );
});

afterAll(async () => {
  for (const timer of trickleTimers) clearInterval(timer);
  await server?.close();
  await other?.close();
});

const allow = () => ({ allowPrivateHosts: ['127.0.0.2'], allowedPorts: [server.port, other.port] });

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FetchError);
    return error as FetchError;
  }
  throw new Error('expected the fetch to fail');
}

describe('fetchPage', () => {
  it('fetches an allowlisted loopback page', async () => {
    const page = await fetchPage(`${server.origin}/page`, allow());
    expect(page.status).toBe(200);
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(Buffer.from(page.body).toString()).toBe('<p>hello</p>');
    expect(page.notModified).toBe(false);
    expect(server.requests.at(-1)?.headers['user-agent']).toMatch(/Sluice/);
  });

  it('reports when the request actually left, even when the event loop held it back', async () => {
    const sent: number[] = [];
    const before = Date.now();
    const fetching = fetchPage(`${server.origin}/page`, { ...allow(), onRequestSent: (at) => sent.push(at) });
    // A long synchronous task right after the call: the request cannot leave before it ends.
    const busyUntil = Date.now() + 150;
    while (Date.now() < busyUntil) {
      // busy
    }
    await fetching;
    expect(sent).toHaveLength(1);
    expect(sent[0]! - before).toBeGreaterThanOrEqual(150);
  });

  it('decodes gzip', async () => {
    const page = await fetchPage(`${server.origin}/gzip`, allow());
    expect(Buffer.from(page.body).toString()).toBe('compressed hello');
  });

  it.each(['/gzip-bomb', '/brotli-bomb'])('stops a decompression bomb at the cap (%s)', async (path) => {
    const started = Date.now();
    const error = await failure(fetchPage(`${server.origin}${path}`, { ...allow(), maxBytes: 1024 * 1024 }));
    expect(error.code).toBe('body-too-large');
    expect(error.permanent).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a declared body over the cap without reading it', async () => {
    const error = await failure(fetchPage(`${server.origin}/big-declared`, { ...allow(), maxBytes: 1024 }));
    expect(error.code).toBe('body-too-large');
  });

  it('refuses oversized headers', async () => {
    const error = await failure(
      fetchPage(`${server.origin}/huge-header`, { ...allow(), maxHeaderBytes: 8192 }),
    );
    expect(error.code).toBe('headers-too-large');
  });

  it('cuts off a server that trickles bytes', async () => {
    const started = Date.now();
    const error = await failure(fetchPage(`${server.origin}/trickle`, { ...allow(), timeoutMs: 800 }));
    expect(error.code).toBe('timeout');
    expect(error.permanent).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('detects redirect loops and caps redirect chains', async () => {
    expect((await failure(fetchPage(`${server.origin}/loop-a`, allow()))).code).toBe('redirect-loop');
    const chain = await failure(fetchPage(`${server.origin}/chain`, { ...allow(), maxRedirects: 3 }));
    expect(chain.code).toBe('too-many-redirects');
  });

  it('reports permanent redirects only when every hop is permanent', async () => {
    const moved = await fetchPage(`${server.origin}/moved`, allow());
    expect(moved.finalUrl).toBe(`${server.origin}/page`);
    expect(moved.redirects).toEqual([`${server.origin}/page`]);
    expect(moved.permanentRedirect).toBe(`${server.origin}/page`);
    const found = await fetchPage(`${server.origin}/found`, allow());
    expect(found.permanentRedirect).toBeNull();
  });

  it('checks every redirect hop against the address rules', async () => {
    expect((await failure(fetchPage(`${server.origin}/to-other-host`, allow()))).code).toBe(
      'blocked-address',
    );
    expect((await failure(fetchPage(`${server.origin}/to-mapped`, allow()))).code).toBe('blocked-address');
    expect((await failure(fetchPage(`${server.origin}/to-file`, allow()))).code).toBe('blocked-scheme');
  });

  it('answers a matching conditional request as not modified', async () => {
    const first = await fetchPage(`${server.origin}/etag`, allow());
    expect(first.headers.etag).toBe('"v1"');
    const second = await fetchPage(`${server.origin}/etag`, {
      ...allow(),
      headers: { 'If-None-Match': '"v1"' },
    });
    expect(second.notModified).toBe(true);
    expect(second.status).toBe(304);
    expect(second.body.length).toBe(0);
  });

  it('classifies HTTP errors and surfaces Retry-After', async () => {
    const gone = await failure(fetchPage(`${server.origin}/gone`, allow()));
    expect([gone.status, gone.permanent]).toEqual([410, true]);
    const missing = await failure(fetchPage(`${server.origin}/missing`, allow()));
    expect([missing.status, missing.permanent]).toEqual([404, true]);
    const busy = await failure(fetchPage(`${server.origin}/busy`, allow()));
    expect([busy.status, busy.permanent, busy.retryAfterMs]).toEqual([503, false, 120_000]);
    const limited = await failure(fetchPage(`${server.origin}/limited`, allow()));
    expect([limited.status, limited.permanent, limited.retryAfterMs]).toEqual([429, false, 7000]);
  });
});

describe('fetchPage address safety', () => {
  const ports = () => ({ allowedPorts: [server.port] });

  it.each([
    '127.0.0.2',
    '127.1',
    '0x7f000002',
    '2130706434',
    '0177.0.0.2',
    '[::ffff:127.0.0.2]',
    '[::1]',
    '0.0.0.0',
  ])('refuses the loopback literal %s', async (host) => {
    const error = await failure(fetchPage(`http://${host}:${server.port}/page`, ports()));
    expect(error.code).toBe('blocked-address');
    expect(error.permanent).toBe(true);
  });

  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.1',
    '[fe80::1]',
    '[fc00::1]',
  ])('refuses the non-public address %s before connecting', async (host) => {
    const error = await failure(fetchPage(`http://${host}/`, { timeoutMs: 2000 }));
    expect(error.code).toBe('blocked-address');
  });

  it('refuses a name that resolves to loopback, at connect time', async () => {
    const error = await failure(fetchPage(`http://localhost:${server.port}/page`, ports()));
    expect(error.code).toBe('blocked-address');
    expect(server.requests.some((request) => request.headers.host === `localhost:${server.port}`)).toBe(
      false,
    );
  });

  it('allows a name when the hostname itself is allowlisted', async () => {
    const page = await fetchPage(`http://localhost:${server.port}/page`, {
      ...ports(),
      allowPrivateHosts: ['localhost'],
    }).catch((error: FetchError) => error);
    // localhost may resolve to ::1 first, where nothing listens; either way it was not blocked.
    if (page instanceof FetchError) expect(page.code).not.toBe('blocked-address');
    else expect(page.status).toBe(200);
  });

  it('refuses other schemes and ports', async () => {
    expect((await failure(fetchPage('file:///etc/passwd'))).code).toBe('blocked-scheme');
    expect((await failure(fetchPage('ftp://example.com/'))).code).toBe('blocked-scheme');
    const port = await failure(fetchPage(`${server.origin}/page`, { allowPrivateHosts: ['127.0.0.2'] }));
    expect(port.code).toBe('blocked-port');
  });
});

describe('allowlist entries limited to a port', () => {
  it("open the entry's address on that port and no other, 80 and 443 included", async () => {
    const page = await fetchPage(`${server.origin}/page`, {
      allowPrivateHosts: [`127.0.0.2:${server.port}`],
      allowedPorts: [server.port, other.port],
    });
    expect(page.status).toBe(200);
    const policy = { allowPrivateHosts: ['127.0.0.1:3999'], allowedPorts: [3999] };
    expect(checkUrl('http://127.0.0.1:3999/feed.xml', policy).port).toBe('3999');
    for (const url of ['http://127.0.0.1/', 'https://127.0.0.1/', 'http://127.0.0.2:3999/']) {
      expect(() => checkUrl(url, policy)).toThrow(/not a public address \(set FETCH_ALLOW_PRIVATE\)/);
    }
  });

  it('refuse a redirect to an allowlisted address on a port its entry does not name', async () => {
    const before = other.requests.length;
    const error = await failure(
      fetchPage(`${server.origin}/to-other-host`, {
        allowPrivateHosts: [`127.0.0.2:${server.port}`, `127.0.0.3:${server.port}`],
        allowedPorts: [server.port, other.port],
      }),
    );
    expect(error.code).toBe('blocked-address');
    expect(other.requests).toHaveLength(before);
  });
});
