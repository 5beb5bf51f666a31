// Offline: after one visit the app opens, and every page works, with no network.
//
// scripts/dist.mjs puts `BUILD` above this: the release's folder name, the files it needs to
// open (`precache`) and the office pages' chunks (`lazy`). Each release has a cache of its
// own, filled whole at install, so a page never finds half a version. Installing does not
// wait for the chunks: once a page runs it asks (`sangyu-warm`) and they are fetched one by
// one in the background. A new release is announced, never swapped in under a page in use;
// the release before it stays cached, so a page still running it can open its chunks.
/* global BUILD */
const PREFIX = 'sangyu-app-';
const CURRENT = PREFIX + BUILD.version;
const VERSIONED = /^\/app-[0-9a-f]+\//;

// Set at install when an older worker is running: its pages are told a new release is ready.
let replacing = false;

self.addEventListener('install', (event) => {
  replacing = self.registration.active !== null;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CURRENT);
      // The page last: a cache with the page has every file the page asks for first.
      const [page, ...rest] = BUILD.precache;
      await cache.addAll(rest.map((url) => new Request(url, { cache: VERSIONED.test(url) ? 'default' : 'no-cache' })));
      await cache.add(new Request(page, { cache: 'no-cache' }));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // caches.keys() is in creation order: keep this release and the one before it.
      const ours = (await caches.keys()).filter((k) => k !== CURRENT && (k.startsWith(PREFIX) || k === 'sangyu-v1'));
      const previous = ours.filter((k) => k.startsWith(PREFIX)).pop();
      for (const name of ours) if (name !== previous) await caches.delete(name);
      await self.clients.claim();
      if (replacing || ours.length > 0) await announce();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'sangyu-warm') event.waitUntil(warm());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else {
    event.respondWith(cacheFirst(request, url));
  }
});

/**
 * Every chunk not cached yet, a few at a time: there are many small ones, and one at a time
 * would take a round trip each (a minute at 400 ms), while all at once would crowd out what
 * the user asks for meanwhile.
 */
async function warm() {
  const cache = await caches.open(CURRENT);
  const queue = [];
  for (const url of BUILD.lazy) if (!(await cache.match(url))) queue.push(url);
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      try {
        const response = await fetch(url);
        if (response.ok) await keep(cache, url, response);
      } catch {
        return; // Offline again: the next page load asks once more.
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

// A full disk must never break the app: a failed cache write only means less offline.
async function keep(cache, request, response) {
  try {
    await cache.put(request, response);
  } catch {
    // QuotaExceededError: served from the network this time.
  }
}

/** Any cached release's copy first (an older page may still be running), else the network. */
async function cacheFirst(request, url) {
  const hit = await caches.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && VERSIONED.test(url.pathname) && url.pathname.startsWith(`/${BUILD.version}/`)) {
    await keep(await caches.open(CURRENT), request, response.clone());
  }
  return response;
}

// Every app route is the same page: this release's copy, so it always matches its files.
async function page(request) {
  const hit = await (await caches.open(CURRENT)).match('/index.html');
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch {
    return Response.error();
  }
}

/** Tells open pages a new release is ready, to take when they choose. */
async function announce() {
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    client.postMessage({ type: 'sangyu-update-ready' });
  }
}
