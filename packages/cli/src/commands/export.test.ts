import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportRoutes } from '@sluice/api';
import { type Database, migrateStore, openDatabase } from '@sluice/store';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
const DOCUMENTS = 3_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('sluice export through the API', () => {
  let db: Database;
  let app: FastifyInstance;
  let apiUrl: string;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    await migrateStore(db);
    await db.query(
      `INSERT INTO documents (id, url, title, text, ts_config, fetched_at, extracted_at, event_at, body_hash,
         content_hash, search_vector)
       SELECT '9' || lpad(to_hex(g), 31, '0'), 'https://bulk.example/' || g, 'Bulk ' || g, repeat('harbour ', 500),
         'english', now(), now(), now(), md5(g::text), md5(g::text), ''::tsvector
       FROM generate_series(1, $1) AS g`,
      [DOCUMENTS],
    );
    app = Fastify();
    await exportRoutes(app, { db } as Parameters<typeof exportRoutes>[1]);
    await app.listen({ host: '127.0.0.1', port: 0 });
    apiUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const start = (args: string[]) =>
    spawn(process.execPath, [BIN, 'export', ...args], {
      env: { ...process.env, SLUICE_API_URL: apiUrl },
    }) as ChildProcessWithoutNullStreams;
  const finish = (child: ChildProcessWithoutNullStreams, keepStdout = true) =>
    new Promise<Run>((resolve) => {
      let stdout = '';
      let stderr = '';
      if (keepStdout) child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('writes every document as one JSON line, then only what changed, keeping its watermark in --state', async () => {
    const state = join(mkdtempSync(join(tmpdir(), 'sluice-export-')), 'watermark');
    const first = await finish(start(['--state', state]));
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBe(DOCUMENTS);
    expect(JSON.parse(lines[0]!).title).toMatch(/^Bulk \d+$/);
    expect(first.stderr).toContain(`${DOCUMENTS} documents; next time: --since wm.`);
    const saved = readFileSync(state, 'utf8').trim();
    expect(saved).toMatch(/^wm\./);

    await db.query(`UPDATE documents SET title = 'Corrected' WHERE id = $1`, [`9${'1'.padStart(31, '0')}`]);
    const second = await finish(start(['--state', state]));
    expect(second.code, second.stderr).toBe(0);
    expect(
      second.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).title),
    ).toEqual(['Corrected']);
    expect(second.stderr).toContain('1 document; next time');

    const refused = await finish(start(['--lang', 'xx!']));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('lang must be an ISO 639-1 code');
  }, 120_000);

  it('ends quietly with status 0 when its reader goes away (| head)', async () => {
    const child = start([]);
    const done = finish(child, false);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy();
    const run = await done;
    expect(run.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(run.code).toBe(0);
  }, 60_000);
});
