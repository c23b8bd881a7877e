import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { main } from '@sluice/cli';
import { verifyWebhookSignature } from '@sluice/webhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  postDocument,
  type Servers,
  type Stack,
  startServers,
  startStack,
  waitForDocuments,
} from '../support/stack';

const ATTEMPTS = 6;
const TIMEOUT_MS = 700;

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  answered: number;
}

/** A loopback receiver; `answer` picks the status (and a delay) for the n-th request of a delivery. */
async function receiver(answer: (attempt: number) => { status: number; delayMs?: number }) {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const delivery = String(request.headers['sluice-delivery']);
      const attempt = (attempts.get(delivery) ?? 0) + 1;
      attempts.set(delivery, attempt);
      const { status, delayMs = 0 } = answer(attempt);
      const entry: Received = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answered: 0,
      };
      received.push(entry);
      setTimeout(() => {
        if (response.destroyed) return;
        entry.answered = status;
        response.writeHead(status).end('ok');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    /** Requests answered 2xx, per delivery id. */
    delivered: () => {
      const counts = new Map<string, number>();
      for (const entry of received)
        if (entry.answered >= 200 && entry.answered < 300) {
          const id = String(entry.headers['sluice-delivery']);
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      return counts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Receiver = Awaited<ReturnType<typeof receiver>>;

interface Delivery {
  id: string;
  event: string;
  subjectId: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  attemptLog: { status: number | null; error: string | null; durationMs: number }[];
}

const article = (title: string, body: string, more: string) =>
  `<html><body><article><h1>${title}</h1><p>${body}</p><p>${more}</p></article></body></html>`;

describe('webhooks, delivered from the indexer through a BullMQ queue to loopback receivers', () => {
  let servers: Servers;
  let stack: Stack;
  const receivers = {} as Record<
    'good' | 'flaky' | 'slow' | 'down' | 'gone' | 'stories' | 'filtered',
    Receiver
  >;
  const hooks = {} as Record<keyof typeof receivers, { id: string; secret: string }>;
  let documentIds: string[] = [];

  beforeAll(async () => {
    receivers.good = await receiver(() => ({ status: 200 }));
    receivers.filtered = await receiver(() => ({ status: 204 }));
    receivers.stories = await receiver(() => ({ status: 200 }));
    receivers.flaky = await receiver((attempt) => ({ status: attempt <= 3 ? 503 : 200 }));
    receivers.slow = await receiver((attempt) => ({
      status: 200,
      delayMs: attempt === 1 ? 3 * TIMEOUT_MS : 0,
    }));
    receivers.down = await receiver(() => ({ status: 500 }));
    receivers.gone = await receiver(() => ({ status: 410 }));
    Object.assign(process.env, {
      WEBHOOK_ALLOW_PRIVATE: '127.0.0.1',
      WEBHOOK_ALLOWED_PORTS: Object.values(receivers)
        .map((entry) => entry.port)
        .join(','),
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      WEBHOOK_ATTEMPTS: String(ATTEMPTS),
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '400',
    });
    servers = await startServers();
    stack = await startStack(servers);
    for (const name of Object.keys(receivers) as (keyof typeof receivers)[]) {
      const body = {
        url: receivers[name].url,
        events: name === 'stories' ? ['story.created', 'story.updated'] : ['document.indexed'],
        ...(name === 'filtered' ? { filter: { q: 'harbour' } } : {}),
      };
      const response = await fetch(`${stack.api.url}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      hooks[name] = (await response.json()) as { id: string; secret: string };
      expect(hooks[name].secret).toMatch(/^whsec_/);
    }
    documentIds = [
      await postDocument(stack.api.url, {
        html: article(
          'Harbour walls to be repaired',
          'The council approved repairs to the harbour walls on Monday, after storms cracked the stone in March.',
          'Engineers will start with the northern pier, where fishing boats moor in winter, and finish by autumn.',
        ),
      }),
      await postDocument(stack.api.url, {
        html: article(
          'Election turnout rises sharply',
          'Turnout in the regional election rose to a record this year, with young voters queueing before dawn.',
          'Pollsters had expected apathy; instead, several polling stations ran out of ballot papers by noon.',
        ),
      }),
    ];
    await waitForDocuments(stack.api.url, documentIds, 60_000);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await servers?.stop();
    await Promise.all(Object.values(receivers).map((entry) => entry.close()));
  });

  /** Polls a subscription's delivery log until `expected` deliveries are delivered or failed. */
  async function settled(
    name: keyof typeof receivers,
    expected: number,
    timeoutMs = 45_000,
  ): Promise<Delivery[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = (await (await fetch(`${stack.api.url}/webhooks/${hooks[name].id}`)).json()) as {
        deliveryLog: Delivery[];
      };
      const done = view.deliveryLog.filter(
        (entry) => entry.status === 'delivered' || entry.status === 'failed',
      );
      if (done.length >= expected && done.length === view.deliveryLog.length) return view.deliveryLog;
      if (Date.now() > deadline)
        throw new Error(`${name}: deliveries not settled: ${JSON.stringify(view.deliveryLog)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('delivers each indexed document once, signed with the subscription secret, the body loaded by the worker', async () => {
    const log = await settled('good', 2);
    expect(log.map((entry) => [entry.status, entry.attempts, entry.responseStatus])).toEqual([
      ['delivered', 1, 200],
      ['delivered', 1, 200],
    ]);
    expect(log.map((entry) => entry.subjectId).sort()).toEqual([...documentIds].sort());
    expect(receivers.good.received.length).toBe(2);
    for (const request of receivers.good.received) {
      const signature = String(request.headers['sluice-signature']);
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(signature, request.body, hooks.good.secret)).toBe(true);
      expect(verifyWebhookSignature(signature, request.body, hooks.flaky.secret)).toBe(false);
      expect(verifyWebhookSignature(signature, `${request.body} `, hooks.good.secret)).toBe(false);
      const payload = JSON.parse(request.body);
      expect(payload.event).toBe('document.indexed');
      expect(request.headers['sluice-event']).toBe('document.indexed');
      expect(request.headers['sluice-delivery']).toBe(payload.id);
      expect(documentIds).toContain(payload.data.id);
      expect(payload.data.text).toMatch(/harbour walls|regional election/);
    }
  });

  it('filters by search terms, and tells story subscribers about new stories', async () => {
    const filtered = await settled('filtered', 1);
    expect(filtered.length).toBe(1);
    expect(JSON.parse(receivers.filtered.received[0]!.body).data.title).toMatch(/Harbour/);
    // Each document's story: the first document of a story creates it (its id is the document's).
    const storyOf = await Promise.all(
      documentIds.map(async (id) => {
        const view = (await (await fetch(`${stack.api.url}/documents/${id}`)).json()) as {
          document: { storyId: string };
        };
        return view.document.storyId;
      }),
    );
    const created = storyOf.filter((storyId, index) => storyId === documentIds[index]);
    expect(created.length).toBeGreaterThan(0);
    const stories = await settled('stories', storyOf.length);
    expect(
      stories
        .filter((entry) => entry.event === 'story.created')
        .map((entry) => entry.subjectId)
        .sort(),
    ).toEqual([...new Set(created)].sort());
    expect(new Set(stories.map((entry) => entry.subjectId))).toEqual(new Set(storyOf));
    for (const request of receivers.stories.received) {
      const payload = JSON.parse(request.body);
      expect(storyOf).toContain(payload.data.id);
      expect(payload.data.documents.length).toBeGreaterThan(0);
    }
  });

  it('retries a receiver that fails for a while: delivered once, every attempt logged', async () => {
    const log = await settled('flaky', 2);
    for (const entry of log) {
      expect(entry.status).toBe('delivered');
      expect(entry.attempts).toBe(4);
      expect(entry.attemptLog.map((attempt) => attempt.status)).toEqual([503, 503, 503, 200]);
      expect(entry.attemptLog[0]!.error).toMatch(/HTTP 503/);
    }
    expect([...receivers.flaky.delivered().values()]).toEqual([1, 1]);
  });

  it('times out a slow receiver and retries it', async () => {
    const log = await settled('slow', 2);
    for (const entry of log) {
      expect(entry.status).toBe('delivered');
      expect(entry.attempts).toBe(2);
      expect(entry.attemptLog[0]!.error).toMatch(/longer than 700 ms|timed out/);
      expect(entry.attemptLog[1]!.status).toBe(200);
    }
    expect([...receivers.slow.delivered().values()]).toEqual([1, 1]);
  });

  it('gives up after the last attempt, and at once on a permanent refusal', async () => {
    const down = await settled('down', 2);
    for (const entry of down) {
      expect(entry.status).toBe('failed');
      expect(entry.attempts).toBe(ATTEMPTS);
      expect(entry.responseStatus).toBe(500);
    }
    const gone = await settled('gone', 2);
    for (const entry of gone)
      expect([entry.status, entry.attempts, entry.responseStatus]).toEqual(['failed', 1, 410]);
  });

  it('shows subscriptions and their delivery log from the command line', async () => {
    process.env.SLUICE_API_URL = stack.api.url;
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    try {
      expect(await main(['webhooks'])).toBe(0);
      expect(await main(['webhooks', 'show', hooks.flaky.id])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const [list, show] = printed;
    expect(list).toContain(receivers.good.url);
    expect(list).toContain('2 delivered');
    expect(show).toContain(hooks.flaky.id);
    expect(show).toMatch(/document\.indexed +[0-9a-f]{32} {2}delivered after 4 attempts {2}HTTP 200/);
  });

  it('refuses bad subscriptions with the setting that would allow them, lists and deletes', async () => {
    const post = (body: unknown) =>
      fetch(`${stack.api.url}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const privateAddress = await post({ url: 'http://10.1.2.3/hook', events: ['document.indexed'] });
    expect(privateAddress.status).toBe(400);
    expect(((await privateAddress.json()) as { error: string }).error).toContain('WEBHOOK_ALLOW_PRIVATE');
    const port = await post({ url: 'http://example.com:8731/hook', events: ['document.indexed'] });
    expect(((await port.json()) as { error: string }).error).toContain('WEBHOOK_ALLOWED_PORTS');
    const events = await post({ url: receivers.good.url, events: ['document.deleted'] });
    expect(events.status).toBe(400);
    const filter = await post({
      url: receivers.good.url,
      events: ['document.indexed'],
      filter: { lang: 'xx!' },
    });
    expect(filter.status).toBe(400);

    const list = (await (await fetch(`${stack.api.url}/webhooks`)).json()) as {
      webhooks: { id: string; secret?: string; deliveries: Record<string, number> }[];
    };
    expect(list.webhooks.length).toBe(Object.keys(receivers).length);
    expect(list.webhooks.every((hook) => hook.secret === undefined)).toBe(true);
    expect(list.webhooks.find((hook) => hook.id === hooks.flaky.id)?.deliveries).toEqual({ delivered: 2 });

    expect((await fetch(`${stack.api.url}/webhooks/${hooks.good.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await fetch(`${stack.api.url}/webhooks/${hooks.good.id}`)).status).toBe(404);
    expect((await fetch(`${stack.api.url}/webhooks/${hooks.good.id}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    // After the emitter's subscription list expires, a new document reaches the others only.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const third = await postDocument(stack.api.url, {
      html: article(
        'Harbour ferry timetable changes',
        'The harbour ferry will run every half hour from June, the operator said in a statement on Friday.',
        'Tickets bought under the old timetable stay valid, and season passes will be extended by a month.',
      ),
    });
    await waitForDocuments(stack.api.url, [third], 60_000);
    await settled('filtered', 2);
    expect(receivers.good.received.length).toBe(2);
  });
});
