// End to end: a database the browser emptied is noticed and explained, not shown as a new app.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { phoneForFile, registerWangJianguo, watch } from './harness.mjs';

let server, context, page;
phoneForFile({}, (p) => ({ server, context, page } = p));

test('an evicted database is detected and the user is told', { timeout: 120_000 }, async () => {
  const problems = watch(page, server.base);
  await registerWangJianguo(page, server.base);
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
  // Saving something new does not make the warning go away by itself.
  await registerWangJianguo(page, server.base);
  await page.goto(`${server.base}/`);
  await page.getByText('这台设备之前保存过1次修改').waitFor();
  await page.getByRole('button', { name: '我知道了' }).click();
  // The acknowledgement is written once the device is read; the warning goes after it.
  await page.getByText('这台设备之前保存过1次修改').waitFor({ state: 'detached' });
  await page.reload();
  await page.getByText('在册 1 人').waitFor();
  assert.equal(await page.getByText('这台设备之前保存过').count(), 0);

  // The settings page says whether storage is persistent and how much is used.
  await page.goto(`${server.base}/settings`);
  assert.match(await page.locator('[data-test=persisted]').textContent(), /已开启|未开启|不支持/);
  await page.getByText(/已用 [\d.]+ MB/).waitFor();
  assert.deepEqual(problems, []);
});
