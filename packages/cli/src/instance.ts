import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** What `sluice start` records in its data directory while it runs. */
export interface InstanceRecord {
  pid: number;
  /** The API's address; null while the instance is still starting. */
  url: string | null;
  startedAt: string;
}

export const instanceFile = (dataDir: string) => join(dataDir, 'sluice.instance.json');

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The instance recorded in the data directory, if its process is still alive. */
export function readInstance(dataDir: string): InstanceRecord | null {
  let record: InstanceRecord;
  try {
    record = JSON.parse(readFileSync(instanceFile(dataDir), 'utf8')) as InstanceRecord;
  } catch {
    return null;
  }
  return Number.isInteger(record.pid) && isRunning(record.pid) ? record : null;
}

export class InstanceRunningError extends Error {
  constructor(
    readonly dataDir: string,
    readonly running: InstanceRecord,
  ) {
    super(
      running.url
        ? `Sluice is already running on this data directory (${dataDir}): ${running.url}/ (PID ${running.pid}). Stop it first, or give this one another SLUICE_DATA_DIR.`
        : `Sluice is already starting on this data directory (${dataDir}) (PID ${running.pid}). Stop it first, or give this one another SLUICE_DATA_DIR.`,
    );
  }
}

/**
 * Claims the data directory for this process: the file is created exclusively, so of two
 * starts racing only one wins; a record left by a process that is gone is replaced.
 */
export function claimInstance(dataDir: string, pid = process.pid): InstanceRecord {
  const record: InstanceRecord = { pid, url: null, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(instanceFile(dataDir), 'wx');
      writeSync(fd, JSON.stringify(record));
      closeSync(fd);
      return record;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const running = readInstance(dataDir);
      if (running && running.pid !== pid) throw new InstanceRunningError(dataDir, running);
      rmSync(instanceFile(dataDir), { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not claim ${instanceFile(dataDir)}`);
}

/** Records the API's address once it listens (atomically, so readers never see half a file). */
export function recordInstanceUrl(dataDir: string, record: InstanceRecord, url: string) {
  const path = instanceFile(dataDir);
  writeFileSync(`${path}.tmp`, JSON.stringify({ ...record, url }));
  renameSync(`${path}.tmp`, path);
}

/** Removes the record if it is this process's own. */
export function releaseInstance(dataDir: string, pid = process.pid) {
  try {
    const record = JSON.parse(readFileSync(instanceFile(dataDir), 'utf8')) as InstanceRecord;
    if (record.pid === pid) rmSync(instanceFile(dataDir), { force: true });
  } catch {
    // already gone
  }
}
