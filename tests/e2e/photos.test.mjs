// End to end: photos of an activity. Pictures picked for a new lecture are downscaled on the
// phone to a 1280-pixel JPEG and a thumbnail, saved with it, shown in the month's list, viewed,
// deleted with undo, kept across a reload; a file that is not a picture is refused. Another
// office gets the photo records in every export, and the JPEGs only when asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { phonesForFile, png, previewRow, watch } from './harness.mjs';

let a;
let b;
let dir;
let problems;

phonesForFile(2, 'photos', (m) => {
  [a, b] = m.phones;
  dir = m.dir;
  problems = [a, b].map((p) => watch(p.page, p.server.base));
});

/** Natural sizes of the images matched by `selector`, once all have loaded. */
async function sizes(page, selector) {
  await page.waitForFunction((s) => {
    const imgs = [...document.querySelectorAll(s)];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, selector);
  return page.$$eval(selector, (imgs) => imgs.map((i) => [i.naturalWidth, i.naturalHeight]));
}

async function exportAll(phone, name, withPhotos) {
  const { page, server } = phone;
  await page.goto(`${server.base}/exchange`);
  if (withPhotos) await page.locator('[data-test=with-photos]').check();
  await page.getByRole('button', { name: '导出全部数据' }).click();
  const ready = page.locator('[data-test=export-ready]');
  await ready.waitFor();
  if (withPhotos) await ready.getByText(/2 张照片/).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  const file = join(dir, name);
  await download.saveAs(file);
  await page.getByText(/已导出 \d+ 条记录/).waitFor();
  return file;
}

test('attach, view, delete with undo, reload, and share photos of a lecture', async () => {
  const { page, server } = a;
  await page.goto(`${server.base}/activities/new`);
  await page.getByLabel('主题').fill('村史馆宣讲');
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByLabel('受众/服务人次').fill('80');

  // Two camera-sized pictures from the gallery, and one file that is no picture at all.
  const gallery = page.locator('[data-test=photo-gallery]');
  await gallery.setInputFiles([
    { name: 'IMG_0001.png', mimeType: 'image/png', buffer: png(2400, 1600, 7) },
    { name: 'IMG_0002.png', mimeType: 'image/png', buffer: png(1200, 1800, 13) },
  ]);
  const unsaved = page.locator('.photo.unsaved img');
  await unsaved.nth(1).waitFor();
  await gallery.setInputFiles([{ name: '通知.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是图片') }]);
  await page.getByText('无法读取图片 通知.jpg：请选用手机拍的 JPG 或 PNG 照片').waitFor();
  assert.equal(await unsaved.count(), 2);
  for (const [w, h] of await sizes(page, '.photo.unsaved img')) assert.ok(Math.max(w, h) === 240, `thumbnail ${w}x${h}`);

  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/log$/);
  await page.getByText('已保存 村史馆宣讲，照片 2 张').waitFor();
  // The month's list shows the first photo beside the lecture.
  const row = page.locator('.list .row', { hasText: '村史馆宣讲' });
  assert.deepEqual(await sizes(page, '.list .row img.thumb'), [[240, 160]]);

  // The lecture's page: both thumbnails; the first opens at 1280 pixels.
  await row.getByText('村史馆宣讲').click();
  const photos = page.locator('[data-test=photos] .photo img');
  await photos.nth(1).waitFor();
  await photos.first().click();
  const viewer = page.locator('[data-test=photo-viewer]');
  assert.deepEqual(await sizes(page, '[data-test=photo-viewer] img'), [[1280, 853]]);
  await viewer.getByRole('button', { name: '关闭' }).click();

  // Delete one, undo, and both are back; reload and they are still there.
  await photos.nth(1).click();
  await viewer.getByRole('button', { name: '删除照片' }).click();
  await page.getByText('已删除 照片').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-test=photos] .photo img').length === 1);
  await page.getByRole('button', { name: '撤销' }).click();
  await page.getByText('已恢复 照片').waitFor();
  await photos.nth(1).waitFor();
  // A caption, kept across a reload.
  await photos.first().click();
  await viewer.getByLabel('照片说明').fill('宣讲现场');
  await viewer.getByRole('button', { name: '保存说明' }).click();
  await page.getByText('已保存照片说明').waitFor();
  await page.reload();
  assert.equal((await sizes(page, '[data-test=photos] .photo img')).length, 2);
  await photos.first().click();
  assert.equal(await viewer.getByLabel('照片说明').inputValue(), '宣讲现场');
  await viewer.getByRole('button', { name: '关闭' }).click();

  // This year's report shows them, captioned, at full size for printing.
  await page.goto(`${server.base}/reports`);
  const shots = page.locator('[data-test=report-photos] figure');
  await shots.nth(1).waitFor();
  assert.match(await shots.first().innerText(), /城关镇 村史馆宣讲 · 宣讲现场/);
  assert.deepEqual((await sizes(page, '[data-test=report-photos] img'))[0], [1280, 853]);

  // An export without photos carries the records only: the other office sees where they go.
  const bare = await exportAll(a, 'bare.jsonl', false);
  assert.doesNotMatch(await readFile(bare, 'utf8'), /"kind":"jpeg"/);
  await b.page.goto(`${b.server.base}/exchange`);
  await b.page.locator('[data-test=import-file]').setInputFiles(bare);
  const preview = b.page.locator('[data-test=import-preview]');
  await preview.waitFor();
  assert.deepEqual(await previewRow(preview, '照片'), ['2', '0', '0', '0', '0', '0']);
  await b.page.locator('[data-test=import-confirm]').click();
  await b.page.getByText(/^已导入/).waitFor();
  await b.page.goto(`${b.server.base}/log`);
  await b.page.locator('.list').getByText('村史馆宣讲').click();
  await b.page.locator('[data-test=photos]').getByText('照片未传到本机').first().waitFor();

  // With photos: the same records, and the two JPEGs the other office lacked.
  const full = await exportAll(a, 'full.jsonl', true);
  assert.equal((await readFile(full, 'utf8')).match(/"kind":"jpeg"/g).length, 2);
  await b.page.goto(`${b.server.base}/exchange`);
  await b.page.locator('[data-test=import-file]').setInputFiles(full);
  await b.page.locator('[data-test=import-photos]').getByText('文件附带照片 2 张，其中本机没有的 2 张。').waitFor();
  await b.page.locator('[data-test=import-confirm]').click();
  await b.page.getByText(/^已导入 .*，照片 2 张$/).waitFor();
  await b.page.goto(`${b.server.base}/log`);
  assert.deepEqual(await sizes(b.page, '.list .row img.thumb'), [[240, 160]]);
  await b.page.locator('.list').getByText('村史馆宣讲').click();
  await b.page.locator('[data-test=photos] .photo img').first().click();
  assert.deepEqual(await sizes(b.page, '[data-test=photo-viewer] img'), [[1280, 853]]);
  assert.equal(await b.page.getByLabel('照片说明').inputValue(), '宣讲现场');

  assert.deepEqual(problems.flat(), []);
});

/** `jpeg` with an EXIF APP1 segment saying the camera was turned (6: rotate 90° to view). */
function withOrientation(jpeg, orientation) {
  const tiff = Buffer.from([
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF, IFD at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation, SHORT
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1]), len, body, jpeg.subarray(2)]);
}

test('a photo taken with the phone turned is stored upright', async () => {
  const { page, server } = a;
  await page.goto(`${server.base}/activities/new`);
  // A 300×100 picture as a camera stores it, with EXIF saying "turn me": 100×300 to view.
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 300;
    c.height = 100;
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#c00';
    ctx.fillRect(0, 0, 150, 100);
    return c.toDataURL('image/jpeg').split(',')[1];
  });
  const turned = withOrientation(Buffer.from(b64, 'base64'), 6);
  await page.locator('[data-test=photo-gallery]').setInputFiles([{ name: 'IMG_0003.jpg', mimeType: 'image/jpeg', buffer: turned }]);
  assert.deepEqual(await sizes(page, '.photo.unsaved img'), [[80, 240]]);
  assert.deepEqual(problems.flat(), []);
});
