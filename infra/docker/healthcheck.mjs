// HEALTHCHECK of the service images: healthy when /readyz answers 200 (Redis, and the index where
// the service uses one, reachable). Workers serve it on HEALTH_PORT, the API on PORT: the images
// set both, and SLUICE_SERVICE says which one this is.
const port =
  process.env.SLUICE_SERVICE === 'api'
    ? process.env.PORT || '3000'
    : process.env.HEALTH_PORT || process.env.PORT || '3000';
const host = process.env.HOST;
// A wildcard listen address is reached through loopback.
const target =
  !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

try {
  const response = await fetch(`http://${target}:${port}/readyz`, { signal: AbortSignal.timeout(4_000) });
  if (!response.ok) console.error(`readyz ${response.status}: ${(await response.text()).trim()}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`readyz: ${error.cause?.message ?? error.message}`);
  process.exit(1);
}
