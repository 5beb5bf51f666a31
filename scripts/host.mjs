// Serves dist/ as a user's static host should (README, "Putting it on a server"): the
// precompressed .br/.gz copies when the browser accepts them, `application/wasm`, index.html
// for every app route, no caching of index.html and sw.js, a year's caching of a release's
// versioned folder. `./scripts/serve` runs it; the end-to-end tests serve through it too.
//
//   node scripts/host.mjs [dist] [port]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Starts the host. `options.rewrite(path, body)` may change a file's bytes as served (the
 * tests use it to stage a new release); `options.refuse(path)` makes a request fail with 503
 * (a dropped download).
 */
export async function host(dist, { port = 0, address = '127.0.0.1', rewrite, refuse } = {}) {
  const server = createServer(async (req, res) => {
    try {
      let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      if (path === '/' || path === '\\') path = '/index.html';
      if (refuse && refuse(path)) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('refused by the test host');
        return;
      }
      let body = await readFile(join(dist, path)).catch(() => undefined);
      // An app route (no file, no extension) is the page; a missing file is a 404.
      if (body === undefined && !extname(path)) {
        path = '/index.html';
        body = await readFile(join(dist, path));
      }
      if (body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('not found');
        return;
      }
      const headers = {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        // A release's folder never changes; everything else must be asked for again.
        'cache-control': /^\/app-[0-9a-f]+\//.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        vary: 'Accept-Encoding',
      };
      const changed = rewrite ? rewrite(path, body) : body;
      if (changed === body) {
        const accepts = String(req.headers['accept-encoding'] ?? '');
        for (const [token, ext] of [['br', '.br'], ['gzip', '.gz']]) {
          if (!new RegExp(`\\b${token}\\b`).test(accepts)) continue;
          const packed = await readFile(join(dist, path + ext)).catch(() => undefined);
          if (packed) {
            headers['content-encoding'] = token;
            body = packed;
            break;
          }
        }
      } else {
        body = changed;
      }
      res.writeHead(200, { ...headers, 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(e));
    }
  });
  await new Promise((ok) => server.listen(port, address, ok));
  return {
    base: `http://${address}:${server.address().port}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dist = 'dist', port = '8080'] = process.argv.slice(2);
  const { base } = await host(dist, { port: Number(port) });
  console.log(`桑榆: serving ${dist} on ${base} (Ctrl-C to stop)`);
}
