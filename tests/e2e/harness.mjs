// Shared by the end-to-end tests: serve the built dist on loopback and start Debian's
// Chromium as a phone. New end-to-end tests go in this folder as *.test.mjs.
import { before, after } from 'node:test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { chromium } from 'playwright-core';
import { host } from '../../scripts/host.mjs';

/**
 * Serves `dist` as a user's host would (scripts/host.mjs). `deploy(marker)` makes index.html
 * and sw.js differ from then on, as a new release would; `refuse(pattern)` fails matching
 * requests with 503 until `refuse(null)`.
 */
export async function serveDist(dist = process.env.SANGYU_DIST ?? 'dist') {
  let release = '';
  let refused = null;
  const server = await host(dist, {
    rewrite: (path, body) => {
      if (!release) return body;
      if (path === '/index.html') return Buffer.concat([body, Buffer.from(`<!-- ${release} -->`)]);
      if (path === '/sw.js') return Buffer.concat([body, Buffer.from(`\n// ${release}\n`)]);
      return body;
    },
    refuse: (path) => refused !== null && refused.test(path),
  });
  return {
    base: server.base,
    deploy: (marker) => {
      release = marker;
    },
    refuse: (pattern) => {
      refused = pattern;
    },
    close: server.close,
  };
}

export const PHONE = { width: 390, height: 844 };

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/**
 * A browser profile that persists in `dir`, so a test can close it and start it again.
 * `options` go to Playwright as they are (a user agent, JavaScript off...).
 */
export async function launchPhone(dir, options = {}) {
  // `args` add to the flags root needs (a fake camera's, say); they never replace them.
  const { args = [], ...rest } = options;
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...ARGS, ...args],
    viewport: PHONE,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...rest,
  });
  return context;
}

export async function tempProfile() {
  return mkdtemp(join(tmpdir(), 'sangyu-profile-'));
}

export async function removeProfile(dir) {
  await rm(dir, { recursive: true, force: true });
}

/** Records what the page must never do: break the CSP, throw, or reach past loopback. */
export function watch(page, base) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) {
      problems.push(`request off the origin: ${r.url()}`);
    }
  });
  return problems;
}

/**
 * One phone for a test file: the dist served, a fresh profile, Chromium at 390x844.
 * Use in `before`, and `close()` in `after`.
 */
export async function openPhone(options = {}) {
  const server = await serveDist();
  const profile = await tempProfile();
  const context = await launchPhone(profile, options);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    server,
    context,
    page,
    close: async () => {
      await context.close();
      await server.close();
      await removeProfile(profile);
    },
  };
}

/** Runs `use` on a phone of its own (`openPhone(options)`), closed afterwards whatever happens. */
export async function onPhone(options, use) {
  if (typeof options === 'function') [options, use] = [{}, options];
  const phone = await openPhone(options);
  try {
    return await use(phone);
  } finally {
    await phone.close();
  }
}

/**
 * A phone for a test file's tests: opened before them, closed after them. The object returned
 * is filled in `before` (server, context, page, and problems: what `watch` saw on the page), so
 * tests read it as they run; `take` also hands it to the file's own variables.
 */
export function phoneForFile(options = {}, take = () => {}) {
  const phone = {};
  before(async () => {
    const opened = await openPhone(options);
    Object.assign(phone, opened, { problems: watch(opened.page, opened.server.base) });
    await take(phone);
  });
  after(async () => {
    await phone.close?.();
  });
  return phone;
}

/**
 * Several phones (offices) for a test file's tests, and a folder for the files they exchange:
 * opened before the tests, closed and removed after them. `take` gets `{ phones, dir }` for
 * the file's own variables.
 */
export function phonesForFile(count, tag, take = () => {}) {
  const made = { phones: [], dir: '' };
  before(async () => {
    made.phones = await Promise.all(Array.from({ length: count }, () => openPhone()));
    made.dir = await mkdtemp(join(tmpdir(), `sangyu-${tag}-`));
    await take(made);
  });
  after(async () => {
    for (const p of made.phones) await p?.close();
    if (made.dir) await rm(made.dir, { recursive: true, force: true });
  });
  return made;
}

/** What the build wrote about its files (scripts/dist.mjs): version, eager, lazy, sizes. */
export async function buildInfo(dist = process.env.SANGYU_DIST ?? 'dist') {
  return JSON.parse(await readFile(join(dist, 'build.json'), 'utf8'));
}

/**
 * Resolves once the service worker has cached every file of this release, the office pages'
 * chunks included (they arrive in the background after the first load).
 */
