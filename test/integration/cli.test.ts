import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Servers, type Stack, startServers, startStack } from '../support/stack';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sluice = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/sluice.js'), ...args], {
    cwd: ROOT,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: 120_000,
  });

const PAGE = `<html><head><title>Lighthouse keepers return | Coast Weekly</title></head><body>
<nav><a href="/">Home</a><a href="/news">News</a></nav><article><h1>Lighthouse keepers return</h1>
<p>For the first time in forty years, keepers will live at the Skerra lighthouse this winter, the maritime trust said on Friday.</p>
<p>The trust said automated lamps had failed twice in storms last year, leaving ships without a light for several hours.</p>
</article><footer>Coast Weekly. All rights reserved.</footer></body></html>`;

describe('sluice extract --jsonl (offline)', () => {
  it('writes one line per input, in order, and reports bad lines without stopping', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
    const gz = join(dir, 'page.html.gz');
    writeFileSync(gz, gzipSync(Buffer.from(PAGE.replace('forty', 'fifty'), 'latin1')));
    const input = [
      JSON.stringify({ id: 'a', url: 'https://coast.example/lighthouse', html: PAGE }),
      'this is not json',
      JSON.stringify({ id: 'c', file: gz }),
      JSON.stringify({ id: 'd' }),
    ].join('\n');
    const result = sluice(['extract', '--jsonl'], { input });
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.id)).toEqual(['a', null, 'c', 'd']);
    expect(lines[0].title).toBe('Lighthouse keepers return');
    expect(lines[0].text).toContain('Skerra lighthouse');
    expect(lines[0].text).not.toContain('All rights reserved');
    expect(lines[0]).toHaveProperty('entities');
    expect(lines[1].error).toMatch(/JSON/);
    expect(lines[2].text).toContain('fifty years');
    expect(lines[3].error).toMatch(/html|text|file/);
  });
});

/** Async, because the workers run in this test's own process and must keep running meanwhile. */
function sluiceAsync(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'packages/cli/bin/sluice.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('sluice ingest --wait (through the running pipeline)', () => {
  let servers: Servers;
  let stack: Stack;
  beforeAll(async () => {
    servers = await startServers();
    stack = await startStack(servers);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await servers?.stop();
  });

  it('prints one line per input and exits non-zero when one fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-ingest-'));
    writeFileSync(join(dir, 'good.html'), PAGE);
    writeFileSync(join(dir, 'bad.bin'), Buffer.alloc(2048, 0));
    const result = await sluiceAsync(
      ['ingest', dir, '--wait', '--json', '--source', 'Coast Weekly', '--timeout', '60'],
      {
        REDIS_URL: servers.redis.url,
      },
    );
    expect(result.stdout, result.stderr).not.toBe('');
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    const byInput = Object.fromEntries(lines.map((line) => [line.input.split('/').pop(), line]));
    expect(byInput['good.html'].status).toBe('indexed');
    expect(byInput['good.html'].title).toBe('Lighthouse keepers return');
    expect(byInput['bad.bin'].status).toBe('failed');
    expect(byInput['bad.bin'].error).toMatch(/binary|empty/i);
    expect(result.status).toBe(1);
  });
});
