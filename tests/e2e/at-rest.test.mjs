// End to end: with 本机密码 set, a person's ID number, phone and health, and an activity's
// photos, are stored sealed: the browser profile's files on disk hold none of them (searched
// byte by byte, text as UTF-8 and as UTF-16, photos by runs of their JPEG bytes), where without
// a lock they do. A photo taken before the lock was set is sealed after it. Setting the lock seals what is already stored in one
// transaction: a tab closed while it runs reopens with every record readable, sealed or not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fillPerson, launchPhone, png, removeProfile, serveDist, setLock, tempProfile, watch, WANG } from './harness.mjs';

const PHONE_NO = '13912345678';
const ID = '520424193105040016';
const HEALTH = '冠心病术后需定期复查';

/** Every file under `dir`, with each secret found in it as UTF-8 or UTF-16 bytes. */
async function hits(dir, secrets) {
  const found = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    let bytes;
    try {
      bytes = await readFile(path);
    } catch {
      continue; // a lock file or socket Chromium left
    }
    for (const secret of secrets) {
      for (const encoding of ['utf8', 'utf16le']) {
        if (bytes.includes(Buffer.from(secret, encoding))) found.push(`${secret} (${encoding}) in ${path.slice(dir.length)}`);
      }
    }
  }
  return found;
}

async function unlock(page, pin) {
  await page.locator('[data-test=lock] input[name=secret]').fill(pin);
  await page.getByRole('button', { name: '解锁', exact: true }).click();
}

/** 48-byte runs from the middle of the thumbnail and the JPEG the app stored for a lecture's
 * photo (it re-encodes what it is given), read from the page's database. */
async function photoRuns(page, base) {
  await page.goto(`${base}/activities/new`);
  await page.getByLabel('主题').fill('村史馆宣讲');
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByLabel('受众/服务人次').fill('80');
  await page.locator('[data-test=photo-gallery]').setInputFiles([{ name: 'IMG_0001.png', mimeType: 'image/png', buffer: png(1600, 1200, 7) }]);
  await page.locator('.photo.unsaved img').waitFor();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('已保存 村史馆宣讲，照片 1 张').waitFor();
  await page.locator('.list .row', { hasText: '村史馆宣讲' }).getByText('村史馆宣讲').click();
  await page.locator('[data-test=photos] .photo img').waitFor();
  // As stored (no lock yet: blobs); the page's CSP lets no script fetch a blob: address.
  const runs = await page.evaluate(async () => {
    const db = await new Promise((ok) => {
      const r = indexedDB.open('sangyu');
      r.onsuccess = () => ok(r.result);
    });
    const [row] = await new Promise((ok) => {
      const g = db.transaction('photo_files').objectStore('photo_files').getAll();
      g.onsuccess = () => ok(g.result);
    });
    db.close();
    const run = async (blob) => {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const at = bytes.length >> 1;
      return Array.from(bytes.subarray(at, at + 48));
    };
    return [await run(row.thumb), await run(row.jpeg)];
  });
  return runs.map((r) => Buffer.from(r));
}

/** Whether every stored photo file is sealed (the lock's sweep has finished). */
function photosSealed(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok) => {
      const r = indexedDB.open('sangyu');
      r.onsuccess = () => ok(r.result);
    });
    const rows = await new Promise((ok) => {
      const g = db.transaction('photo_files').objectStore('photo_files').getAll();
      g.onsuccess = () => ok(g.result);
    });
    db.close();
    return rows.length > 0 && rows.every((r) => r.sealed_jpeg && !r.jpeg);
  });
}

/** A lecture with a photo (before any lock), then (`pin`) a lock, then a person with the
 * secrets, added through the form. The profile's directory, and the photo's byte runs. */
async function profileAfterAdding(pin) {
  const server = await serveDist();
  const dir = await tempProfile();
  const context = await launchPhone(dir);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = watch(page, server.base);
  let runs;
  try {
    runs = await photoRuns(page, server.base);
    if (pin) {
      await page.goto(`${server.base}/settings`);
      await setLock(page.locator('[data-test=lock-settings]'), pin);
      await page.locator('[data-test=lock-on]').waitFor();
      // The photo stored before the lock is sealed just after it, in the background.
      for (let i = 0; i < 100 && !(await photosSealed(page)); i++) await page.waitForTimeout(100);
      assert.ok(await photosSealed(page), 'the photo stored before the lock got sealed');
    }
    await page.goto(`${server.base}/people/new`);
    if (pin) await unlock(page, pin);
    await fillPerson(page, { ...WANG, phone: PHONE_NO, id: ID, health: HEALTH });
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
    await page.getByText(PHONE_NO).waitFor();
    await page.getByText(HEALTH).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
  if (pin) {
    // The photo's plain files, replaced by sealed bytes, are deleted by Chromium itself once no
    // page holds them (a moment later, or at its next start if it was closed first): the
    // phone's browser opened once more, as the next day's work would.
    const again = await launchPhone(dir);
    const next = again.pages()[0] ?? (await again.newPage());
    await next.goto(server.base);
    await next.locator('[data-test=lock]').waitFor();
    await next.waitForTimeout(1000);
    await again.close();
  }
  await server.close();
  return { dir, runs };
}

/** Every file under `dir` holding one of the byte runs. */
async function byteHits(dir, runs) {
  const found = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const bytes = await readFile(path).catch(() => Buffer.alloc(0));
    runs.forEach((run, i) => bytes.includes(run) && found.push(`${['thumbnail', 'JPEG'][i]} in ${path.slice(dir.length)}`));
  }
  return found;
}

