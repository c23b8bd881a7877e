import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { cleanDocument } from './src/clean-document';
const dir = '/work/shared/datasets/trafilatura-eval';
const ev = JSON.parse(readFileSync(dir + '/evaldata.json', 'utf8'));
for (const [url, e] of Object.entries<any>(ev)) {
  if (!url.includes(process.argv[2]!)) continue;
  let text = ''; try { text = cleanDocument({ body: gunzipSync(readFileSync(`${dir}/html/${e.file}.gz`)), contentType: 'text/html' }).text; } catch (x) { text = String(x); }
  console.log('==', url, '\nOURS:', text.slice(0, 600), '\nWITH:', e.with.map((s: string) => s.slice(0, 80)), '\nWITHOUT:', e.without.map((s: string) => s.slice(0, 60)));
}
