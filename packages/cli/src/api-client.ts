/** The API the CLI talks to: the embedded PGlite index can be open in one process only. */
export const apiUrl = () => (process.env.SLUICE_API_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

/**
 * Credentials for the API's writes, from the environment: `SLUICE_API_TOKEN` as a bearer token,
 * else `DASHBOARD_USER` and `DASHBOARD_PASSWORD` as basic auth; none when neither is set.
 */
export function apiAuthorization(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.SLUICE_API_TOKEN) return { authorization: `Bearer ${env.SLUICE_API_TOKEN}` };
  if (env.DASHBOARD_USER && env.DASHBOARD_PASSWORD) {
    const pair = Buffer.from(`${env.DASHBOARD_USER}:${env.DASHBOARD_PASSWORD}`).toString('base64');
    return { authorization: `Basic ${pair}` };
  }
  return {};
}

const READS = new Set(['GET', 'HEAD']);

/** Calls the API; throws with the API's own error message on a non-2xx answer. */
export async function callApi(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl()}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': contentType }),
        ...(READS.has(method.toUpperCase()) ? {} : apiAuthorization()),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new Error(
      `cannot reach the Sluice API at ${apiUrl()} (is \`sluice start\` running?): ${(error as Error).message}`,
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
    throw new Error(`${method} ${path}: ${response.status} ${message}`);
  }
  return response;
}
