// Docker build step before `turbo prune`: drops every devDependency (the root keeps only the
// bundler) so the pruned workspace closure and lockfile are what a service needs at run time.
// Without it, the root's dev tools and the test kits that packages list as devDependencies would
// pull every workspace and testcontainers into each image. Run from the repository root.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEEP_AT_ROOT = ['esbuild']; // infra/build/bundle-service.mjs

const rewrite = (file, edit) => {
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  edit(manifest);
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
};

const root = JSON.parse(readFileSync('package.json', 'utf8'));
for (const pattern of root.workspaces) {
  const dirs = pattern.endsWith('/*')
    ? readdirSync(pattern.slice(0, -2), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(pattern.slice(0, -2), entry.name))
    : [pattern];
  for (const dir of dirs) {
    try {
      rewrite(join(dir, 'package.json'), (manifest) => delete manifest.devDependencies);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
}
rewrite('package.json', (manifest) => {
  const dev = manifest.devDependencies ?? {};
  manifest.devDependencies = Object.fromEntries(
    KEEP_AT_ROOT.filter((name) => dev[name]).map((name) => [name, dev[name]]),
  );
});
