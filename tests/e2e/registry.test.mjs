// End to end: the registry's first slice on a phone-sized screen, through reloads and a
// browser restart, in the release build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchPhone, tempProfile, removeProfile, watch } from './harness.mjs';

let server;
let profile;

before(async () => {
  server = await serveDist();
  profile = await tempProfile();
});

after(async () => {
  await server?.close();
  await removeProfile(profile);
});

const DETAIL = /\/people\/[0-9a-f-]{36}$/;

async function addCadre(page, { name, gender, birth, category, township }) {
  await page.getByRole('link', { name: '人员' }).click();
  await page.getByRole('link', { name: '＋ 登记' }).click();
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel(gender, { exact: true }).check();
  await page.getByLabel('出生日期').fill(birth);
  await page.getByLabel(category, { exact: true }).check();
  await page.getByLabel('乡镇（街道）').fill(township);
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(DETAIL);
  await page.getByRole('heading', { name }).waitFor();
  await page.getByRole('link', { name: '人员' }).click();
}

test('add, edit, delete with undo, and find a cadre after reloads and a restart', async () => {
  let context = await launchPhone(profile);
  let page = context.pages()[0] ?? (await context.newPage());
  const problems = watch(page, server.base);

  await page.goto(`${server.base}/people`);
  // Nobody yet: the list says how to start.
  await page.locator('[data-test=empty-people]').getByText('还没有登记人员').waitFor();

  // A form with mistakes is refused at the fields, and nothing is saved.
  await page.getByRole('link', { name: '＋ 登记' }).click();
  await page.getByLabel('出生日期').fill('2999-01-01');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('请填写姓名').waitFor();
  await page.getByText('出生日期不能晚于今天').waitFor();
  await page.getByText('请选择类别').waitFor();
  await page.getByRole('link', { name: '人员' }).click();
  await page.locator('[data-test=empty-people]').waitFor();

  await addCadre(page, { name: '王建国', gender: '男', birth: '1931-05-04', category: '离休', township: '城关镇' });
  await addCadre(page, { name: '陈淑芬', gender: '女', birth: '1958-11-20', category: '退休', township: '八步街道' });
  await page.getByText('共 2 人').waitFor();

  // Reload: the data is in IndexedDB, not in memory.
  await page.reload();
  await page.getByText('王建国').waitFor();
  await page.getByLabel('搜索').fill('建国');
  await page.getByText('共 1 人').waitFor();
  assert.equal(await page.getByText('陈淑芬').count(), 0);

  // Edit through deep links that survive a reload.
  await page.getByText('王建国').click();
  await page.waitForURL(DETAIL);
  const detailUrl = page.url();
  await page.reload();
  await page.getByRole('link', { name: '编辑' }).click();
  await page.waitForURL(/\/edit$/);
  await page.reload();
  await page.getByLabel('乡镇（街道）').fill('双堰街道');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(detailUrl);
  await page.getByText(/男 · \d+岁 · 双堰街道/).waitFor();

  // Soft delete from the person's page (the form has no 删除), asked once, then undo from
  // the message line.
  await page.goto(`${detailUrl}/edit`);
  await page.getByLabel('姓名').waitFor();
  assert.equal(await page.getByRole('button', { name: '删除' }).count(), 0);
  await page.goto(detailUrl);
  await page.getByRole('button', { name: '删除' }).click();
  await page.getByText('删除这个人的登记？').waitFor();
  await page.getByRole('button', { name: '确定删除' }).click();
  await page.waitForURL(/\/people$/);
  await page.getByText('已删除 王建国').waitFor();
  await page.getByText('共 1 人').waitFor();
  await page.getByRole('button', { name: '撤销' }).click();
  await page.getByText('已恢复 王建国').waitFor();
  await page.getByText('共 2 人').waitFor();

  // The home page counts by category.
  await page.getByRole('link', { name: '首页' }).click();
  assert.equal(await page.locator('[data-test=count-lixiu]').textContent(), '1');
  assert.equal(await page.locator('[data-test=count-tuixiu]').textContent(), '1');

  // Back button works through the router.
  await page.goBack();
  await page.waitForURL(/\/people$/);

  assert.deepEqual(problems, []);
  await context.close();

  // A browser restart on the same profile: everything is still there.
  context = await launchPhone(profile);
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.base}/people`);
  await page.getByText('共 2 人').waitFor();
  await page.getByText(/男 · \d+岁 · 双堰街道/).waitFor();
  await context.close();
});

test('settings keep the office name and default township; the device has an id', async () => {
  const dir = await tempProfile();
  const context = await launchPhone(dir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = watch(page, server.base);
    await page.goto(`${server.base}/settings`);
    const deviceId = await page.locator('[data-test=device-id]').textContent();
    assert.match(deviceId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await page.getByLabel('单位名称').fill('城关镇老干部工作站');
    await page.getByLabel('本机所在乡镇（新登记默认）').fill('城关镇');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('设置已保存').waitFor();

    await page.reload();
    assert.equal(await page.getByLabel('单位名称').inputValue(), '城关镇老干部工作站');
    assert.equal(await page.locator('[data-test=device-id]').textContent(), deviceId);
    await page.goto(`${server.base}/people/new`);
    assert.equal(await page.getByLabel('乡镇（街道）').inputValue(), '城关镇');
    await page.goto(`${server.base}/`);
    await page.getByRole('heading', { name: '城关镇老干部工作站' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await removeProfile(dir);
  }
});
