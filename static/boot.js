// Starts the app from a file, so the page's CSP can forbid inline scripts outright.
// It lives in the release's folder (scripts/dist.mjs), beside the files it loads.
//
// In order: tell an old browser the truth; warn inside a chat app's browser; watch database
// connections; download the wasm with progress on the splash; start the app; then the
// service worker, which makes this one visit enough to work offline.
//
// Written for old browsers to parse (no `?.`, `??` or top-level await): a browser that cannot
// run the app must still be able to run this far and say so.

const WASM_BYTES = __WASM_BYTES__; // filled in by scripts/dist.mjs

// A tiny module using every wasm feature the built files use (wabt's wasm-validate, feature
// by feature): reference types (externref), multi-value, sign extension, non-trapping
// float-to-int and bulk memory (mutable globals come with them). A browser that validates it
// can run the app (Chrome/WebView 96+, Safari 15+, Firefox 79+).
const FEATURES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x0a, 0x02, 0x60, 0x01, 0x6f, 0x00, 0x60, 0x00, 0x02, 0x7f, 0x7f, // types: (param externref), (result i32 i32)
  0x03, 0x02, 0x01, 0x00,
  0x05, 0x03, 0x01, 0x00, 0x01, // one memory
  0x0a, 0x1a, 0x01, 0x18, 0x00,
  0x41, 0x00, 0xc0, 0x1a, // i32.extend8_s
  0x43, 0x00, 0x00, 0x00, 0x00, 0xfc, 0x00, 0x1a, // i32.trunc_sat_f32_s
  0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0a, 0x00, 0x00, // memory.copy
  0x0b,
]);

function canRun() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(FEATURES) &&
      typeof indexedDB === 'object' && indexedDB !== null && typeof fetch === 'function';
  } catch (e) {
    return false;
  }
}

/** Chat and super-app browsers whose cache cleaners delete web storage, by user agent. */
const IN_APP = [
  [/MicroMessenger/i, '微信'],
  [/\bQQ\/\d/i, 'QQ'],
  [/DingTalk/i, '钉钉'],
  [/AliApp|AlipayClient/i, '支付宝'],
  [/Weibo/i, '微博'],
  [/aweme|BytedanceWebview|NewsArticle/i, '抖音或今日头条'],
  [/Lark|Feishu/i, '飞书'],
];

const byId = (id) => document.getElementById(id);

function splash(text, fraction) {
  const line = byId('splash-text');
  const bar = byId('splash-progress');
  if (line && text) line.textContent = text;
  if (bar && fraction !== undefined) {
    bar.max = 1;
    bar.value = Math.min(1, fraction);
  }
}

/** A one-line notice at the foot of the page, with a reload button (text only, no HTML). */
function notice(kind, message, action) {
  if (document.querySelector('.' + kind)) return;
  const bar = document.createElement('div');
  bar.className = 'update-ready ' + kind;
  bar.setAttribute('role', 'status');
  const text = document.createElement('span');
  text.textContent = message;
  bar.append(text);
  if (action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = action;
    button.addEventListener('click', () => location.reload());
    bar.append(button);
  }
  document.body.append(bar);
}

/** Says, before anything is saved, that a chat app's browser may wipe what is kept here. */
function warnInApp() {
  const found = IN_APP.find(([pattern]) => pattern.test(navigator.userAgent));
  const box = byId('in-app');
  if (!found || !box) return;
  try {
    if (sessionStorage.getItem('sangyu-in-app-seen')) return;
  } catch (e) {
    // No session storage: show it every time.
  }
  for (const name of box.querySelectorAll('.in-app-name')) name.textContent = found[1];
  box.hidden = false;
  box.querySelector('button').addEventListener('click', () => {
    box.hidden = true;
    try {
      sessionStorage.setItem('sangyu-in-app-seen', '1');
    } catch (e) {
      // Shown again next time: harmless.
    }
  });
}

