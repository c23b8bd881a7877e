import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { AddressGuard } from './address-guard';
import { FetchError } from './fetch-error';

export interface GuardedAgentOptions {
  guard: AddressGuard;
  maxHeaderBytes: number;
  connectTimeoutMs: number;
}

const blocked = (host: string, address: string) =>
  new FetchError(
    'blocked-address',
    `refusing to connect to ${host} at ${address}: not a public address (set FETCH_ALLOW_PRIVATE)`,
    {
      permanent: true,
    },
  );

/**
 * An undici Agent that checks addresses at connect time: DNS answers are filtered before
 * connecting (any blocked answer refuses the host, so DNS rebinding between answers gains
 * nothing), and the connected socket's remote address is checked again, which also covers
 * IP literals that never go through DNS.
 */
export function createGuardedAgent(options: GuardedAgentOptions): Agent {
  const { guard } = options;
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      // An entry limited to a port is checked on the connected socket, where the port is known.
      if (!guard.isTrustedHost(hostname) && !guard.isAllowedOnSomePort(hostname)) {
        const bad = addresses.find(
          (entry) => !guard.isAllowedAddress(entry.address) && !guard.isAllowedOnSomePort(entry.address),
        );
        if (bad) return callback(blocked(hostname, bad.address), '', 0);
      }
      if (lookupOptions.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
  const connector = buildConnector({ lookup: guardedLookup, timeout: options.connectTimeoutMs });
  return new Agent({
    maxHeaderSize: options.maxHeaderBytes,
    connect(connectOptions, callback) {
      connector(connectOptions, (error, socket) => {
        if (error || !socket) return callback(error ?? new Error('no socket'), null);
        const remote = socket.remoteAddress ?? '';
        const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
        if (!guard.isTrustedHost(connectOptions.hostname, port) && !guard.isAllowedAddress(remote, port)) {
          socket.destroy();
          return callback(blocked(connectOptions.hostname, remote || 'an unknown address'), null);
        }
        callback(null, socket);
      });
    },
  });
}
