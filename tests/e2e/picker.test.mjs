// End to end: adding people where you are. Logging a lecture, a participant who is not
// registered yet is registered inside the picker and picked, without leaving the activity;
// a lecture group's whole membership is one tap.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { phoneForFile, registerWangJianguo } from './harness.mjs';

let server, page, problems;
phoneForFile({}, (p) => ({ server, page, problems } = p));

test('an unknown name is registered inline and the activity saves with him', async () => {
  await registerWangJianguo(page, server.base);
  // A lecture group with 王建国 in it.
  await page.goto(`${server.base}/orgs/new?kind=lecture_group`);
  await page.getByLabel('名称').fill('城关镇宣讲团');
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByLabel('成员搜索').fill('wjg');
  await page.getByRole('button', { name: /王建国/ }).click();
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/orgs\/[0-9a-f-]{36}$/);

  await page.goto(`${server.base}/activities/new`);
  await page.getByLabel('主题').fill('学习二十届四中全会精神');
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByLabel('学校', { exact: true }).check();
  await page.getByLabel('组织单位').selectOption({ label: '城关镇宣讲团' });
  await page.locator('[data-test=add-members]').getByText('添加全部成员（1人）').click();
  await page.locator('.chip', { hasText: '王建国' }).waitFor();
  assert.equal(await page.locator('[data-test=add-members]').count(), 0, 'everyone is picked: no more offer');

  // Nobody called 王明 yet: the picker offers to register him.
  await page.getByLabel('参加人员搜索').fill('王明');
  await page.locator('[data-test=add-person]').getByText('＋ 登记新人员：王明').click();
  const quick = page.locator('[data-test=quick-person]');
  assert.equal(await quick.getByLabel('姓名').inputValue(), '王明');
  await quick.getByRole('button', { name: '登记并加入' }).click();
  await quick.getByText('请选择性别').waitFor();
  await quick.getByLabel('男', { exact: true }).check();
  // Typed on a number pad, which has no "-".
  await quick.getByLabel('出生日期').fill('19500801');
  await quick.getByLabel('乡镇（街道）').fill('城关镇');
  // Enter in the short form does not save the activity around it.
  await quick.getByLabel('出生日期').press('Enter');
  assert.match(page.url(), /\/activities\/new$/);
  await quick.getByRole('button', { name: '登记并加入' }).click();
  await quick.waitFor({ state: 'detached' });
  await page.locator('.chip', { hasText: '王明' }).waitFor();
  // What was typed before is all still there.
  assert.equal(await page.getByLabel('主题').inputValue(), '学习二十届四中全会精神');
  assert.equal(await page.getByLabel('王明 时长（小时）').inputValue(), '2');

  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/log$/);
  await page.locator('.list').getByText('学习二十届四中全会精神').click();
  await page.getByRole('link', { name: '修改' }).click();
  await page.locator('.chip', { hasText: '王明' }).waitFor();
  await page.locator('.chip', { hasText: '王建国' }).waitFor();

  // He is in the registry, with the rest to be filled in later.
  await page.goto(`${server.base}/people`);
  await page.getByRole('link', { name: /王明/ }).click();
  await page.getByRole('heading', { name: '王明' }).waitFor();
  assert.deepEqual(problems, []);
});
