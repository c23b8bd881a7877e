import { mkdirSync } from 'node:fs';
import { banner } from '../banner';
import { claimInstance, recordInstanceUrl, releaseInstance } from '../instance';
import { collectGarbageByAllocation } from '../start/heap-trim';
import { stopOnSignals, Teardown } from '../teardown';
import type { Command } from './index';

export const startCommand: Command = {
  async run() {
    // Claimed before the pipeline's code loads: a second start on this data dir refuses at once.
    const dataDir = process.env.SLUICE_DATA_DIR || '.data';
    mkdirSync(dataDir, { recursive: true });
    const instance = claimInstance(dataDir);
    const teardown = new Teardown();
    teardown.add('instance record', () => releaseInstance(dataDir));
    let stopLog: (message: string, error?: unknown) => void = () => {};
    stopOnSignals(
      async (reason) => {
        stopLog(`stopping (${reason})`);
        await teardown.run((step, error) => stopLog(`error while stopping ${step}`, error));
        stopLog('stopped');
      },
      { timeoutMs: 35_000, onForcedExit: (why) => stopLog(why) },
    );
    try {
      // A fresh embedded index is made in a child process while this one is still small (its
      // initdb peaks near 800 MB; see initClusterInChild), before the pipeline's code loads.
      if (!process.env.DATABASE_URL) {
        const { embeddedIndexDir, initClusterInChild } = await import('@sluice/store');
        await initClusterInChild(embeddedIndexDir(dataDir));
      }
      const stack = await import('../start/stack');
      const config = stack.loadStartConfig();
      const logger = stack.startLogger(config);
      stopLog = (message, error) => (error ? logger.error({ err: error }, message) : logger.info(message));
      const started = await stack.startEverything(config, logger, teardown);
      recordInstanceUrl(dataDir, instance, started.api);
      const trim = collectGarbageByAllocation();
      teardown.add('garbage collection', trim.stop);
      console.log(banner({ url: started.api, pid: process.pid, dataDir, demoFeedUrl: started.demoFeed }));
    } catch (error) {
      // Nothing half-started stays behind: stop what did start, say why, exit non-zero.
      await teardown.run();
      console.error(`sluice start: ${(error as Error).message}`);
      process.exit(1);
    }
    await new Promise(() => {}); // runs until a signal stops it
    return 0;
  },
};
