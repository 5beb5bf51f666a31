// Starts the wasm app from a file rather than trunk's inline script, so the page's CSP can
// forbid inline scripts outright. Trunk fills in the hashed file names (Trunk.toml).
// Offline support (static/sw.js). A new version waits until the user chooses to reload, so
// nothing typed is lost. Listening starts before the app loads so no notice is missed.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type !== 'sangyu-update-ready' || document.querySelector('.update-ready')) return;
    const bar = document.createElement('div');
    bar.className = 'update-ready';
    bar.setAttribute('role', 'status');
    const text = document.createElement('span');
    text.textContent = '有新版本。保存好正在填写的内容后，';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = '点此刷新';
    button.addEventListener('click', () => location.reload());
    bar.append(text, button);
    document.body.append(bar);
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
await init({ module_or_path: new URL(wasm, import.meta.url).href });
