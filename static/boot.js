// Starts the wasm app from a file rather than trunk's inline script, so the page's CSP can
// forbid inline scripts outright. Trunk fills in the hashed file names (Trunk.toml).
// Offline support (static/sw.js). A new version waits until the user chooses to reload, so
// nothing typed is lost. Listening starts before the app loads so no notice is missed.
/** A one-line notice at the foot of the page with a reload button (text only, no HTML). */
function notice(kind, message, action) {
  if (document.querySelector(`.${kind}`)) return;
  const bar = document.createElement('div');
  bar.className = `update-ready ${kind}`;
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

// Several tabs: a newer version opened in another tab upgrades the database. rexie does not
// expose the connection, so every open is watched here: on `versionchange` this tab closes
// its connection at once (never blocking the upgrade) and asks for a reload; if this tab's
// own upgrade is blocked by an old tab that does not close, it says which tabs to close.
const openDb = indexedDB.open.bind(indexedDB);
indexedDB.open = (...args) => {
  const request = openDb(...args);
  request.addEventListener('blocked', () =>
    notice('db-blocked', '桑榆正在升级本机数据，请关闭其他打开桑榆的标签页。'));
  request.addEventListener('success', () => {
    document.querySelector('.db-blocked')?.remove();
    request.result.addEventListener('versionchange', () => {
      request.result.close();
      notice('db-upgraded', '桑榆已在另一个标签页升级，本页需要', '点此刷新');
    });
  });
  return request;
};

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type !== 'sangyu-update-ready') return;
    notice('sw-update', '有新版本。保存好正在填写的内容后，', '点此刷新');
  });
  // Deliver queued messages now rather than after the page finishes loading.
  navigator.serviceWorker.startMessages();
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // Without a service worker the app still works online; nothing to tell the user.
  });
}

const params = new URL(import.meta.url).searchParams;
const safe = (name, ext) => typeof name === 'string' && new RegExp(`^[\\w.-]+\\.${ext}$`).test(name);
const js = params.get('js');
const wasm = params.get('wasm');
if (!safe(js, 'js') || !safe(wasm, 'wasm')) {
  throw new Error('boot.js: unexpected file names');
}
const { default: init } = await import(new URL(js, import.meta.url).href);
const exports = await init({ module_or_path: new URL(wasm, import.meta.url).href });
// Read by the benchmark (scripts/bench) to report wasm memory; nothing else uses it.
globalThis.sangyuWasmMemory = exports.memory;
