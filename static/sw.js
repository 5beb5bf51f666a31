// Offline: after one visit the app opens and works with no network.
//
// Trunk gives every build's files new hashed names, so nothing is listed ahead of time: files
// are cached as they are fetched. Hashed files never change, so they come from the cache
// first. The page itself (and unhashed files such as boot.js and pinyin.txt) is served from
// the cache at once and refreshed in the background; when the page changed, open tabs are
// told so they can offer a reload. A running page is never replaced mid-edit.
const CACHE = 'sangyu-v1';
const HASHED = /-[0-9a-f]{8,}(_bg)?\.(wasm|js|css)$/;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(event));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(staleWhileRevalidate(event, request));
  }
});

// A full disk must never break the app: a failed cache write only means less offline.
async function keep(cache, request, response) {
  try {
    await cache.put(request, response);
  } catch {
    // QuotaExceededError: served from the network this time.
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await keep(cache, request, response.clone());
  return response;
}

async function staleWhileRevalidate(event, request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  const refresh = fetch(request)
    .then(async (response) => {
      if (response.ok) await keep(cache, request, response.clone());
      return response;
    })
    .catch(() => undefined);
  if (hit) {
    event.waitUntil(refresh);
    return hit;
  }
  return (await refresh) ?? Response.error();
}

// Every app route is the same page; it is kept under one key.
async function page(event) {
  const cache = await caches.open(CACHE);
  const key = new Request('/index.html');
  const hit = await cache.match(key);
  // Read the cached copy now: once `hit` is handed to the page its body is used up.
  const cachedText = hit ? hit.clone().text() : Promise.resolve(undefined);
  const refresh = fetch('/index.html', { cache: 'no-cache' })
    .then(async (response) => {
      if (!response.ok) return undefined;
      const fresh = await response.clone().text();
      const old = await cachedText;
      await keep(cache, key, response.clone());
      if (old !== undefined && old !== fresh) {
        await prune(cache, fresh);
        await announce(event.resultingClientId);
      }
      return response;
    })
    .catch(() => undefined);
  if (hit) {
    event.waitUntil(refresh);
    return hit;
  }
  return (await refresh) ?? Response.error();
}

// Tells open pages a new version is ready. The page being loaded may not exist as a client
// yet when the fetch finishes, so it is waited for (briefly).
async function announce(newClientId) {
  const message = { type: 'sangyu-update-ready' };
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(message);
  for (let i = 0; newClientId && i < 40; i++) {
    const client = await self.clients.get(newClientId);
    if (client) {
      client.postMessage(message);
      return;
    }
    await new Promise((done) => setTimeout(done, 250));
  }
}

// Drops hashed files the current page no longer uses, so old versions do not pile up.
async function prune(cache, html) {
  for (const request of await cache.keys()) {
    const name = new URL(request.url).pathname.slice(1);
    if (HASHED.test('/' + name) && !html.includes(name)) await cache.delete(request);
  }
}
