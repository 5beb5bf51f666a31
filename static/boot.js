// Starts the wasm app from a file rather than trunk's inline script, so the page's CSP can
// forbid inline scripts outright. Trunk fills in the hashed file names (Trunk.toml).
const params = new URL(import.meta.url).searchParams;
const safe = (name, ext) => typeof name === 'string' && new RegExp(`^[\\w.-]+\\.${ext}$`).test(name);
const js = params.get('js');
const wasm = params.get('wasm');
if (!safe(js, 'js') || !safe(wasm, 'wasm')) {
  throw new Error('boot.js: unexpected file names');
}
const { default: init } = await import(new URL(js, import.meta.url).href);
await init({ module_or_path: new URL(wasm, import.meta.url).href });
