/**
 * Why a fetch did not produce a page. `permanent` tells a job runner not to retry: the same
 * request would be refused again (blocked address, 404, body over the cap...).
 */
export class FetchError extends Error {
  readonly code: string;
  readonly permanent: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    code: string,
    message: string,
    options: { permanent: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'FetchError';
    this.code = code;
    this.permanent = options.permanent;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** 4xx is the client's fault and will not change on retry, except timeouts and rate limiting. */
export function isPermanentStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return false;
  return status >= 400 && status < 500;
}
