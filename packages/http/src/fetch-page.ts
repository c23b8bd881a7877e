import { request } from 'undici';
import { createAddressGuard, parseAddress } from './address-guard';
import { FetchError, isPermanentStatus } from './fetch-error';
import { createGuardedAgent } from './guarded-agent';
import { readBody } from './read-body';
import { parseRetryAfter } from './retry-after';
import { withSendTime } from './send-time';

export interface FetchPolicy {
  /** Total time for the whole fetch, redirects and body included. */
  timeoutMs?: number;
  /** Largest body accepted, counted after decompression. */
  maxBytes?: number;
  maxRedirects?: number;
  maxHeaderBytes?: number;
  userAgent?: string;
  /** Hostnames (`host`, `.suffix`), IPs or CIDRs that may be reached although not public. */
  allowPrivateHosts?: string[];
  /** Ports allowed besides the scheme's default. */
  allowedPorts?: number[];
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Called with the time the first request's headers were written to the socket. */
  onRequestSent?: (sentAt: number) => void;
}

export interface FetchedPage {
  url: string;
  finalUrl: string;
  status: number;
  /** Response headers, names lower-cased, repeated headers joined with `, `. */
  headers: Record<string, string>;
  contentType: string | null;
  body: Uint8Array;
  /** Every URL redirected to, in order. */
  redirects: string[];
  /** The final URL when every hop was permanent (301/308): the address to store instead. */
  permanentRedirect: string | null;
  fetchedAt: string;
  /** True on 304 (conditional request whose validators matched); body is empty. */
  notModified: boolean;
}

export const DEFAULT_FETCH_POLICY = {
  timeoutMs: 30_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  maxHeaderBytes: 16 * 1024,
  userAgent: 'Sluice/0.1 (+https://github.com/sluice-news/sluice)',
} as const;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

// One agent per guard configuration, so connections are pooled across fetches.
const agents = new Map<string, ReturnType<typeof createGuardedAgent>>();
export function agentFor(allowlist: readonly string[], maxHeaderBytes: number, timeoutMs: number) {
  const key = JSON.stringify([allowlist, maxHeaderBytes, timeoutMs]);
  let agent = agents.get(key);
  if (!agent) {
    const guard = createAddressGuard(allowlist);
    agent = createGuardedAgent({ guard, maxHeaderBytes, connectTimeoutMs: Math.min(timeoutMs, 10_000) });
    agents.set(key, agent);
  }
  return agent;
}

/**
 * Refuses a URL before any connection: scheme other than http(s), a port that is neither the
 * default nor configured, or an IP literal (in any notation the URL parser accepts) outside the
 * public ranges. Hostnames are checked again at connect time on every resolved address.
 */
export function checkUrl(
  url: string,
  policy: Pick<FetchPolicy, 'allowPrivateHosts' | 'allowedPorts'> = {},
): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FetchError('invalid-url', `not a valid URL: ${url}`, { permanent: true });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FetchError('blocked-scheme', `only http and https are fetched, not ${parsed.protocol}`, {
      permanent: true,
    });
  }
  if (parsed.username || parsed.password) {
    throw new FetchError('invalid-url', 'URLs with credentials are not fetched', { permanent: true });
  }
  if (parsed.port && !(policy.allowedPorts ?? []).includes(Number(parsed.port))) {
    throw new FetchError('blocked-port', `port ${parsed.port} is not allowed (set FETCH_ALLOWED_PORTS)`, {
      permanent: true,
    });
  }
  const guard = createAddressGuard(policy.allowPrivateHosts);
  const literal = parseAddress(parsed.hostname);
  const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
  if (literal && isIpLiteral(parsed.hostname) && !guard.isTrustedHost(parsed.hostname, port)) {
    if (!guard.isAllowedAddress(parsed.hostname, port)) {
      throw new FetchError(
        'blocked-address',
        `refusing ${parsed.hostname}: not a public address (set FETCH_ALLOW_PRIVATE)`,
        {
          permanent: true,
        },
      );
    }
  }
  return parsed;
}

// The WHATWG parser already rewrote 127.1, 0x7f000001 and 2130706433 to dotted quads.
const isIpLiteral = (hostname: string) => hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(hostname);

/**
 * Fetches one page under the policy: every hop is checked (scheme, port, address at connect
 * time), redirects are followed here with loop detection, the total time and the decoded body
 * size are capped. Non-2xx answers (other than 304) throw a FetchError.
 */
