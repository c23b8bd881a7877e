import { subscribe } from 'node:diagnostics_channel';

/**
 * When a request's headers actually left for the server. A busy event loop (cleaning a big page
 * in the same process) can hold a request back long after its turn was granted; a caller that
 * knows the real send time can charge the delay to the host's budget, so the next request does
 * not follow too closely.
 *
 * undici publishes `undici:request:create` synchronously inside `request()`, then
 * `undici:client:sendHeaders` when the headers are written to the socket.
 */
const pending = new WeakMap<object, (sentAt: number) => void>();
let armed: ((sentAt: number) => void) | null = null;
let subscribed = false;

function ensureSubscribed() {
  if (subscribed) return;
  subscribed = true;
  subscribe('undici:request:create', (message) => {
    if (!armed) return;
    pending.set((message as { request: object }).request, armed);
    armed = null;
  });
  subscribe('undici:client:sendHeaders', (message) => {
    const request = (message as { request: object }).request;
    const onSent = pending.get(request);
    if (!onSent) return;
    pending.delete(request);
    onSent(Date.now());
  });
}

/** Runs `start` (which must create its undici request synchronously) with `onSent` attached to that request. */
export function withSendTime<T>(onSent: ((sentAt: number) => void) | undefined, start: () => T): T {
  if (!onSent) return start();
  ensureSubscribed();
  armed = onSent;
  try {
    return start();
  } finally {
    armed = null;
  }
}
