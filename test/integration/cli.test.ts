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

const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('the sluice command against a running stack (through the API only)', () => {
  let servers: Servers;
  let stack: Stack;
  let env: Record<string, string>;
  beforeAll(async () => {
    servers = await startServers();
    stack = await startStack(servers);
    // No Redis address anywhere: the CLI must go through the API.
    env = {
      SLUICE_API_URL: stack.api.url,
      REDIS_URL: 'redis://127.0.0.1:1',
      SLUICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'sluice-cli-data-')),
    };
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await servers?.stop();
  });

  it('ingests a folder and a manifest, printing each outcome, skipping bad files, with a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-ingest-'));
    writeFileSync(join(dir, 'good.html'), PAGE);
    writeFileSync(join(dir, 'bad.bin'), Buffer.alloc(2048, 0));
    writeFileSync(join(dir, 'empty.html'), '');
    const manifest = join(tmpdir(), `sluice-manifest-${process.pid}.jsonl`);
    writeFileSync(
      manifest,
      [
        JSON.stringify({
          text: 'The harbour board voted on Tuesday to rebuild the northern breakwater before winter storms return, its chair said.',
          url: 'https://harbour.example/breakwater',
          source: 'Harbour Board',
          publishedAt: '2024-05-02T10:00:00Z',
        }),
        '{not json',
      ].join('\n'),
    );
    const result = await sluiceAsync(
      ['ingest', dir, '--manifest', manifest, '--json', '--source', 'Coast Weekly'],
      env,
    );
    expect(result.stderr).toContain(`sending 5 documents to ${stack.api.url} (from SLUICE_API_URL)`);
    const lines = jsonLines(result.stdout);
    expect(lines).toHaveLength(5);
    const byInput = Object.fromEntries(lines.map((line) => [line.input.split('/').pop(), line]));
    expect(byInput['good.html'].status).toBe('indexed');
    expect(byInput['good.html'].title).toBe('Lighthouse keepers return');
    expect(byInput['bad.bin'].status).toBe('failed');
    expect(byInput['bad.bin'].error).toMatch(/binary/i);
    expect(byInput['empty.html']).toMatchObject({ status: 'failed', id: null, error: 'the file is empty' });
    const fromManifest = lines.find((line) => line.input.endsWith('.jsonl:1'));
    const badLine = lines.find((line) => line.input.endsWith('.jsonl:2'));
    expect(fromManifest.status, JSON.stringify(fromManifest)).toBe('indexed');
    expect(badLine).toMatchObject({ status: 'failed', id: null });
    expect(badLine.error).toMatch(/not a JSON line/);
    expect(result.stderr).toMatch(/5 documents: 2 indexed, 3 failed in [\d.]+ s/);
    expect(result.status).toBe(1);
    const stored = (await (await fetch(`${stack.api.url}/documents/${fromManifest.id}`)).json()) as {
      document: unknown;
    };
    expect(stored.document).toMatchObject({
      source: 'Harbour Board',
      publishedAt: '2024-05-02T10:00:00.000Z',
    });
  });

  it('takes every word after search as the query, negations included, and counts in good English', async () => {
    const plain = await sluiceAsync(['search', 'lighthouse', 'keepers'], env);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^1 result\n/);
    expect(plain.stdout).toContain('Lighthouse keepers return');
    const negated = await sluiceAsync(['search', 'lighthouse', '-keepers'], env);
    expect(negated.status, negated.stderr).toBe(0);
    expect(negated.stdout).toMatch(/^0 results\n/);
    const unknown = await sluiceAsync(['search', '--bogus'], env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown option --bogus');
  });

  it('survives a closed pipe without a stack', async () => {
    const cli = join(ROOT, 'packages/cli/bin/sluice.js');
    const result = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const child = spawn('sh', ['-c', `node ${cli} search lighthouse | head -1`], {
        cwd: ROOT,
        env: { ...process.env, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', () => resolve({ stdout, stderr }));
    });
    expect(result.stdout).toBe('1 result\n');
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
  });

  it('prints the status: queues, feeds, failures and which API it used', async () => {
    const result = await sluiceAsync(['status'], env);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Sluice API: ${stack.api.url}/ (from SLUICE_API_URL)`);
    expect(result.stdout).toMatch(/Index: \d+ documents?/);
    expect(result.stdout).toMatch(/fetch\s+\d+ waiting, \d+ active/);
    expect(result.stdout).toMatch(/Feeds: \d+ feeds?/);
    expect(result.stdout).toMatch(/Recent failures:\n.*fetch [0-9a-f]{32}: .*binary/);
  });

  it('says which address it tried and how it found it when no API answers', async () => {
    const result = await sluiceAsync(['search', 'x'], { ...env, SLUICE_API_URL: 'http://127.0.0.1:9' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cannot reach the Sluice API at http://127.0.0.1:9 (from SLUICE_API_URL');
  });
});