test('with a PIN, no file of the browser profile holds the ID number, phone, health or photo; without one they are there', async () => {
  const plain = await profileAfterAdding(null);
  try {
    const found = await hits(plain.dir, [ID, PHONE_NO, HEALTH]);
    assert.ok(found.some((h) => h.startsWith(ID)) && found.some((h) => h.startsWith(PHONE_NO)), `without a lock the search finds them: ${found}`);
    const photos = await byteHits(plain.dir, plain.runs);
    assert.ok(photos.some((h) => h.startsWith('JPEG')), `without a lock the photo's bytes are on disk: ${photos}`);
  } finally {
    await removeProfile(plain.dir);
  }
  const sealed = await profileAfterAdding('135790');
  try {
    assert.deepEqual(await hits(sealed.dir, [ID, PHONE_NO, HEALTH]), []);
    assert.deepEqual(await byteHits(sealed.dir, sealed.runs), []);
    assert.ok((await hits(sealed.dir, [WANG.name])).length > 0, 'names stay plain for lists and search (the files were searched)');
  } finally {
    await removeProfile(sealed.dir);
  }
});

/** The people store as stored: how many objects, how many sealed, and whether a lock is set. */
function rawState(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('sangyu');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const get = (store, key) => new Promise((ok, fail) => {
      const r = key === undefined ? db.transaction(store).objectStore(store).getAll() : db.transaction(store).objectStore(store).get(key);
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const people = await get('people');
    const lock = await get('meta', 'lock');
    db.close();
    return { people: people.length, sealed: people.filter((p) => typeof p.sealed === 'string' && p.body.phone === undefined).length, lock: lock !== undefined };
  });
}

test('a tab closed while a new lock seals 3,000 people reopens with every one readable, all sealed or none', async () => {
  const server = await serveDist();
  const dir = await tempProfile();
  const context = await launchPhone(dir);
  try {
    let page = context.pages()[0] ?? (await context.newPage());
    const rows = Array.from({ length: 3000 }, (_, i) => `人员${i + 1},男,1950-01-${String((i % 28) + 1).padStart(2, '0')},退休,城关镇,139${String(i).padStart(8, '0')}`);
    const file = { name: '名册.csv', mimeType: 'text/csv', buffer: Buffer.from(`姓名,性别,出生日期,类别,乡镇,联系电话\n${rows.join('\n')}\n`) };
    await page.goto(`${server.base}/people/import`);
    await page.locator('[data-test=roster-file]').setInputFiles(file);
    await page.locator('[data-test=roster-confirm]').click();
    await page.getByText('已从 名册.csv 导入 3000 人').waitFor();
    assert.deepEqual(await rawState(page), { people: 3000, sealed: 0, lock: false });

    await page.goto(`${server.base}/settings`);
    const section = page.locator('[data-test=lock-settings]');
    await section.locator('[data-test=set-lock]').click();
    await section.locator('input[name=new-secret]').fill('135790');
    await section.locator('input[name=new-secret-again]').fill('135790');
    await section.getByRole('button', { name: '下一步' }).click();
    await section.locator('[data-test=recovery-code]').waitFor();
    await section.locator('[data-test=confirm-code]').click();
    await page.close({ runBeforeUnload: false });

    page = await context.newPage();
    await page.goto(`${server.base}/people`);
    const state = await rawState(page);
    assert.equal(state.people, 3000);
    assert.equal(state.sealed, state.lock ? 3000 : 0, `all sealed with the lock, or none without it: ${JSON.stringify(state)}`);
    if (state.lock) await unlock(page, '135790');
    await page.getByText('共 3000 人').waitFor();
    await page.getByLabel('搜索').fill('人员2999');
    await page.locator('.list').getByText('人员2999', { exact: true }).click();
    await page.getByText('13900002998').waitFor();
    console.log(`closed during sealing: reopened ${state.lock ? 'locked, every record sealed' : 'without a lock, every record plain'}`);
  } finally {
    await context.close();
    await server.close();
    await removeProfile(dir);
  }
});
