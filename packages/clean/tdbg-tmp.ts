import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeBody } from './src/decode';
import { parseHtml } from './src/html/parse';
import { elementsInOrder, findFirst } from './src/html/dom';
import { dropNonContent, dropChromeByName } from './src/html/prune';
import { measure } from './src/html/stats';
import { selectMainContent } from './src/html/select';
import { blocksOf } from './src/html/serialize';
const dir = '/work/shared/datasets/trafilatura-eval';
const ev = JSON.parse(readFileSync(dir + '/evaldata.json', 'utf8'));
const byName = process.argv[3] !== 'noname';
for (const [url, e] of Object.entries<any>(ev)) {
  if (!url.includes(process.argv[2]!)) continue;
  const h = decodeBody(gunzipSync(readFileSync(`${dir}/html/${e.file}.gz`)), 'text/html').text;
  const root = parseHtml(h, 1000);
  const body: any = findFirst(root, 'body') ?? root;
  dropNonContent(body);
  const els = elementsInOrder(body); const stats = measure(els);
  dropChromeByName(body, { elements: els, stats }, { byName });
  const sel = selectMainContent(elementsInOrder(body), stats);
  const d = (e: any) => e ? `${e.name}#${e.attribs.id ?? ''}.${e.attribs.class ?? ''}` : 'null';
  console.log('top', d(sel.top), 'core', d(sel.core), 'nodes', sel.nodes.map(d));
  for (const b of blocksOf(sel.nodes, stats, sel.core).slice(0, 12)) console.log(b.core, b.tag, b.linkLen, b.text.slice(0, 100));
}
