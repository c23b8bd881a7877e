import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'start-cluster.sh');

/** One line of CLUSTER NODES. */
export interface ClusterNodeInfo {
  id: string;
  port: number;
  role: 'master' | 'replica';
  /** For a replica, its master's id. */
  masterId: string | null;
  failed: boolean;
  slots: Array<[number, number]>;
}

export interface TestCluster {
  /** As REDIS_CLUSTER_NODES wants it. */
  nodes: string;
  ports: number[];
  cli(port: number, ...args: string[]): Promise<string>;
  /** `cli` on the first node that answers. */
  cliAny(...args: string[]): Promise<string>;
  clusterNodes(): Promise<ClusterNodeInfo[]>;
  /** The live master serving a key's slot. */
  masterOfKey(key: string): Promise<ClusterNodeInfo>;
  /** SIGKILLs one node's redis-server. */
  kill(port: number): void;
  stop(): Promise<void>;
}

/** A 3-master, 3-replica cluster on free loopback ports, or the reason none can run here. */
export async function startTestCluster(): Promise<TestCluster | { skipped: string }> {
  const base = await freeBasePort();
  const dir = mkdtempSync(join(tmpdir(), 'sluice-cluster-'));
  let output: string;
  try {
    output = (await run('sh', [SCRIPT, 'start', dir, String(base)], { timeout: 120_000 })).stdout;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const failure = error as { code?: number; stderr?: string };
    if (failure.code === 3)
      return { skipped: (failure.stderr ?? '').trim() || 'no cluster-capable redis-server' };
    throw new Error(`start-cluster.sh failed: ${failure.stderr ?? String(error)}`);
  }
  const nodes = /REDIS_CLUSTER_NODES=(\S+)/.exec(output)?.[1];
  if (!nodes) throw new Error(`start-cluster.sh printed no nodes: ${output}`);
  const ports = nodes.split(',').map((node) => Number(node.split(':')[1]));
  const cli = async (port: number, ...args: string[]) =>
    (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout.trim();
  // Asks the first node that answers: a test may have killed any one of them.
  const cliAny = async (...args: string[]) => {
    for (const port of ports) {
      try {
        return await cli(port, ...args);
      } catch {}
    }
    throw new Error('no cluster node answers');
  };
  const clusterNodes = async () => parseClusterNodes(await cliAny('cluster', 'nodes'));
  return {
    nodes,
    ports,
    cli,
    cliAny,
    clusterNodes,
    async masterOfKey(key) {
      const slot = Number(await cliAny('cluster', 'keyslot', key));
      const owner = (await clusterNodes()).find(
        (node) =>
          node.role === 'master' && !node.failed && node.slots.some(([a, b]) => slot >= a && slot <= b),
      );
      if (!owner) throw new Error(`no live master serves slot ${slot}`);
      return owner;
    },
    kill(port) {
      process.kill(Number(readFileSync(join(dir, `node-${port}`, 'redis.pid'), 'utf8').trim()), 'SIGKILL');
    },
    async stop() {
      await run('sh', [SCRIPT, 'stop', dir]).catch(() => {});
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

export function parseClusterNodes(text: string): ClusterNodeInfo[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, address, flags, master, , , , , ...slots] = line.trim().split(/\s+/);
      const flagList = (flags ?? '').split(',');
      return {
        id: id as string,
        port: Number(/:(\d+)@/.exec(address ?? '')?.[1]),
        role: flagList.includes('master') ? ('master' as const) : ('replica' as const),
        masterId: master === '-' ? null : (master ?? null),
        failed: flagList.includes('fail') || flagList.includes('fail?'),
        slots: slots
          .filter((range) => !range.startsWith('['))
          .map((range) => {
            const [from, to] = range.split('-').map(Number);
            return [from as number, (to ?? from) as number] as [number, number];
          }),
      };
    });
}

/** A base port with it and the next five free, and their cluster bus ports (+10000). */
async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const ports = [0, 1, 2, 3, 4, 5].flatMap((i) => [base + i, base + i + 10_000]);
    if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return base;
  }
  throw new Error('no free run of six ports found');
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
