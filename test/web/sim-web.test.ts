/**
 * The simulated web, end to end: `npm test` runs the reduced size; `npm run test:web` the full
 * one (SIM_WEB_SCALE=full). Skips, saying why, when the dataset is not beside the repository.
 */
import { describe, expect, it } from 'vitest';
import { DATASET_DIR, datasetAvailable, FULL, REDUCED, runScenario } from './scenario';

const size = process.env.SIM_WEB_SCALE === 'full' ? FULL : REDUCED;
const available = datasetAvailable();
if (!available) console.log(`simulated web skipped: no dataset at ${DATASET_DIR}`);

describe.skipIf(!available)(`simulated web (${size.name}: ${size.sites} sites, ${size.pages} pages)`, () => {
  it(
    'indexes every fetchable page once, politely, with the offline extraction quality',
    async () => {
      const report = await runScenario(size, (line) => console.log(line));
      const figures = [
        `pages served ${report.pagesServed} (${report.livePages} published during the run), fetchable ${report.fetchable}, indexed ${report.indexed}`,
        `backlog indexed in ${report.backlogSeconds.toFixed(1)} s after start`,
        `discovery latency (published -> indexed): p50 ${(report.latencyP50Ms / 1000).toFixed(1)} s, p95 ${(report.latencyP95Ms / 1000).toFixed(1)} s`,
        `published -> page requested: p50 ${(report.discoveryP50Ms / 1000).toFixed(1)} s, p95 ${(report.discoveryP95Ms / 1000).toFixed(1)} s`,
        `simulated web's worst event-loop delay ${report.webLoopDelayMaxMs.toFixed(0)} ms; ${report.stalledRequests} requests stamped in a stall over 50 ms (largest ${report.maxStallMs} ms)`,
        `throughput ${report.docsPerSecond.toFixed(2)} docs/s`,
        `text F1 end to end ${report.f1EndToEnd.toFixed(4)} vs offline sluice extract ${report.f1Offline.toFixed(4)}; identical texts ${report.identicalTexts}/${report.indexed}`,
        `requests by kind and status: ${JSON.stringify(report.requests)}`,
        ...Object.entries(report.violations).map(
          ([kind, found]) =>
            `violations ${kind}: ${found.length}${found.length ? ` e.g. ${found.slice(0, 3).join('; ')}` : ''}`,
        ),
        `failed jobs: ${report.failedJobs.length}${report.failedJobs.length ? ` e.g. ${report.failedJobs.slice(0, 3).join('; ')}` : ''}`,
        `sluice log: ${report.logFile}`,
      ];
      console.log(figures.map((line) => `  ${line}`).join('\n'));
      expect(report.missing).toEqual([]);
      expect(report.indexed).toBe(report.fetchable);
      for (const found of Object.values(report.violations)) expect(found).toEqual([]);
      expect(report.failedJobs.filter((line) => line.startsWith('fetch'))).toEqual([]);
      expect(report.f1EndToEnd).toBeCloseTo(report.f1Offline, 10);
    },
    size.name === 'full' ? 1_200_000 : 300_000,
  );
});
