// End to end: the first visit. A welcome that names the office and township and says how
// Sangyu works, keeps the device's data, offers the home screen where the browser does; empty
// lists say what to do next, with the button to do it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneForFile } from './harness.mjs';

let server, page, problems;
phoneForFile({}, (p) => ({ server, page, problems } = p));

test('the first visit welcomes, keeps the data, and is answered once', async () => {
  await page.goto(`${server.base}/`);
  const welcome = page.locator('[data-test=welcome]');
  await welcome.waitFor();
  assert.match(await welcome.innerText(), /没有信号也能用/);
  assert.match(await welcome.innerText(), /定期“导出”留一份备份/);
  // The browser offers to install (Chrome's beforeinstallprompt, simulated so the test does
  // not depend on the browser's own rules for offering it): the button asks its prompt.
  await page.evaluate(() => {
    const offer = new Event('beforeinstallprompt', { cancelable: true });
    offer.prompt = () => {
      window.sangyuPrompted = true;
    };
    window.dispatchEvent(offer);
  });
  await welcome.locator('[data-test=install]').click();
  assert.equal(await page.evaluate(() => window.sangyuPrompted), true);

  await welcome.locator('[data-test=keep-data]').click();
  assert.match(await welcome.locator('[data-test=kept]').innerText(), /已开启|没有开启|不支持/);

  await welcome.getByLabel('单位名称').fill('城关镇老干部工作站');
  await welcome.getByLabel('本机所在乡镇（新登记默认）').fill('城关镇');
  await welcome.locator('[data-test=start]').click();
  await welcome.waitFor({ state: 'detached' });

  await page.reload();
  await page.getByRole('heading', { name: '城关镇老干部工作站' }).waitFor();
  assert.equal(await page.locator('[data-test=welcome]').count(), 0, 'answered once, not shown again');
  assert.deepEqual(problems, []);
});

test('empty lists say what to do next, and their buttons do it', async () => {
  await page.goto(`${server.base}/people`);
  const people = page.locator('[data-test=empty-people]');
  await people.getByRole('link', { name: '从表格导入' }).waitFor();
  await people.getByRole('link', { name: '登记第一位' }).click();
  await page.waitForURL(/\/people\/new$/);
  // The welcome's township is the form's default.
  assert.equal(await page.getByLabel('乡镇（街道）').inputValue(), '城关镇');

  await page.goto(`${server.base}/log`);
  await page.locator('[data-test=empty-log]').getByRole('link', { name: '记录第一次活动' }).click();
  await page.waitForURL(/\/activities\/new$/);

  await page.goto(`${server.base}/orgs`);
  await page.locator('[data-test=empty-orgs]').getByRole('link', { name: /新建/ }).click();
  await page.waitForURL(/\/orgs\/new\?kind=/);
  assert.deepEqual(problems, []);
});

test('a birthday coming up is one tap from its greeting, the form filled in for that person', async () => {
  // A 离休 cadre turning 95 in three days (local date, as the app counts).
  const soon = new Date(Date.now() + 3 * 86_400_000);
  const pad = (n) => String(n).padStart(2, '0');
  const birth = `${soon.getFullYear() - 95}-${pad(soon.getMonth() + 1)}-${pad(soon.getDate())}`;
  await page.goto(`${server.base}/people/new`);
  await page.getByLabel('姓名').fill('刘寿山');
  await page.getByLabel('男', { exact: true }).check();
  await page.getByLabel('离休', { exact: true }).check();
  await page.getByLabel('出生日期').fill(birth);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);

  await page.goto(`${server.base}/`);
  const row = page.locator('li', { hasText: '刘寿山' });
  await row.getByText('95岁').waitFor();
  await row.getByRole('link', { name: '记祝福' }).click();
  await page.waitForURL(/\/benefits\/new\?kind=birthday&person=/);
  await page.locator('.chip', { hasText: '刘寿山' }).waitFor();
  assert.equal(await page.getByLabel('生日祝福', { exact: true }).isChecked(), true);
  assert.deepEqual(problems, []);
});

