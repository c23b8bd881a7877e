import { Cluster, type ClusterNode, Redis, type RedisOptions } from 'ioredis';

/** A connection to one Redis server or to a Redis Cluster; both speak the same commands. */
export type RedisClient = Redis | Cluster;

/**
 * How Sluice names a cluster wherever it names a Redis URL: `redis-cluster://[user:pass@]h:p,h:p`.
 * The services build it from `REDIS_CLUSTER_NODES`, so one string still travels through runtimes,
 * tests and benchmarks, and the factory below picks the client it calls for.
 */
const CLUSTER_SCHEME = 'redis-cluster://';

export interface ClusterAddress {
  nodes: ClusterNode[];
  username?: string;
  password?: string;
}

/** `host:port,host:port` (REDIS_CLUSTER_NODES) as a cluster address. */
export function clusterUrl(nodes: string): string {
  return `${CLUSTER_SCHEME}${nodes}`;
}

export function isClusterUrl(url: string): boolean {
  return url.startsWith(CLUSTER_SCHEME);
}

/** The seed nodes (and credentials) of a cluster address; throws on a node without a port. */
export function parseClusterUrl(url: string): ClusterAddress {
  const rest = url.slice(CLUSTER_SCHEME.length);
  const at = rest.lastIndexOf('@');
  const [username, password] = at >= 0 ? splitCredentials(rest.slice(0, at)) : [undefined, undefined];
  const nodes = (at >= 0 ? rest.slice(at + 1) : rest)
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean)
    .map((node) => {
      const match = /^(.+):(\d{1,5})$/.exec(node);
      if (!match) throw new Error(`Redis Cluster node "${node}" is not host:port`);
      return { host: (match[1] as string).replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) };
    });
  if (nodes.length === 0) throw new Error('Redis Cluster address names no node');
  return { nodes, ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

function splitCredentials(credentials: string): [string | undefined, string | undefined] {
  const colon = credentials.indexOf(':');
  if (colon < 0) return [undefined, decodeURIComponent(credentials)];
  return [
    decodeURIComponent(credentials.slice(0, colon)) || undefined,
    decodeURIComponent(credentials.slice(colon + 1)),
  ];
}

/**
 * `producer`: commands fail fast while Redis is down, so an HTTP request gets an error instead
 * of hanging. `worker`: BullMQ's blocking commands must wait through reconnects and failovers
 * (`maxRetriesPerRequest: null`, which BullMQ requires).
 */
export type ConnectionRole = 'producer' | 'worker';

/**
 * The one place a pipeline connection is made: a plain client for a `redis://` URL, ioredis's
 * Cluster client for a `redis-cluster://` address. The caller attaches the error listener
 * (the runtime's logs, or BullMQ's own when it is handed the client).
 */
export function createRedisClient(url: string, role: ConnectionRole, name: string): RedisClient {
  const failFast = role === 'producer';
  const options: RedisOptions = {
    connectionName: name,
    maxRetriesPerRequest: failFast ? 1 : null,
  };
  if (!isClusterUrl(url))
    return new Redis(url, { ...options, enableOfflineQueue: !failFast, lazyConnect: false });
  const { nodes, username, password } = parseClusterUrl(url);
  return new Cluster(nodes, {
    redisOptions: { ...options, ...(username ? { username } : {}), ...(password ? { password } : {}) },
    // A producer's commands fail while the cluster is unreachable; once connected, a command
    // caught by a failover waits for the new slot map (retryDelayOnFailover) instead of failing.
    enableOfflineQueue: !failFast,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 200,
    // Keeps the slot map fresh after a master is replaced, even when no command was refused.
    slotsRefreshInterval: 2_000,
  });
}
