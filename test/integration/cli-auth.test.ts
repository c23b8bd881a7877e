import { main as sluice } from '@sluice/cli';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Servers, type Stack, startServers, startStack } from '../support/stack';

const CREDENTIALS = {
  DASHBOARD_USER: 'ops',
  DASHBOARD_PASSWORD: 'long-secret-pw',
  SLUICE_API_TOKEN: 'a-token-of-32-characters-or-more!',
};

describe('the sluice command sends the API credentials on writes', () => {
  let servers: Servers;
  let stack: Stack;
  const saved = { ...process.env };

  beforeAll(async () => {
    servers = await startServers();
    stack = await startStack(servers, CREDENTIALS);
  }, 180_000);
  afterAll(async () => {
    process.env = saved;
    await stack?.stop();
    await servers?.stop();
  });

  /** Runs `sluice retry --failed` with only the given variables; returns its exit code and output. */
  async function retryWith(env: Record<string, string>) {
    for (const name of Object.keys(CREDENTIALS)) delete process.env[name];
    Object.assign(process.env, { SLUICE_API_URL: stack.api.url }, env);
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line) => lines.push(String(line)));
    const error = vi.spyOn(console, 'error').mockImplementation((line) => lines.push(String(line)));
    try {
      return { code: await sluice(['retry', '--failed']), output: lines.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  it('is refused without credentials, and accepted with the token or the user and password', async () => {
    const refused = await retryWith({});
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('401 authentication required');

    const wrong = await retryWith({ SLUICE_API_TOKEN: 'not-the-token-at-all-no' });
    expect(wrong.code).toBe(1);

    for (const env of <Record<string, string>[]>[
      { SLUICE_API_TOKEN: CREDENTIALS.SLUICE_API_TOKEN },
      { DASHBOARD_USER: CREDENTIALS.DASHBOARD_USER, DASHBOARD_PASSWORD: CREDENTIALS.DASHBOARD_PASSWORD },
    ]) {
      const accepted = await retryWith(env);
      expect(accepted, JSON.stringify(Object.keys(env))).toEqual({
        code: 0,
        output: '0 failed documents; 0 queued again',
      });
    }
  });
});
