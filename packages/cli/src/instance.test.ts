import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateApi } from './api-client';
import {
  claimInstance,
  InstanceRunningError,
  instanceFile,
  readInstance,
  recordInstanceUrl,
  releaseInstance,
} from './instance';

describe('the instance record of a data directory', () => {
  it('lets one process claim it, refuses another while that one lives, and names its address and PID', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-instance-'));
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const record = claimInstance(dir, other.pid);
      recordInstanceUrl(dir, record, 'http://127.0.0.1:3311');
      expect(readInstance(dir)).toMatchObject({ pid: other.pid, url: 'http://127.0.0.1:3311' });
      expect(() => claimInstance(dir)).toThrow(InstanceRunningError);
      expect(() => claimInstance(dir)).toThrow(`http://127.0.0.1:3311/ (PID ${other.pid})`);
      expect(locateApi({ SLUICE_DATA_DIR: dir })).toEqual({
        url: 'http://127.0.0.1:3311',
        via: `the instance running on ${dir} (PID ${other.pid})`,
      });
      expect(locateApi({ SLUICE_DATA_DIR: dir, SLUICE_API_URL: 'http://api.example:9/' }).url).toBe(
        'http://api.example:9',
      );
    } finally {
      other.kill();
    }
    await new Promise((resolve) => other.once('exit', resolve));
    // Its process is gone: the record is stale, a new start takes the directory over.
    expect(readInstance(dir)).toBeNull();
    expect(locateApi({ SLUICE_DATA_DIR: dir }).via).toMatch(/^the default/);
    const mine = claimInstance(dir);
    expect(mine.pid).toBe(process.pid);
    releaseInstance(dir, 12345); // not its own: left alone
    expect(JSON.parse(readFileSync(instanceFile(dir), 'utf8')).pid).toBe(process.pid);
    releaseInstance(dir);
    expect(readInstance(dir)).toBeNull();
  });

  it('treats an unreadable record as no instance', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-instance-'));
    writeFileSync(instanceFile(dir), '{half');
    expect(readInstance(dir)).toBeNull();
    expect(claimInstance(dir).pid).toBe(process.pid);
  });
});
