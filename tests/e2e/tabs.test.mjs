// End to end: two tabs of the app in one browser. A change in one shows in the other
// without a reload (BroadcastChannel), and an upgrade from one never leaves the other
// blocking it (its connection closes on `versionchange` and it asks for a reload).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneForFile, registerWangJianguo, watch } from './harness.mjs';

const phone = phoneForFile();

test('a second tab sees a change made in the first', async () => {
  const { context, page, server } = phone;
  const second = await context.newPage();
  const problems = [watch(page, server.base), watch(second, server.base)];
  await second.goto(`${server.base}/people`);
  await second.locator('[data-test=empty-people]').waitFor();
  await registerWangJianguo(page, server.base);
  await second.locator('.list').getByText('王建国').waitFor();
  assert.deepEqual(problems.flat(), []);
  await second.close();
});

test('a save in another tab never wipes what is being typed here; it is said, and saving keeps it', async () => {
  const { context, page, server } = phone;
  await page.goto(`${server.base}/people`);
  await page.locator('.list').getByText('王建国').click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  const edit = `${page.url()}/edit`;
  await page.goto(edit);
  await page.getByLabel('健康状况').fill('高血压，需定期复查');

  const other = await context.newPage();
  const problems = [watch(page, server.base), watch(other, server.base)];
  await other.goto(edit);
  await other.getByLabel('联系电话').fill('13900000009');
  await other.getByRole('button', { name: '保存' }).click();
  await other.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  await other.close();

  await page.locator('[data-test=changed-elsewhere]').waitFor();
  assert.equal(await page.getByLabel('健康状况').inputValue(), '高血压，需定期复查');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  await page.getByText('高血压，需定期复查').waitFor();
  assert.deepEqual(problems.flat(), []);
});

test('an upgrade in another tab closes this tab\'s connection and asks for a reload', async () => {
  const { context, page, server } = phone;
  await page.goto(`${server.base}/people`);
  await page.locator('.list').getByText('王建国').waitFor();
  const other = await context.newPage();
  await other.goto(`${server.base}/settings`);
  // What a newer release would do: open the database at a higher version.
  const upgraded = await other.evaluate(() => new Promise((ok, fail) => {
    const r = indexedDB.open('sangyu', 99);
    r.onsuccess = () => { r.result.close(); ok(true); };
    r.onerror = () => fail(r.error);
    setTimeout(() => ok(false), 10_000);
  }));
  assert.equal(upgraded, true, 'the upgrade was not blocked by the first tab');
  await page.getByText('桑榆已在另一个标签页升级').waitFor();
  await other.close();
});
