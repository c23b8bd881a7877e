import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface LocalServer {
  origin: string;
  port: number;
  /** Every request: time, Host header, path. */
  log: { at: number; host: string; path: string }[];
  close(): Promise<void>;
}

/** A loopback HTTP server for tests and benchmarks; `handle` answers every request. */
export async function startLocalServer(handle: Handler, host = '127.0.0.1'): Promise<LocalServer> {
  const log: LocalServer['log'] = [];
  const server = createServer((request, response) => {
    log.push({ at: Date.now(), host: request.headers.host ?? '', path: request.url ?? '/' });
    handle(request, response);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Routes by path (query ignored); unknown paths answer 404. */
export function routes(table: Record<string, Handler>): Handler {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const handler = table[path];
    if (handler) handler(request, response);
    else response.writeHead(404).end('not found');
  };
}
