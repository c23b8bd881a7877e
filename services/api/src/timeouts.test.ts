import type { AddressInfo } from 'node:net';
import { slowClient } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './test-api';

let api: TestApi;
let port: number;
beforeAll(async () => {
  api = await startTestApi({
    API_HEADERS_TIMEOUT_MS: '600',
    API_REQUEST_TIMEOUT_MS: '1200',
    API_IDLE_TIMEOUT_MS: '5000',
  });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  port = (api.app.server.address() as AddressInfo).port;
}, 120_000);
afterAll(async () => {
  await api?.close();
});

const trickle = (head: string, text: string) => slowClient(port, head, text, 200);

describe('request timeouts', () => {
  it('cuts off clients that trickle their headers or their body, and keeps serving others', async () => {
    const slowHeaders = Array.from({ length: 6 }, () =>
      trickle('GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-Slow: aaaaaaaaaaaaaaaaaaaa\r\n'),
    );
    const slowBodies = Array.from({ length: 4 }, () =>
      trickle(
        'POST /documents HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n',
        'slow body ',
      ),
    );
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(healthy.status).toBe(200);
    const closed = await Promise.all([...slowHeaders, ...slowBodies].map((client) => client.closedAfterMs));
    console.log(`slow clients closed after ${closed.join(', ')} ms (headers 600 ms, request 1200 ms)`);
    // Deadlines are checked every 150 ms: each client is gone well within twice its deadline.
    for (const ms of closed.slice(0, 6)) expect(ms).toBeLessThan(1_500);
    for (const ms of closed.slice(6)) expect(ms).toBeLessThan(2_500);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
