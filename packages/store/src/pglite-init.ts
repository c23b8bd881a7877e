import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

const PGLITE = '@electric-sql/pglite';

/** Where the embedded index of a Sluice data directory lives. */
export const embeddedIndexDir = (dataDir: string) => join(dataDir, 'pglite');

/** True when `dataDir` already holds a PostgreSQL cluster. */
export const hasCluster = (dataDir: string) => existsSync(join(dataDir, 'PG_VERSION'));

// The child: PGlite's own initdb into the directory it is given, then exit. Plain CommonJS
// so it runs from the sources, the built command and tests alike.
const INIT_SCRIPT = `
const [pglitePath, dir] = process.argv.slice(1);
const { PGlite } = require(pglitePath);
PGlite.create(dir)
  .then((db) => db.close())
  .then(() => process.exit(0), (error) => { console.error(error?.message ?? String(error)); process.exit(1); });
`;

/**
 * Creates the PostgreSQL cluster of an empty PGlite data directory without PGlite's initdb in this
 * process. In-process, that initdb peaks near 800 MB (a second PGlite instance and the initdb
 * program, each with its own WASM memory) and leaves 50–120 MB of the process's RSS behind for
 * good. Instead a freshly initialised cluster is kept once per machine and PGlite version beside
 * PGlite (node_modules/.cache/sluice, made by a short-lived child process the first time) and
 * copied: every later fresh data directory costs a file copy and no memory. Where that cache
 * cannot be written, the child initialises the data directory itself. Either way the cluster is
 * made in a sibling directory and renamed into place, so a failed or interrupted run leaves no
 * half-made cluster.
 */
export async function initClusterInChild(dataDir: string): Promise<void> {
  if (hasCluster(dataDir)) return;
  mkdirSync(dirname(dataDir), { recursive: true });
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw new Error(`${dataDir} is not empty and holds no PostgreSQL cluster (no PG_VERSION); move it away`);
  const staging = join(dirname(dataDir), `.${basename(dataDir)}.initdb-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const template = await clusterTemplate();
    if (template) {
      cpSync(template, staging, { recursive: true });
    } else {
      mkdirSync(staging);
      await initdbInChild(staging);
    }
    if (!hasCluster(staging)) throw new Error('initdb finished without a cluster');
    if (existsSync(dataDir)) rmdirSync(dataDir); // empty, checked above
    renameSync(staging, dataDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The cached fresh cluster for this PGlite version, made now if missing; null if it cannot be. */
async function clusterTemplate(): Promise<string | null> {
  const nodeModules = createRequire(import.meta.url)
    .resolve.paths(PGLITE)
    ?.find((dir) => existsSync(join(dir, PGLITE, 'package.json')));
  if (!nodeModules) return null;
  const { version } = JSON.parse(readFileSync(join(nodeModules, PGLITE, 'package.json'), 'utf8')) as {
    version: string;
  };
  const template = join(nodeModules, '.cache', 'sluice', `pglite-${version}-cluster`);
  if (hasCluster(template)) return template;
  const staging = `${template}.${process.pid}`;
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    await initdbInChild(staging);
    try {
      renameSync(staging, template);
    } catch {
      // another process made it first: theirs is as good
    }
    return hasCluster(template) ? template : null;
  } catch {
    return null; // a read-only install: the data directory is initialised directly
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

const initdbInChild = (dir: string) => runChild([createRequire(import.meta.url).resolve(PGLITE), dir]);

function runChild(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', INIT_SCRIPT, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    // Stopped with this process (a signal to `sluice start` while it runs), not left behind.
    const stopChild = () => child.kill('SIGKILL');
    process.once('exit', stopChild);
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('exit', stopChild);
      if (code === 0) resolve();
      else
        reject(
          new Error(`initialising the embedded index failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`),
        );
    });
  });
}
