import { type HttpAnswer, httpRequest } from './http-request';
import { readInstance } from './instance';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** The API the CLI talks to, and how it was found (said in every message about it). */
export interface ApiTarget {
  url: string;
  /** `SLUICE_API_URL`, `the instance running on .data (PID n)`, or `the default`. */
  via: string;
}

/**
 * SLUICE_API_URL, else the instance `sluice start` recorded in the data directory, else the
 * default address. The embedded PGlite index can be open in one process only, so every
 * command goes through the API.
 */
export function locateApi(env: NodeJS.ProcessEnv = process.env): ApiTarget {
  if (env.SLUICE_API_URL) return { url: env.SLUICE_API_URL.replace(/\/$/, ''), via: 'SLUICE_API_URL' };
  const dataDir = env.SLUICE_DATA_DIR || '.data';
  const running = readInstance(dataDir);
  if (running?.url)
    return { url: running.url, via: `the instance running on ${dataDir} (PID ${running.pid})` };
  return { url: DEFAULT_API_URL, via: 'the default; set SLUICE_API_URL to choose' };
}

/** SLUICE_API_TOKEN as a bearer token, else DASHBOARD_USER and DASHBOARD_PASSWORD as basic auth. */
export function credentialHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.SLUICE_API_TOKEN) return { authorization: `Bearer ${env.SLUICE_API_TOKEN}` };
  if (env.DASHBOARD_USER && env.DASHBOARD_PASSWORD) {
    const pair = Buffer.from(`${env.DASHBOARD_USER}:${env.DASHBOARD_PASSWORD}`).toString('base64');
    return { authorization: `Basic ${pair}` };
  }
  return {};
}

let located: ApiTarget | undefined;
/** Found once per run. */
export const apiTarget = () => {
  located ??= locateApi();
  return located;
};
export const apiUrl = () => apiTarget().url;

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Calls the API; throws with the API's own error message on a non-2xx answer. */
export async function callApi(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  options: { timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const target = apiTarget();
  let response: HttpAnswer;
  try {
    response = await httpRequest(`${target.url}${path}`, {
      method,
      headers: {
        ...credentialHeaders(),
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      timeoutMs: options.timeoutMs ?? 60_000,
    });
  } catch (error) {
    const cause = (error as Error).message;
    throw new Error(
      `cannot reach the Sluice API at ${target.url} (from ${target.via}; is \`sluice start\` running?): ${cause}`,
    );
  }
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // not JSON: print as is
    }
    const hint =
      response.status === 401 ? ' (set SLUICE_API_TOKEN, or DASHBOARD_USER and DASHBOARD_PASSWORD)' : '';
    const retryAfter = Number(response.header('retry-after'));
    throw new ApiError(
      `${method} ${path}: ${response.status} ${message}${hint} [${target.url}, from ${target.via}]`,
      response.status,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
    );
  }
  return response;
}
