// Builds the sluice command into dist/: the project's own packages (TypeScript sources) are
// compiled in, every npm dependency stays external. Each command is its own chunk, loaded when
// it runs, so `sluice --help` reads a few kilobytes. dist/inputs.json lists the sources and
// their modification times, so bin/sluice.js can tell when the build is older than the code.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(here, '..');
const repoRoot = resolve(packageDir, '../..');
const outdir = join(packageDir, 'dist');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without dev dependencies: bin/sluice.js runs the sources through tsx instead.
  console.warn('sluice: esbuild is not installed, the CLI will run from its TypeScript sources');
  process.exit(0);
}

const externalDependencies = {
  name: 'external-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@sluice/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const started = Date.now();
rmSync(outdir, { recursive: true, force: true }); // no chunks of earlier builds left behind
const result = await esbuild.build({
  entryPoints: { main: join(packageDir, 'src/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  metafile: true,
  plugins: [externalDependencies],
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS helpers may call require(); give ESM output one.
  banner: {
    js: "import { createRequire as __sluiceRequire } from 'node:module'; const require = __sluiceRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
mkdirSync(outdir, { recursive: true });
const inputs = Object.keys(result.metafile.inputs)
  .filter((input) => !input.includes('node_modules/'))
  .map((input) => resolve(process.cwd(), input))
  .map((path) => [path.slice(repoRoot.length + 1), statSync(path).mtimeMs]);
writeFileSync(join(outdir, 'inputs.json'), JSON.stringify({ builtAt: Date.now(), inputs }));
console.log(
  `sluice: CLI built into packages/cli/dist in ${Date.now() - started} ms (${inputs.length} sources)`,
);
