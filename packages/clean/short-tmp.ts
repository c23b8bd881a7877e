import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { cleanDocument } from './src/clean-document';
const dir = '/work/shared/datasets/trafilatura-eval';
const ev = JSON.parse(readFileSync(dir + '/evaldata.json', 'utf8'));
for (const [url, e] of Object.entries<any>(ev)) {
  let text = '', ld = 0, err = '';
  let bodyKeys = '';
  try { const c = cleanDocument({ body: gunzipSync(readFileSync(`${dir}/html/${e.file}.gz`)), contentType: 'text/html' }); text = c.text;
    const flat = JSON.stringify(c.jsonLd); const m = flat.match(/"(articleBody|text|description)":"((?:[^"\\]|\\.)*)"/g); bodyKeys = (m ?? []).map(x => x.slice(0, 40) + `(${x.length})`).join(' ');
  } catch (x) { err = String(x).slice(0, 60); }
  if (text.length < 600) console.log(text.length, url.slice(0, 80), err, '| ld:', bodyKeys.slice(0, 200));
}
