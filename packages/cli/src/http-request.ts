import type { IncomingMessage } from 'node:http';

/** The parts of an HTTP answer the CLI reads. */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  header(name: string): string | undefined;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/**
 * One HTTP request with node:http (https loaded only for https URLs). The CLI uses this rather
 * than the global fetch, whose first use costs Node 20 about 300 ms of start-up.
 */
export async function httpRequest(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpAnswer> {
  const target = new URL(url);
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method,
        headers: {
          ...options.headers,
          ...(options.body === undefined ? {} : { 'content-length': Buffer.byteLength(options.body) }),
        },
        timeout: options.timeoutMs,
      },
      resolve,
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(options.body);
  });
  const body = new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
  const status = response.statusCode ?? 0;
  return {
    status,
    ok: status >= 200 && status < 300,
    header: (name) => {
      const value = response.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    text: () => body,
    json: async () => JSON.parse(await body),
  };
}
