/** A real server for a test: where it came from and how to stop it. */
export interface TestServer {
  url: string;
  /** `container` (testcontainers), `env` (TEST_*_URL given), or `local` (binaries started here). */
  kind: 'container' | 'env' | 'local';
  stop(): Promise<void>;
}
