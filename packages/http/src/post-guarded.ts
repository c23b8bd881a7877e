import { request } from 'undici';
import { FetchError, isPermanentStatus } from './fetch-error';
import { agentFor, checkUrl, DEFAULT_FETCH_POLICY, type FetchPolicy, findFetchError } from './fetch-page';
import { parseRetryAfter } from './retry-after';

export type PostPolicy = Pick<FetchPolicy, 'allowPrivateHosts' | 'allowedPorts' | 'signal'> & {
  timeoutMs: number;
};

export interface PostResult {
  status: number;
  durationMs: number;
}

/**
 * POSTs a body under the fetcher's guard: the same URL checks and connect-time address checks,
 * the whole exchange capped at `timeoutMs`. Redirects are not followed (a receiver that moved
 * must be re-subscribed). A non-2xx answer throws a FetchError carrying the status, permanent
 * for 4xx other than 408/425/429, with the receiver's Retry-After when it sent one.
 */
export async function postGuarded(
  url: string,
  body: string,
  headers: Record<string, string>,
  policy: PostPolicy,
): Promise<PostResult> {
  const target = checkUrl(url, policy);
  const dispatcher = agentFor(
    policy.allowPrivateHosts ?? [],
    DEFAULT_FETCH_POLICY.maxHeaderBytes,
    policy.timeoutMs,
  );
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  const signal = policy.signal ? AbortSignal.any([timeout, policy.signal]) : timeout;
  const started = performance.now();
  try {
    const response = await request(target, {
      method: 'POST',
      body,
      headers: { 'user-agent': DEFAULT_FETCH_POLICY.userAgent, ...headers },
      dispatcher,
      signal,
      headersTimeout: policy.timeoutMs,
      bodyTimeout: policy.timeoutMs,
    });
    // The answer's body is not used; read a little so the connection can be reused.
    await response.body.dump({ limit: 64 * 1024 }).catch(() => {});
    const status = response.statusCode;
    if (status >= 200 && status < 300) return { status, durationMs: performance.now() - started };
    const redirect = status >= 300 && status < 400;
    const retryAfterHeader = response.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(
      Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader,
    );
    throw new FetchError(
      'http-status',
      redirect
        ? `HTTP ${status} from ${target.href}: redirects are not followed`
        : `HTTP ${status} from ${target.href}`,
      {
        permanent: redirect || isPermanentStatus(status),
        status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
    );
  } catch (error) {
    const classified = classifyPostError(error, timeout, target.href, policy.timeoutMs);
    throw Object.assign(classified, { durationMs: performance.now() - started });
  }
}

function classifyPostError(error: unknown, timeout: AbortSignal, url: string, timeoutMs: number): FetchError {
  const found = findFetchError(error);
  if (found) return found;
  if (timeout.aborted) {
    return new FetchError('timeout', `POST to ${url} took longer than ${timeoutMs} ms`, {
      permanent: false,
      cause: error,
    });
  }
  const code = (error as { code?: string }).code ?? '';
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new FetchError('timeout', `POST to ${url} timed out (${code})`, {
      permanent: false,
      cause: error,
    });
  }
  return new FetchError('network', `POST to ${url} failed: ${code || (error as Error).message}`, {
    permanent: false,
    cause: error,
  });
}
