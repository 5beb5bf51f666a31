// End to end: after one visit the app opens and works with no network, and a new release is
// offered, never forced on a page in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneForFile, registerWangJianguo, watch } from './harness.mjs';

let server, context, page;
phoneForFile({}, (p) => ({ server, context, page } = p));

test('load once, switch the network off, reload: the app opens with its data', async () => {
  const problems = watch(page, server.base);
  await registerWangJianguo(page, server.base);
  const detail = page.url();

  // Once the service worker controls the page, a visit caches what the app uses.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
  await page.goto(`${server.base}/people`);
  await page.getByLabel('搜索').fill('wjg');
  await page.getByText('共 1 人').waitFor();

  await context.setOffline(true);
  await page.reload();
  await page.getByText('王建国').waitFor();
  await page.goto(detail);
  await page.getByRole('heading', { name: '王建国' }).waitFor();
  await page.getByRole('link', { name: '人员' }).click();
  await page.getByLabel('搜索').fill('wjg');
  await page.getByText('共 1 人').waitFor();
  await context.setOffline(false);
  assert.deepEqual(problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED')), []);
});

test('a new release is offered with a reload button, not forced', async () => {
  await page.goto(`${server.base}/people`);
  await page.getByText('王建国').waitFor();
  server.deploy('release-2');
  await page.reload();
  // The cached page opens at once; the notice comes when the new one has been fetched.
  await page.getByText('王建国').waitFor();
  await page.getByText('有新版本').waitFor();
  await page.getByRole('button', { name: '点此刷新' }).click();
  await page.getByText('王建国').waitFor();
  assert.equal(await page.getByText('有新版本').count(), 0);
});
