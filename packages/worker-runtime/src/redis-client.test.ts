import { baseEnvSchema, loadConfig } from '@sluice/config';
import type { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createProducerConnection, redactUrl } from './connections';
import { clusterUrl, createRedisClient, isClusterUrl, parseClusterUrl } from './redis-client';
import { redisAddress } from './runtime';

describe('Redis Cluster addresses', () => {
  it('reads seed nodes and credentials from a cluster address', () => {
    expect(parseClusterUrl(clusterUrl('10.0.0.1:7000, redis-b.internal:7001'))).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b.internal', port: 7001 },
      ],
    });
    expect(parseClusterUrl('redis-cluster://app:s%40cret@[::1]:7000')).toEqual({
      nodes: [{ host: '::1', port: 7000 }],
      username: 'app',
      password: 's@cret',
    });
    expect(() => parseClusterUrl('redis-cluster://10.0.0.1')).toThrow(/not host:port/);
    expect(() => parseClusterUrl('redis-cluster://')).toThrow(/names no node/);
  });

  it('prefers REDIS_CLUSTER_NODES over REDIS_URL and refuses a malformed list', () => {
    const config = loadConfig(baseEnvSchema, {
      REDIS_URL: 'redis://one:6379',
      REDIS_CLUSTER_NODES: 'a:7000,b:7001',
    });
    expect(redisAddress(config)).toBe('redis-cluster://a:7000,b:7001');
    expect(redisAddress(loadConfig(baseEnvSchema, { REDIS_URL: 'redis://one:6379' }))).toBe(
      'redis://one:6379',
    );
    expect(() => loadConfig(baseEnvSchema, { REDIS_CLUSTER_NODES: 'a:7000,b' })).toThrow(
      /REDIS_CLUSTER_NODES/,
    );
  });

  it('refuses a cluster address where one server is expected', () => {
    expect(() => createProducerConnection('redis-cluster://127.0.0.1:1')).toThrow(/createRedisClient/);
  });

  it('hides a cluster password in logs', () => {
    expect(redactUrl('redis-cluster://:hunter2@a:7000,b:7001')).toBe('redis-cluster://:***@a:7000,b:7001');
    expect(redactUrl('redis-cluster://a:7000')).toBe('redis-cluster://a:7000');
  });

  it('makes a Cluster client for a cluster address, with the role’s retry policy', () => {
    const worker = createRedisClient('redis-cluster://127.0.0.1:1', 'worker', 'w') as Cluster;
    const producer = createRedisClient('redis-cluster://127.0.0.1:1', 'producer', 'p') as Cluster;
    for (const client of [worker, producer]) client.on('error', () => {});
    try {
      expect(isClusterUrl('redis-cluster://127.0.0.1:1')).toBe(true);
      expect(worker.isCluster).toBe(true);
      expect(worker.options.redisOptions?.maxRetriesPerRequest).toBeNull();
      expect(producer.options.redisOptions?.maxRetriesPerRequest).toBe(1);
      expect(producer.options.enableOfflineQueue).toBe(false);
    } finally {
      worker.disconnect();
      producer.disconnect();
    }
  });
});
