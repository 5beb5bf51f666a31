// Prints the download: the first load (what a phone fetches before the home screen works)
// and the office pages' chunks (fetched when first opened, or in the background once the app
// runs), brotli, from the sizes scripts/dist.mjs wrote to dist/build.json. Fails when the
// first load passes the limit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// A regression alarm, not the goal (the benchmark's target is 160 KB). Raise it only with a
// measured reason in the commit message.
const LIMIT = 162 * 1024;
const dir = process.argv[2] ?? 'dist';
const build = JSON.parse(readFileSync(join(dir, 'build.json'), 'utf8'));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const short = (url) => url.replace(`/${build.version}/`, '');
const sum = (urls, key) => urls.reduce((total, url) => total + build.sizes[url][key], 0);

const first = sum(build.eager, 'brotli');
const lazy = sum(build.lazy, 'brotli');
const parts = build.eager.map((u) => `${short(u)} ${kb(build.sizes[u].brotli)}`);
// The volunteer's pages come as one file with the shared chunks they need (scripts/dist.mjs).
const pages = build.lazy
  .filter((u) => /split_|\.bundle$/.test(u))
  .map((u) => `${short(u).replace(/^split_|\.wasm$/g, '').replace(/\.bundle$/, ' (with its shared chunks)')} ${kb(build.sizes[u].brotli)}`);
const worker = build.onUse ?? [];
const shared = build.lazy.filter((u) => !/split_|\.bundle$/.test(u));
console.log(`size: first load ${kb(first)} brotli (${kb(sum(build.eager, 'raw'))} raw) [${parts.join(', ')}]; limit ${kb(LIMIT)}`);
console.log(
  `size: on demand ${kb(lazy)} brotli in ${build.lazy.length} chunks: pages [${pages.join(', ')}], ` +
    `${shared.length} shared chunks ${kb(sum(shared, 'brotli'))}; ` +
    `only where used: the scanner's worker ${kb(sum(worker, 'brotli'))}`,
);
if (first > LIMIT) {
  console.error(`size: the first load is over the limit by ${kb(first - LIMIT)}`);
  process.exit(1);
}
