import { connect } from 'node:net';

export interface SlowClient {
  /** Milliseconds from connecting until the server hung up. */
  closedAfterMs: Promise<number>;
}

/**
 * A client that sends `head` at once, then one character of `trickle` every `everyMs`: what a
 * slow-loris attack looks like. Resolves when the server closes the connection.
 */
export function slowClient(port: number, head: string, trickle: string, everyMs: number): SlowClient {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let timer: NodeJS.Timeout | undefined;
  const closedAfterMs = new Promise<number>((resolve) => {
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    });
    socket.on('error', () => {});
  });
  // Read the server's 408: a paused socket would see the close only on its next write.
  socket.resume();
  socket.on('connect', () => {
    socket.write(head);
    let index = 0;
    timer = setInterval(() => {
      if (socket.writable) socket.write(trickle[index++ % trickle.length] as string);
    }, everyMs);
  });
  return { closedAfterMs };
}
