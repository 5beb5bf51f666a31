// The last step of scripts/build: lays out dist/ from the split and bound wasm.
//
//   dist/index.html            the page (every route), names the versioned folder
//   dist/sw.js                 the service worker, told which files this version needs
//   dist/pinyin.txt, manifest.webmanifest, icon.svg
//   dist/app-<hash>/           boot.js, sangyu.js, sangyu_bg.wasm, __wasm_split.js, main.css
//                              (the first load), the office pages' chunks (*.wasm), and the
//                              scanner's worker (qr_worker.js, qr_read.js, qr_read_bg.wasm:
//                              fetched, then kept, only where it is used)
//   dist/build.json            what is eager and what is on demand, with sizes (for tools)
//
// The JS files import each other by relative path (sangyu.js ⇄ __wasm_split.js), which rules
// out hashing each name; the folder is named by the hash of everything in it instead, so a
// new release never collides with a cached old one. Every file also gets .br and .gz copies
// for hosts that serve precompressed files.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';

const [work = 'target/web', dist = 'dist'] = process.argv.slice(2);

/** The files of the first load, in the order the page asks for them. */
const EAGER = ['boot.js', 'main.css', 'sangyu.js', '__wasm_split.js', 'sangyu_bg.wasm'];

const files = new Map(); // name in the versioned folder → bytes
for (const name of ['sangyu.js', 'sangyu_bg.wasm']) files.set(name, readFileSync(join(work, 'bindgen', name)));
for (const name of readdirSync(join(work, 'split'))) {
  const bytes = readFileSync(join(work, 'split', name));
  files.set(name, name.endsWith('.wasm') ? withoutCustomSections(bytes) : bytes);
}
bundleField();
// Minified too (~1 KB after brotli): comments and spaces out, the rules as written.
files.set('main.css', Buffer.from(transformSync(readFileSync('style/main.css', 'utf8'), { loader: 'css', minify: true, legalComments: 'none' }).code));
files.set('old-browser.js', readFileSync('static/old-browser.js'));
// The scanner's worker: its script, the glue and the small wasm built from qr-read/.
files.set('qr_worker.js', readFileSync('static/qr_worker.js'));
for (const name of ['qr_read.js', 'qr_read_bg.wasm']) files.set(name, readFileSync(join(work, 'worker', name)));
const wasmBytes = files.get('sangyu_bg.wasm').length;
// boot.js shows download progress against the wasm's real size (a compressing host's
// Content-Length would be the compressed size).
files.set('boot.js', Buffer.from(readFileSync('static/boot.js', 'utf8').replace('__WASM_BYTES__', String(wasmBytes))));
// Minified: wasm-bindgen's glue and the loader are ~4 KB smaller after brotli. Only local names
// change (exports and the wasm's import names are kept); es2017 keeps boot.js parseable by the
// old browsers it must still be able to turn away.
for (const name of ['boot.js', 'sangyu.js', '__wasm_split.js', 'old-browser.js', 'qr_worker.js', 'qr_read.js']) {
  const source = files.get(name).toString('utf8');
  const format = name === 'old-browser.js' ? undefined : 'esm';
  const target = name === 'old-browser.js' ? 'es5' : 'es2017';
  // import.meta is kept as written: a module loader needs its own URL.
  const supported = format === 'esm' ? { 'import-meta': true } : {};
  files.set(name, Buffer.from(transformSync(source, { minify: true, format, target, supported, legalComments: 'none' }).code));
}
for (const name of EAGER) if (!files.has(name)) throw new Error(`dist: ${name} missing from the build`);
// The scanner's worker is not fetched ahead: only a browser without BarcodeDetector (not
// Chrome on Android) uses it, and the service worker keeps it once it is (cacheFirst).
const ON_USE = [...files.keys()].filter((n) => n.startsWith('qr_')).sort();
const lazy = [...files.keys()].filter((n) => /\.(wasm|bundle)$/.test(n) && !EAGER.includes(n) && !ON_USE.includes(n)).sort();
if (lazy.length === 0) throw new Error('dist: the build has no on-demand chunks: was it split?');

// The release's name covers every file the service worker caches, so that any change, even to
// index.html or the pinyin table alone, is a new release that installed workers pick up.
const hash = createHash('sha256');
for (const [name, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(name).update('\0').update(bytes);
for (const name of ['index.html', 'static/sw.js', 'static/pinyin.txt', 'static/manifest.webmanifest', 'static/icon.svg']) {
  hash.update(name).update('\0').update(readFileSync(name));
}
const version = `app-${hash.digest('hex').slice(0, 12)}`;
const app = `/${version}`;

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, version), { recursive: true });
for (const [name, bytes] of files) writeFileSync(join(dist, version, name), bytes);
for (const name of ['pinyin.txt', 'manifest.webmanifest', 'icon.svg']) cpSync(join('static', name), join(dist, name));

const html = readFileSync('index.html', 'utf8').replaceAll('%APP%', app);
if (html.includes('%')) {
  const left = html.match(/%[A-Z_]+%/);
  if (left) throw new Error(`dist: index.html has an unfilled ${left[0]}`);
}
writeFileSync(join(dist, 'index.html'), html);