export async function cachedWhole(page, build, timeout = 60_000) {
  const want = [...build.precache, ...build.lazy];
  const deadline = Date.now() + timeout;
  for (;;) {
    const missing = await page.evaluate(async ({ name, want }) => {
      const cache = await caches.open(name);
      const have = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
      return want.filter((u) => !have.has(u));
    }, { name: `sangyu-app-${build.version}`, want });
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`not cached after ${timeout} ms: ${missing.join(', ')}`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

/**
 * Opens the exchange page and picks `file` to import (written first with `text`, if given):
 * the preview, or the refusal, follows.
 */
export async function pickFile(page, base, file, text) {
  if (text !== undefined) await writeFile(file, text);
  await page.goto(`${base}/exchange`);
  await page.locator('[data-test=import-file]').setInputFiles(file);
}

/** The 离休 cadre 王建国, as `fillPerson` takes him. */
export const WANG = { name: '王建国', gender: '男', category: '离休', birth: '1931-05-04', township: '城关镇' };

/**
 * Fills the open person form: name, gender and category (by their labels), birth date and
 * township, and the phone, ID number and health where given.
 */
export async function fillPerson(page, p) {
  await page.getByLabel('姓名').fill(p.name);
  await page.getByLabel(p.gender, { exact: true }).check();
  await page.getByLabel(p.category, { exact: true }).check();
  await page.getByLabel('出生日期').fill(p.birth);
  await page.getByLabel('乡镇（街道）').fill(p.township);
  if (p.phone) await page.getByLabel('联系电话').fill(p.phone);
  if (p.id) await page.getByLabel('身份证号（选填）').fill(p.id);
  if (p.health) await page.getByLabel('健康状况').fill(p.health);
}

/**
 * A field refused, then mended: types `bad` into the field labelled `label`, saves, waits for
 * the field's `message`, types `good` and saves again.
 */
export async function mendOnce(page, label, bad, message, good) {
  const field = page.getByLabel(label);
  const save = page.getByRole('button', { name: '保存', exact: true });
  await field.fill(bad);
  await save.click();
  await page.getByText(message).waitFor();
  await field.fill(good);
  await save.click();
}

/** Registers the 离休 cadre 王建国 through the form; resolves on his detail page. */
export async function registerWangJianguo(page, base) {
  await page.goto(`${base}/people/new`);
  await fillPerson(page, WANG);
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
}

/**
 * A kind's row of the import preview as 新增, 更新, 删除, 无变化, 冲突, 暂缓: a column the
 * preview leaves out (no kind has any) reads '0'.
 */
export async function previewRow(preview, kind) {
  const heads = await preview.locator('thead th').allInnerTexts();
  const cells = await preview.locator('tr', { hasText: kind }).locator('td').allInnerTexts();
  const shown = Object.fromEntries(heads.slice(1).map((h, i) => [h, cells[i]]));
  return ['新增', '更新', '删除', '无变化', '冲突', '暂缓'].map((h) => shown[h] ?? '0');
}

/** Imports `file` on `phone` through the exchange page's picker, confirmed. */
export async function importPicked(phone, file) {
  const { page, server } = phone;
  await page.goto(`${server.base}/exchange`);
  await page.locator('[data-test=import-file]').setInputFiles(file);
  await page.locator('[data-test=import-confirm]').click();
  await page.getByText(/^已导入/).waitFor();
}

/** Every stored record of every kind, by id, without the local write sequence. */
export async function stores(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('sangyu');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const names = ['people', 'orgs', 'places', 'activities', 'benefits', 'cases', 'feedback', 'rooms', 'duties', 'photos'];
    const out = {};
    for (const name of names) {
      const rows = await new Promise((ok, fail) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      out[name] = rows.map(({ seq, ...rest }) => JSON.stringify(rest)).sort();
    }
    db.close();
    return out;
  });
}

/** The preview table's cells, row by row. */
export async function previewRows(page) {
  const preview = page.locator('[data-test=import-preview]');
  await preview.waitFor();
  return preview.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.innerText));
}

/**
 * Sets 本机密码 in a lock section (`[data-test=lock-settings]`, on the settings page or in an
 * import's preview): `secret` typed twice, then 下一步; returns the recovery code, shown once,
 * after confirming it was written down.
 */
export async function setLock(section, secret) {
  await section.locator('[data-test=set-lock]').click();
  await section.locator('input[name=new-secret]').fill(secret);
  await section.locator('input[name=new-secret-again]').fill(secret);
  await section.getByRole('button', { name: '下一步' }).click();
  const code = (await section.locator('[data-test=recovery-code]').innerText()).trim();
  await section.locator('[data-test=confirm-code]').click();
  return code;
}

/** A `width`×`height` RGB PNG with a pattern, like a camera picture but made here. */
export function png(width, height, seed) {
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * row + 1 + x * 3;
      raw[i] = (x * seed) & 255;
      raw[i + 1] = (y * 3) & 255;
      raw[i + 2] = ((x ^ y) * seed) & 255;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
