import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeBody } from './src/decode';
const dir = '/work/shared/datasets/trafilatura-eval';
const ev = JSON.parse(readFileSync(dir + '/evaldata.json', 'utf8'));
for (const [url, e] of Object.entries<any>(ev)) {
  if (!url.includes(process.argv[2]!)) continue;
  const h = decodeBody(gunzipSync(readFileSync(`${dir}/html/${e.file}.gz`)), 'text/html').text;
  let i = -1; const out: string[] = [];
  while ((i = h.indexOf(process.argv[3]!, i + 1)) !== -1) out.push(h.slice(Math.max(0, i - Number(process.argv[4] ?? 600)), i + 200));
  console.log(out.join('\n-----\n'));
}
