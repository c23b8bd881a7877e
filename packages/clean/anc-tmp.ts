import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeBody } from './src/decode';
import { parseHtml } from './src/html/parse';
const dir = '/work/shared/datasets/trafilatura-eval';
const ev = JSON.parse(readFileSync(dir + '/evaldata.json', 'utf8'));
for (const [url, e] of Object.entries<any>(ev)) {
  if (!url.includes(process.argv[2]!)) continue;
  const h = decodeBody(gunzipSync(readFileSync(`${dir}/html/${e.file}.gz`)), 'text/html').text;
  const root = parseHtml(h, 1000);
  const stack: any[] = [root];
  while (stack.length) { const n = stack.pop(); if (n.type === 'text' && n.data.includes(process.argv[3]!)) { const chain = []; for (let p = n.parent; p; p = p.parent) chain.push(`${p.name}${p.attribs?.id ? '#' + p.attribs.id : ''}${p.attribs?.class ? '.' + p.attribs.class.split(' ')[0] : ''}`); console.log(chain.join(' < ')); } if (n.children) stack.push(...n.children); }
}
