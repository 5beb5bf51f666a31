// End to end: face to face with no network. Phone A shows a township's week as QR codes; its
// frames, taken from the screen's canvas, become phone B's camera (Chromium plays an MJPEG
// file as the camera: the browser's own interface, nothing in the app); B previews and
// stores exactly what phone C does from the same export as a file. Again with the frames
// shuffled, doubled, a fifth dropped and another transfer's frames mixed in; and with the
// camera refused, which is explained.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cameraPhone, captureFrames, mjpeg, standInBarcodeDetector } from './camera.mjs';
import { importPicked, onPhone, openPhone, pickFile, previewRows, stores, watch } from './harness.mjs';
import { rng, townshipWeek, uuid } from './dataset.mjs';

let a;
let c;
let dir;
let week;
let saved;

before(async () => {
  [a, c] = await Promise.all([openPhone(), openPhone()]);
  dir = await mkdtemp(join(tmpdir(), 'sangyu-qr-'));
});

after(async () => {
  await a?.close();
  await c?.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * B scans until the preview shows; its rows, its stores once imported, and where the pictures
 * were searched (`worker`: the scanner's worker was fetched and the page searched none itself).
 */
async function scanAndImport(phone, refused = null) {
  const { page, server } = phone;
  const problems = watch(page, server.base);
  if (refused) server.refuse(refused);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  // The roster first, as the county had it before the week.
  await importPicked(phone, join(dir, 'roster.jsonl'));
  // Every progress line the page shows, kept by the browser as it changes.
  await page.addInitScript(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const s = document.querySelector('[data-test=scan-status]')?.textContent;
      if (s && s !== window.__progress.at(-1)) window.__progress.push(s);
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto(`${server.base}/exchange`);
  await page.locator('[data-test=scan-import]').click();
  await page.waitForURL(/\/exchange\/scan$/);
  await page.locator('[data-test=import-preview]').waitFor({ timeout: 120_000 });
  assert.match(page.url(), /\/exchange$/);
  const seen = (await page.evaluate(() => window.__progress)).map((s) => s.match(/已收到 (\d+)%/)).filter(Boolean);
  assert.ok(seen.length > 0, 'a progress line was shown');
  const percents = seen.map((m) => Number(m[1]));
  assert.deepEqual(percents, [...percents].sort((x, y) => x - y), 'progress only goes up');
  // The camera is off once the page is left.
  assert.equal(await page.evaluate(() => document.querySelectorAll('video').length), 0);
  const rows = await previewRows(page);
  await page.locator('[data-test=import-confirm]').click();
  await page.getByText(/^已导入 扫码收到的数据（\d+ 个画面）：新增 25 条/).waitFor();
  // A refused file is reported by the browser as it loads; nothing else may be.
  assert.deepEqual(problems.filter((p) => !(refused && /503/.test(p))), []);
  const here = await page.evaluate(() => performance.getEntriesByName('sangyu-scan-here').length);
  const worker = fetched.some((p) => p.endsWith('/qr_read_bg.wasm')) && here === 0;
  return { rows, stored: await stores(page), worker, here };
}

test('a week shown as QR codes on one phone is read by the other camera and imports as the file does', async () => {
  ({ week } = await townshipWeek(dir, { seed: 11, people: 8, device: uuid(rng(2)) }));
  for (const phone of [a, c]) await importPicked(phone, join(dir, 'roster.jsonl'));
  const { page, server } = a;
  const problems = watch(page, server.base);
  await page.goto(`${server.base}/exchange`);
  await page.getByRole('button', { name: '导出全部数据' }).click();
  await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  await page.getByText(/^已导出/).waitFor();
  await importPicked(a, week);

  // The week only, as a file for C and as codes for B.
  await page.goto(`${server.base}/exchange`);
  await page.getByRole('button', { name: '只导出新修改' }).click();
  await page.locator('[data-test=export-ready]').getByText(/（25 条记录）/).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  saved = join(dir, 'a-week.txt');
  await download.saveAs(saved);
  await page.locator('[data-test=send-qr]').click();
  await page.waitForURL(/\/exchange\/qr$/);
  await page.locator('[data-test=qr-rate]').selectOption('10');
  const status = page.locator('[data-test=qr-status]');
  await status.getByText(/共 25 条记录/).waitFor();
  const fragments = Number(await status.getAttribute('data-fragments'));
  assert.ok(fragments >= 5 && fragments <= 30, `${fragments} fragments for a week`);
  const frames = await captureFrames(page, fragments * 3);

  // 对方已收到 ends the showing, and the export counts as sent.
  await page.locator('[data-test=qr-received]').click();
  await page.waitForURL(/\/exchange$/);
  await page.getByText(/^已导出 25 条记录：.*（已面对面传出）$/).waitFor();

  // C: the file.
  await pickFile(c.page, c.server.base, saved);
  const fileRows = await previewRows(c.page);
  await c.page.locator('[data-test=import-confirm]').click();
  await c.page.getByText(/^已导入/).waitFor();
  const byFile = await stores(c.page);

  // B: the codes in the order shown.
  const inOrder = await mjpeg(join(dir, 'in-order.mjpeg'), frames, 3);
  const b = await onPhone(cameraPhone(inOrder), (phone) => scanAndImport(phone));
  assert.deepEqual(b.rows, fileRows);
  assert.deepEqual(b.stored, byFile);
  assert.ok(b.worker, 'the pictures were searched by the worker, not the page');

  // A worker that cannot load (its script refused): the page searches the pictures itself.
  const fallback = await onPhone(cameraPhone(inOrder), (phone) => scanAndImport(phone, /qr_worker\.js$/));
  assert.deepEqual(fallback.stored, byFile);
  assert.ok(fallback.here > 0, 'the page searched the pictures');

  // Chrome on Android reads codes itself (BarcodeDetector): the page uses it, and searches
  // no picture of its own.
  const native = await onPhone(cameraPhone(inOrder), async (phone) => {
    await standInBarcodeDetector(phone.context);
    const got = await scanAndImport(phone);
    const used = await phone.page.evaluate(() => ({
      detections: window.__detections,
      searched: performance.getEntriesByName('sangyu-scan').length,
    }));
    assert.ok(used.detections > 0, 'the browser\'s reader was asked');
    assert.equal(used.searched, 0, 'no picture taken or searched by the page itself');
    return got;
  });
  assert.deepEqual(native.rows, fileRows);
  assert.deepEqual(native.stored, byFile);

  // Shuffled, some doubled, a fifth dropped, and frames of another export among them.
  await page.goto(`${server.base}/exchange`);
  await page.getByRole('button', { name: '导出全部数据' }).click();
  await page.locator('[data-test=export-ready]').waitFor();
  await page.locator('[data-test=send-qr]').click();
  await page.waitForURL(/\/exchange\/qr$/);
  await page.locator('[data-test=qr-rate]').selectOption('10');
  const other = await captureFrames(page, 6);
  const next = rng(5);
  const mixed = frames
    .filter((_, i) => i % 5 !== 2)
    .flatMap((f, i) => (i % 4 === 0 ? [f, f] : [f]))
    .concat(other)
    .map((f) => [next(), f])
    .sort((x, y) => x[0] - y[0])
    .map(([, f]) => f);
  const messy = await mjpeg(join(dir, 'messy.mjpeg'), mixed, 3);
  const b2 = await onPhone(cameraPhone(messy), (phone) => scanAndImport(phone));
  assert.deepEqual(b2.rows, fileRows);
  assert.deepEqual(b2.stored, byFile);

  assert.deepEqual(problems, []);
});

test('a refused camera is explained, with how to allow it', async () => {
  const file = join(dir, 'in-order.mjpeg');
  await onPhone(cameraPhone(file, false), async ({ page, server }) => {
    await page.goto(`${server.base}/exchange/scan`);
    const problem = page.locator('[data-test=scan-problem]');
    await problem.waitFor();
    assert.match(await problem.innerText(), /没有得到使用摄像头的许可.*允许使用摄像头/s);
  });
});