// The service worker caches, at install, everything this version needs to open offline, and
// fetches the chunks in the background once the app runs.
const build = {
  version,
  precache: ['/index.html', ...EAGER.map((n) => `${app}/${n}`), '/pinyin.txt', '/manifest.webmanifest', '/icon.svg'],
  lazy: lazy.map((n) => `${app}/${n}`),
};
writeFileSync(
  join(dist, 'sw.js'),
  `// Written by scripts/dist.mjs for this build.\nconst BUILD = ${JSON.stringify(build, null, 2)};\n\n${readFileSync('static/sw.js', 'utf8')}`,
);

const br = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
const sizes = {};
for (const rel of walk(dist)) {
  const bytes = readFileSync(join(dist, rel));
  const b = br(bytes);
  writeFileSync(join(dist, `${rel}.br`), b);
  writeFileSync(join(dist, `${rel}.gz`), gzipSync(bytes, { level: 9 }));
  sizes[`/${rel}`] = { raw: bytes.length, brotli: b.length };
}
const eager = ['/index.html', ...EAGER.map((n) => `${app}/${n}`)];
writeFileSync(join(dist, 'build.json'), JSON.stringify({ ...build, eager, onUse: ON_USE.map((n) => `${app}/${n}`), sizes }, null, 2));
console.log(`dist: ${version}, ${eager.length} files first, ${lazy.length} chunks on demand`);

/**
 * The volunteer's pages (`split_field.wasm`) and the shared chunks they need, as one file
 * (`field.bundle`), which the loader cuts back into modules: a cold start fetched them as 34
 * files through the service worker, and those fetches cost more than the bytes (in a warm
 * page, 78–128 ms for the 34 files against 18–28 ms for the one, each compiled the same way,
 * and a database read made meanwhile waited 7–35 ms against 1–3). Other pages that share one
 * of these chunks take it from the bundle too.
 */
function bundleField() {
  const BUNDLE = 'field.bundle';
  let loader = files.get('__wasm_split.js').toString('utf8');
  const deps = loader.match(/__wasm_split_load_field = wrapAsyncCb\(makeLoad\([\s\S]*?,\s*\[([^\]]*)\]\)\)/);
  if (!deps) throw new Error('dist: the loader has no field page to bundle');
  const members = ['split_field.wasm', ...deps[1].split(',').map((d) => `${d.trim().replace(/^__/, '')}.wasm`)];
  // Parts by their place in the bundle: only their sizes go in the loader (the first load).
  const sizes = [];
  members.forEach((name, i) => {
    const fetchOf = `fetch(new URL("./${name}", import.meta.url))`;
    if (!loader.includes(fetchOf)) throw new Error(`dist: the loader does not fetch ${name} as expected`);
    loader = loader.replace(fetchOf, `__part(${i})`);
    sizes.push(files.get(name)?.length ?? Number.NaN);
  });
  if (sizes.some(Number.isNaN)) throw new Error('dist: a chunk of the field page is missing from the build');
  files.set(BUNDLE, Buffer.concat(members.map((name) => files.get(name))));
  for (const name of members) files.delete(name);
  // Each part is asked for once (the loader keeps what it instantiated); once all have been,
  // the bundle's bytes are let go. A failed fetch is forgotten, so that a retry fetches again.
  const part = `
const __sizes = ${JSON.stringify(sizes)};
let __bundle, __left = __sizes.length;
function __part(i) {
    if (__bundle === undefined) {
        // A failed response is refused (its status thrown), never cut into modules.
        const bundle = fetch(new URL("./${BUNDLE}", import.meta.url)).then((r) => {
            if (!r.ok) throw r.status;
            return r.arrayBuffer();
        });
        bundle.catch(() => { if (__bundle === bundle) __bundle = undefined; });
        __bundle = bundle;
    }
    const bundle = __bundle;
    if (--__left === 0) __bundle = undefined;
    const at = __sizes.slice(0, i).reduce((a, b) => a + b, 0);
    return bundle.then((b) => new Response(new Uint8Array(b, at, __sizes[i]), { headers: { "content-type": "application/wasm" } }));
}
`;
  files.set('__wasm_split.js', Buffer.from(loader.replace(/\n(?=let sharedImports)/, `${part}\n`)));
  if (!files.get('__wasm_split.js').toString('utf8').includes('const __sizes')) throw new Error('dist: the bundle\'s parts not in the loader');
}

/**
 * A chunk without its custom sections (names, producers, target features): the build keeps
 * symbols for wasm-split, and only the main module passes through wasm-bindgen, which drops
 * them there. They were over half of every chunk's bytes.
 */
function withoutCustomSections(bytes) {
  const leb = (at) => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return [value, at];
    }
  };
  const kept = [bytes.subarray(0, 8)];
  for (let at = 8; at < bytes.length; ) {
    const start = at;
    const [size, body] = leb(at + 1);
    at = body + size;
    if (bytes[start] !== 0) kept.push(bytes.subarray(start, at));
  }
  return Buffer.concat(kept);
}

function* walk(dir, prefix = '') {
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, rel)).isDirectory()) yield* walk(dir, rel);
    else yield rel;
  }
}
