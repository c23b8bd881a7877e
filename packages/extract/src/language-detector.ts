import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of an eld instance Sluice uses. */
export interface LanguageDetector {
  detect(text: string): { language: string; isReliable(): boolean };
}

/** eld's tables in its own format: language codes and, per n-gram, scores by language. */
interface NgramTables {
  type: string;
  languages: Record<string, string>;
  ngrams: Record<string, Record<string, number>>;
}

const TABLES = 'small';

/**
 * eld's "small" detector. Importing `eld/small` parses its n-gram tables as a 1.6 MB JavaScript
 * object literal, which costs the process about 145 MB of RSS for good (the parser's memory is
 * not given back); the same tables read with JSON.parse cost about 45 MB and load 3× faster. So
 * the tables are turned into JSON once, by a child process, and kept beside eld in
 * node_modules/.cache/sluice (keyed by eld's version); every later process reads that copy.
 * Anything amiss (no eld directory, read-only node_modules, a changed eld layout) falls back to
 * the plain `eld/small` import: the same detector, only bigger.
 */
export async function loadLanguageDetector(): Promise<LanguageDetector> {
  try {
    const eldDir = findPackageDir('eld');
    if (eldDir) {
      const tables = cachedTables(eldDir);
      const { createEld } = await import(pathToFileURL(join(eldDir, 'src/languageDetector.js')).href);
      const { instance, loadData } = createEld();
      loadData(tables);
      return instance as LanguageDetector;
    }
  } catch {
    // fall back below
  }
  const { eld } = await import('eld/small');
  return eld;
}

function findPackageDir(name: string): string | null {
  for (const dir of createRequire(import.meta.url).resolve.paths(name) ?? []) {
    if (existsSync(join(dir, name, 'package.json'))) return join(dir, name);
  }
  return null;
}

function cachedTables(eldDir: string): NgramTables {
  const { version } = JSON.parse(readFileSync(join(eldDir, 'package.json'), 'utf8')) as { version: string };
  const cacheDir = join(eldDir, '..', '.cache', 'sluice');
  const file = join(cacheDir, `eld-${version}-${TABLES}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as NgramTables;
  } catch {
    // not cached yet (or unreadable): made below
  }
  const json = tablesAsJson(eldDir);
  const tables = JSON.parse(json) as NgramTables;
  if (!tables.type || !tables.ngrams) throw new Error('unexpected eld tables');
  try {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, json);
    renameSync(partial, file);
  } catch {
    // a read-only install: the child runs again next time
  }
  return tables;
}

/** eld's tables as JSON, read by a child process so the parse's memory is not this one's. */
function tablesAsJson(eldDir: string): string {
  const source = pathToFileURL(join(eldDir, 'src/ngrams', `${TABLES}.js`)).href;
  const script = `import { ngramsData } from ${JSON.stringify(source)}; process.stdout.write(JSON.stringify(ngramsData));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (child.status !== 0) throw new Error(`eld tables: ${child.stderr || child.error?.message}`);
  return child.stdout;
}
