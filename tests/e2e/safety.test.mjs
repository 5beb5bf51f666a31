// End to end: a database the browser emptied is noticed and explained, not shown as a new app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchPhone, tempProfile, removeProfile, watch } from './harness.mjs';

let server;
let profile;
let context;
let page;

before(async () => {
  server = await serveDist();
  profile = await tempProfile();
  context = await launchPhone(profile);
  page = context.pages()[0] ?? (await context.newPage());
});

after(async () => {
  await context?.close();
  await server?.close();
  await removeProfile(profile);
});

test('an evicted database is detected and the user is told', { timeout: 120_000 }, async () => {
  const problems = watch(page, server.base);
  await page.goto(`${server.base}/people/new`);
  await page.getByLabel('姓名').fill('王建国');
  await page.getByLabel('男', { exact: true }).check();
  await page.getByLabel('离休', { exact: true }).check();
  await page.getByLabel('出生日期').fill('1931-05-04');
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  assert.equal(await page.getByRole('alert').filter({ hasText: '数据库是空的' }).count(), 0);

  // What a browser does under storage pressure: the whole database goes.
  await page.evaluate(() => new Promise((ok, fail) => {
    const r = indexedDB.deleteDatabase('sangyu');
    r.onsuccess = ok;
    r.onerror = () => fail(r.error);
    r.onblocked = () => fail(new Error('delete blocked: the app left a connection open'));
  }));
  await page.goto(`${server.base}/`);
  await page.getByText('这台设备之前保存过1次修改').waitFor();
  await page.getByRole('button', { name: '我知道了' }).click();
  await page.reload();
  await page.getByText('在册 0 人').waitFor();
  assert.equal(await page.getByText('这台设备之前保存过').count(), 0);

  // The settings page says whether storage is persistent and how much is used.
  await page.goto(`${server.base}/settings`);
  assert.match(await page.locator('[data-test=persisted]').textContent(), /已开启|未开启|不支持/);
  await page.getByText(/已用 [\d.]+ MB/).waitFor();
  assert.deepEqual(problems, []);
});
