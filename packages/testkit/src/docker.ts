import { existsSync } from 'node:fs';
import { request } from 'node:http';

/** The Docker engine's socket path, from DOCKER_HOST or the default location. */
export function dockerSocketPath(): string | null {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  if (host) return null; // tcp engines: let testcontainers decide
  return existsSync('/var/run/docker.sock') ? '/var/run/docker.sock' : null;
}

/** True when a Docker engine answers `/_ping` within the timeout. */
export async function dockerAnswers(timeoutMs = 1_500): Promise<boolean> {
  if (process.env.SLUICE_TEST_NO_DOCKER === '1') return false;
  const socketPath = dockerSocketPath();
  if (!socketPath) return Boolean(process.env.DOCKER_HOST);
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/**
 * Host networking is used where no container bridge network exists (machines without a
 * registry, see infra/docker/local-images.sh); set SLUICE_DOCKER_HOST_NETWORK=1 there.
 */
export const useHostNetwork = () => process.env.SLUICE_DOCKER_HOST_NETWORK === '1';

/**
 * What testcontainers needs on an engine without a bridge network, unless set otherwise: no Ryuk
 * (its container would need the bridge to be reached), and the host named as 127.0.0.1 (else it
 * looks for the bridge gateway and gives up). Containers are stopped by the tests themselves, and
 * `local-images.sh down` removes any that a crashed run left behind.
 */
export function applyHostNetworkDefaults(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
}