// Several tabs: a newer version opened in another tab upgrades the database. rexie does not
// expose the connection, so every open is watched here: on `versionchange` this tab closes
// its connection at once (never blocking the upgrade) and asks for a reload; if this tab's
// own upgrade is blocked by an old tab that does not close, it says which tabs to close.
function watchDatabases() {
  const openDb = indexedDB.open.bind(indexedDB);
  indexedDB.open = (...args) => {
    const request = openDb(...args);
    request.addEventListener('blocked', () =>
      notice('db-blocked', '桑榆正在升级本机数据，请关闭其他打开桑榆的标签页。'));
    request.addEventListener('success', () => {
      const blocked = document.querySelector('.db-blocked');
      if (blocked) blocked.remove();
      request.result.addEventListener('versionchange', () => {
        request.result.close();
        notice('db-upgraded', '桑榆已在另一个标签页升级，本页需要', '点此刷新');
      });
    });
    return request;
  };
}

/**
 * The wasm, counted as it arrives so the splash can show how far the download is. Once the
 * service worker serves it from its cache there is nothing to wait for, and the response is
 * handed over as it is: the browser keeps compiled code for a response with its URL, which
 * a counted copy would not have.
 */
async function wasmWithProgress(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error('HTTP ' + response.status);
  if (navigator.serviceWorker && navigator.serviceWorker.controller) return response;
  if (!response.body || typeof TransformStream !== 'function') return response;
  let seen = 0;
  const counted = response.body.pipeThrough(new TransformStream({
    transform(chunk, out) {
      seen += chunk.byteLength;
      splash('正在下载 ' + Math.min(99, Math.floor((seen / WASM_BYTES) * 100)) + '%', seen / WASM_BYTES);
      out.enqueue(chunk);
    },
  }));
  return new Response(counted, { headers: { 'content-type': 'application/wasm' } });
}

function startServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // Without a service worker the app still works online; nothing to tell the user.
  });
  // Once it runs, it fetches the office pages' chunks in the background, so a page never
  // opened online still opens offline.
  navigator.serviceWorker.ready.then((registration) => {
    if (registration.active) registration.active.postMessage({ type: 'sangyu-warm' });
  });
}

// 大字 (settings page): set before the app draws, so nothing jumps in size.
function largeText() {
  try {
    const settings = JSON.parse(localStorage.getItem('sangyu.settings') || '{}');
    if (settings && settings.large_text) document.documentElement.classList.add('large');
  } catch (e) {
    // Unreadable settings: normal text.
  }
}

// The browser's offer to add Sangyu to the home screen comes once, early: kept for the
// welcome card's button (src/ui/pages/welcome.rs).
window.addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault();
  window.sangyuInstall = event;
  window.dispatchEvent(new Event('sangyu-installable'));
});

async function main() {
  largeText();
  if (!canRun()) {
    byId('splash').hidden = true;
    byId('unsupported').hidden = false;
    return;
  }
  warnInApp();
  watchDatabases();
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', (event) => {
      if (!event.data || event.data.type !== 'sangyu-update-ready') return;
      notice('sw-update', '有新版本。保存好正在填写的内容后，', '点此刷新');
    });
    // Deliver queued messages now rather than after the page finishes loading.
    navigator.serviceWorker.startMessages();
  }
  let exports;
  try {
    const { default: init } = await import(new URL('./sangyu.js', import.meta.url).href);
    exports = await init({ module_or_path: wasmWithProgress(new URL('./sangyu_bg.wasm', import.meta.url).href) });
  } catch (e) {
    splash('没能下载完桑榆。请检查网络，然后刷新本页重试。', 0);
    const retry = byId('splash-retry');
    if (retry) {
      retry.hidden = false;
      retry.addEventListener('click', () => location.reload());
    }
    throw e;
  }
  // The app has drawn its shell under the splash in this same task: no blank frame between.
  byId('splash').remove();
  // Read by the benchmark (scripts/bench) to report wasm memory; nothing else uses it.
  globalThis.sangyuWasmMemory = exports.memory;
  startServiceWorker();
}

main();