export async function fetchPage(url: string, policy: FetchPolicy = {}): Promise<FetchedPage> {
  const timeoutMs = policy.timeoutMs ?? DEFAULT_FETCH_POLICY.timeoutMs;
  const maxBytes = policy.maxBytes ?? DEFAULT_FETCH_POLICY.maxBytes;
  const maxRedirects = policy.maxRedirects ?? DEFAULT_FETCH_POLICY.maxRedirects;
  const maxHeaderBytes = policy.maxHeaderBytes ?? DEFAULT_FETCH_POLICY.maxHeaderBytes;
  const dispatcher = agentFor(policy.allowPrivateHosts ?? [], maxHeaderBytes, timeoutMs);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = policy.signal ? AbortSignal.any([timeout, policy.signal]) : timeout;

  const baseHeaders: Record<string, string> = {
    'user-agent': policy.userAgent ?? DEFAULT_FETCH_POLICY.userAgent,
    accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'accept-encoding': 'gzip, deflate, br',
  };
  for (const [name, value] of Object.entries(policy.headers ?? {})) baseHeaders[name.toLowerCase()] = value;

  const redirects: string[] = [];
  const seen = new Set<string>();
  let allPermanent = true;
  let current = checkUrl(url, policy);
  let headers = baseHeaders;

  try {
    for (;;) {
      seen.add(current.href);
      const response = await withSendTime(redirects.length === 0 ? policy.onRequestSent : undefined, () =>
        request(current, {
          method: 'GET',
          headers,
          dispatcher,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        }),
      );
      const responseHeaders = flattenHeaders(response.headers);
      const status = response.statusCode;

      if (REDIRECT_STATUSES.has(status) && responseHeaders.location) {
        await response.body.dump({ limit: 64 * 1024 }).catch(() => {});
        const next = resolveLocation(responseHeaders.location, current);
        if (seen.has(next)) {
          throw new FetchError('redirect-loop', `redirect loop at ${next}`, { permanent: true });
        }
        if (redirects.length >= maxRedirects) {
          throw new FetchError('too-many-redirects', `more than ${maxRedirects} redirects`, {
            permanent: true,
          });
        }
        if (status !== 301 && status !== 308) allPermanent = false;
        const nextUrl = checkUrl(next, policy);
        if (nextUrl.origin !== current.origin) headers = withoutCredentials(headers);
        redirects.push(nextUrl.href);
        current = nextUrl;
        continue;
      }

      if (status === 304) {
        await response.body.dump().catch(() => {});
        return page(url, current, status, responseHeaders, new Uint8Array(), redirects, allPermanent, true);
      }

      if (status < 200 || status >= 300) {
        await response.body.dump({ limit: 64 * 1024 }).catch(() => {});
        const retryAfterMs = parseRetryAfter(responseHeaders['retry-after']);
        throw new FetchError('http-status', `HTTP ${status} from ${current.href}`, {
          permanent: isPermanentStatus(status),
          status,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
      }

      const declared = Number(responseHeaders['content-length']);
      if (!responseHeaders['content-encoding'] && Number.isFinite(declared) && declared > maxBytes) {
        response.body.destroy();
        throw new FetchError(
          'body-too-large',
          `declared body of ${declared} bytes exceeds ${maxBytes} (set FETCH_MAX_BYTES)`,
          {
            permanent: true,
          },
        );
      }
      const body = await readBody(response.body, responseHeaders['content-encoding'], maxBytes, signal);
      return page(url, current, status, responseHeaders, body, redirects, allPermanent, false);
    }
  } catch (error) {
    throw classifyError(error, timeout, current.href, timeoutMs);
  }
}

function page(
  url: string,
  final: URL,
  status: number,
  headers: Record<string, string>,
  body: Uint8Array,
  redirects: string[],
  allPermanent: boolean,
  notModified: boolean,
): FetchedPage {
  return {
    url,
    finalUrl: final.href,
    status,
    headers,
    contentType: headers['content-type'] ?? null,
    body,
    redirects,
    permanentRedirect: redirects.length > 0 && allPermanent ? final.href : null,
    fetchedAt: new Date().toISOString(),
    notModified,
  };
}

function resolveLocation(location: string, base: URL): string {
  try {
    const next = new URL(location, base);
    next.hash = '';
    return next.href;
  } catch {
    throw new FetchError('invalid-redirect', `invalid redirect location: ${location}`, { permanent: true });
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name)));
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** Maps undici, socket and abort errors to FetchError codes a job runner can act on. */
function classifyError(error: unknown, timeout: AbortSignal, url: string, timeoutMs: number): FetchError {
  const found = findFetchError(error);
  if (found) return found;
  if (timeout.aborted) {
    return new FetchError(
      'timeout',
      `fetch of ${url} took longer than ${timeoutMs} ms (set FETCH_TIMEOUT_MS)`,
      {
        permanent: false,
        cause: error,
      },
    );
  }
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return new FetchError('headers-too-large', `response headers of ${url} exceed the cap`, {
      permanent: true,
      cause: error,
    });
  }
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new FetchError('timeout', `fetch of ${url} timed out (${code})`, {
      permanent: false,
      cause: error,
    });
  }
  if ((error as Error).name === 'AbortError' || code === 'UND_ERR_ABORTED') {
    return new FetchError('aborted', `fetch of ${url} was aborted`, { permanent: false, cause: error });
  }
  return new FetchError('network', `fetch of ${url} failed: ${code || message}`, {
    permanent: false,
    cause: error,
  });
}

export function findFetchError(error: unknown): FetchError | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof FetchError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
