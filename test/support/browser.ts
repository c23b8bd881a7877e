import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's chromium, or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of failed browser tests, kept as CI artifacts (gitignored). */
export const ARTIFACTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts/browser');

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * A headless chromium, nothing phoning home. playwright gives each launch a fresh temporary
 * user-data directory (it refuses `--user-data-dir`) and each test its own context.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/**
 * Runs a test body with a fresh page; on failure saves a full-page screenshot named after the
 * test to ARTIFACTS_DIR before rethrowing.
 */
export async function withPage(
  testBrowser: TestBrowser,
  name: string,
  body: (page: Page) => Promise<void>,
  viewport = { width: 1200, height: 900 },
): Promise<void> {
  const context = await testBrowser.browser.newContext({ viewport });
  const page = await context.newPage();
  try {
    await body(page);
  } catch (error) {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = join(ARTIFACTS_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    console.error(`screenshot of the failed page: ${file}`);
    throw error;
  } finally {
    await context.close();
  }
}

/** Saves a screenshot for a person to look at (not a failure). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core's serious and critical violations on the page. The script goes in through the
 * DevTools protocol (addScriptTag would be refused by the page's CSP, as it should be).
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
