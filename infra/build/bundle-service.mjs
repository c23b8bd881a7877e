// Bundles a service's src/main.ts into dist/main.js for production images. The project's own
// packages (@sluice/*, TypeScript sources) are compiled in; every npm dependency stays external
// and is installed by `npm ci --omit=dev` in the image.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const cwd = process.cwd();
const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));

const externalDependencies = {
  name: 'external-dependencies',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@sluice/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

await build({
  entryPoints: [join(cwd, 'src/main.ts')],
  outfile: join(cwd, 'dist/main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [externalDependencies],
  // Bundled CommonJS helpers may call require(); give ESM output one.
  banner: {
    js: "import { createRequire as __sluiceRequire } from 'node:module'; const require = __sluiceRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// Files a service reads beside its bundle at run time (the API's page templates and static files).
const assets = join(cwd, 'src/web');
for (const folder of ['templates', 'static'])
  if (existsSync(join(assets, folder)))
    cpSync(join(assets, folder), join(cwd, 'dist/web', folder), { recursive: true });
console.log(`bundled ${manifest.name} -> dist/main.js`);
