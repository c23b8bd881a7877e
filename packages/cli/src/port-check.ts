import { createServer } from 'node:net';

/**
 * Fails with a readable reason when HOST:PORT cannot be listened on, before anything else
 * starts: a taken port must end `sluice start`, not leave workers running without an API.
 */
export function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'is in use by another program'
          : error.code === 'EACCES'
            ? 'needs privileges this user lacks'
            : `cannot be listened on (${error.code ?? error.message})`;
      reject(new Error(`port ${port} on ${host} ${why} (set PORT to another port, e.g. PORT=${port + 1})`));
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}
