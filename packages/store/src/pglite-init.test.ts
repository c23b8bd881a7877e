import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { embeddedIndexDir, hasCluster, initClusterInChild } from './pglite-init';

describe('the embedded index of a fresh data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'sluice-pglite-init-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is made by a child process, renamed into place, and opens and keeps rows', async () => {
    const dataDir = embeddedIndexDir(join(root, 'data'));
    expect(hasCluster(dataDir)).toBe(false);
    await initClusterInChild(dataDir);
    expect(hasCluster(dataDir)).toBe(true);
    // Nothing of the staging directory is left beside it.
    expect(readdirSync(join(root, 'data'))).toEqual(['pglite']);

    const db = await openDatabase({ dataDir });
    await db.query('CREATE TABLE kept (n int)');
    await db.query('INSERT INTO kept VALUES (42)');
    await db.close();
    // A second call finds the cluster and leaves it alone.
    await initClusterInChild(dataDir);
    const reopened = await openDatabase({ dataDir });
    expect((await reopened.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
    await reopened.close();
  }, 240_000);

  it('is also made when openDatabase is given an empty directory, as a copy of the cached cluster', async () => {
    const systemId = async (dataDir: string) => {
      const db = await openDatabase({ dataDir });
      const { rows } = await db.query<{ id: string }>(
        'SELECT system_identifier::text AS id FROM pg_control_system()',
      );
      await db.close();
      return rows[0]?.id;
    };
    const first = join(root, 'empty');
    mkdirSync(first);
    const second = join(root, 'other', 'pglite');
    const [a, b] = [await systemId(first), await systemId(second)];
    expect(hasCluster(first) && hasCluster(second)).toBe(true);
    // initdb gives every cluster its own identifier; the same one means both were copied.
    expect(a).toMatch(/^\d+$/);
    expect(b).toBe(a);
  }, 240_000);

  it('refuses a directory that holds other files and no cluster, naming it', async () => {
    const dataDir = join(root, 'cluttered');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'notes.txt'), 'not a database');
    await expect(initClusterInChild(dataDir)).rejects.toThrow(`${dataDir} is not empty`);
    expect(readdirSync(dataDir)).toEqual(['notes.txt']);
  });
});
