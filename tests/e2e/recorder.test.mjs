// End to end: 记录人 (who did what). Two volunteers share a township phone: each picks their
// name (in settings; on the lock screen once a PIN is set), and every write carries it. A
// person's page shows who made and changed what; the file carries the names to the county,
// whose report can be narrowed to one volunteer's work; a change that lost to a later one made
// elsewhere stays in the page's history with its maker. One of them sets a PIN of their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { phonesForFile, registerWangJianguo, setLock, watch } from './harness.mjs';

let town;
let county;
let dir;
phonesForFile(2, 'recorder', (m) => ({ phones: [town, county], dir } = m));

async function addRecorder(page, base, name) {
  await page.goto(`${base}/settings`);
  const section = page.locator('[data-test=author-settings]');
  await section.locator('input[name=new-author]').fill(name);
  await section.getByRole('button', { name: '添加', exact: true }).click();
  await page.waitForFunction((n) => document.querySelector('[data-test=author-settings] select[name=author]')?.selectedOptions[0]?.textContent === n, name);
}

/** Logs a clinic through the form (`base`: opened first; `null`: the form is open). */
async function clinic(page, base, theme, audience) {
  if (base) await page.goto(`${base}/activities/new`);
  await page.getByLabel('类型').selectOption({ label: '义诊' });
  await page.getByLabel('主题').fill(theme);
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByLabel('受众/服务人次').fill(String(audience));
  await page.getByRole('button', { name: '保存并继续' }).click();
  await page.getByText(`已保存 ${theme}`).waitFor();
}

async function historyLines(page) {
  const history = page.locator('[data-test=history]');
  await history.locator('summary').click();
  return history.locator('li').allInnerTexts();
}

const WHEN = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d';

test('each write names its 记录人; the person page says who changed what; the county narrows its report to one volunteer', async () => {
  const { page, server } = town;
  const problems = [watch(page, server.base), watch(county.page, county.server.base)];
  await addRecorder(page, server.base, '王芳');
  await registerWangJianguo(page, server.base);
  const personUrl = page.url();
  await clinic(page, server.base, '王芳的义诊', 30);

  await addRecorder(page, server.base, '李明');
  await page.goto(personUrl);
  await page.getByRole('link', { name: '编辑' }).click();
  await page.getByLabel('联系电话').fill('13912345678');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  const lines = await historyLines(page);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0], new RegExp(`^${WHEN} 李明改了联系电话$`));
  assert.match(lines[1], new RegExp(`^${WHEN} 王芳新建了这条记录$`));
  await clinic(page, server.base, '李明的义诊', 80);

  // With a PIN, the lock screen asks who is unlocking; 王芳 picks herself and logs one more.
  await page.goto(`${server.base}/settings`);
  await setLock(page.locator('[data-test=lock-settings]'), '135790');
  await page.locator('[data-test=lock-on]').waitFor();
  await page.goto(`${server.base}/activities/new`);
  const lock = page.locator('[data-test=lock]');
  await lock.locator('select[name=author]').waitFor();
  assert.deepEqual(await lock.locator('select[name=author] option').allInnerTexts(), ['王芳', '李明']);
  await lock.locator('select[name=author]').selectOption('王芳');
  await lock.locator('input[name=secret]').fill('135790');
  await page.getByRole('button', { name: '解锁', exact: true }).click();
  await clinic(page, null, '王芳的第二场义诊', 20);

  // Within the app (a reload would lock it again): 设置 → 导出与导入.
  await page.getByRole('navigation').getByRole('link', { name: '设置' }).click();
  await page.getByRole('link', { name: '导出与导入' }).click();
  await page.getByRole('button', { name: '导出全部数据' }).click();
  await page.locator('[data-test=export-ready]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  const file = join(dir, 'town.txt');
  await download.saveAs(file);

  // At the county: the names came with the file.
  const c = county.page;
  await c.goto(`${county.server.base}/exchange`);
  await c.locator('[data-test=import-file]').setInputFiles(file);
  await c.locator('[data-test=import-confirm]').click();
  await c.getByText(/^已导入/).waitFor();
  await c.goto(personUrl.replace(server.base, county.server.base));
  const there = await historyLines(c);
  assert.match(there[0], new RegExp(`^${WHEN} 李明改了联系电话$`));
  assert.match(there[1], new RegExp(`^${WHEN} 王芳新建了这条记录$`));

  await c.goto(`${county.server.base}/reports`);
  await c.getByLabel('时间范围').selectOption('all');
  const table = c.locator('[data-test=figures]');
  await table.getByRole('cell', { name: '130人次' }).first().waitFor();
  await c.getByLabel('记录人').selectOption('李明');
  await c.locator('[data-test=scope]').getByText(/ · 只算李明录入的$/).waitFor();
  assert.match(await c.locator('[data-test=summary]').inputValue(), /^李明录入的部分：/);
  await table.getByRole('cell', { name: '80人次' }).first().waitFor();
  await c.getByLabel('记录人').selectOption('王芳');
  await table.getByRole('cell', { name: '50人次' }).first().waitFor();
  assert.equal(await table.getByRole('cell', { name: '130人次' }).count(), 0);

  // Both offices change the phone before seeing each other's change: the county's 张三 first,
  // then the township's 王芳. The later write wins; the county's page still tells of 张三's.
  await addRecorder(c, county.server.base, '张三');
  await c.goto(personUrl.replace(server.base, county.server.base));
  await c.getByRole('link', { name: '编辑' }).click();
  await c.getByLabel('联系电话').fill('13700000000');
  await c.getByRole('button', { name: '保存' }).click();
  await c.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  await page.goto(personUrl);
  await lock.locator('select[name=author]').selectOption('王芳');
  await lock.locator('input[name=secret]').fill('135790');
  await page.getByRole('button', { name: '解锁', exact: true }).click();
  await page.getByRole('link', { name: '编辑' }).click();
  await page.getByLabel('联系电话').fill('13600000000');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  await page.getByRole('navigation').getByRole('link', { name: '设置' }).click();
  await page.getByRole('link', { name: '导出与导入' }).click();
  await page.getByRole('button', { name: '导出全部数据' }).click();
  await page.locator('[data-test=export-ready]').waitFor();
  const [again] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  const second = join(dir, 'town-2.txt');
  await again.saveAs(second);
  await c.goto(`${county.server.base}/exchange`);
  await c.locator('[data-test=import-file]').setInputFiles(second);
  await c.locator('[data-test=import-confirm]').click();
  await c.getByText(/^已导入/).waitFor();
  await c.locator('[data-test=conflicts]').getByText(/被覆盖的值：13700000000 · 张三改的/).waitFor();
  await c.goto(personUrl.replace(server.base, county.server.base));
  await c.getByText('13600000000').first().waitFor();
  const after = await historyLines(c);
  assert.match(after[0], new RegExp(`^${WHEN} 王芳改了联系电话$`), after.join('\n'));
  assert.match(after[1], new RegExp(`^${WHEN} 张三改了联系电话，被另一处更晚的修改覆盖（可在“导出与导入”页恢复）$`), after.join('\n'));
  assert.match(after.at(-1), new RegExp(`^${WHEN} 王芳新建了这条记录$`));
  assert.deepEqual(problems.flat(), []);
});

test('a 记录人 with a PIN of their own: the device PIN no longer opens in their name, and switching to them locks', async () => {
  const { page, server } = town;
  const problems = watch(page, server.base);
  const lock = page.locator('[data-test=lock]');
  await page.goto(`${server.base}/settings`);
  await lock.locator('select[name=author]').selectOption('李明');
  assert.equal(await lock.locator('.field-label').last().innerText(), '桑榆的6位数字密码');
  await lock.locator('input[name=secret]').fill('135790');
  await page.getByRole('button', { name: '解锁', exact: true }).click();

  const own = page.locator('[data-test=own-pin]');
  await own.getByRole('button', { name: '给李明设自己的密码' }).click();
  const section = page.locator('[data-test=lock-settings]');
  await section.locator('input[name=new-secret]').fill('246810');
  await section.locator('input[name=new-secret-again]').fill('246810');
  await section.getByRole('button', { name: '保存自己的密码' }).click();
  await page.getByText('李明自己的密码已设置').waitFor();
  await own.getByText('李明有自己的密码').waitFor();

  // 王芳 has none: choosing her keeps the app open. Choosing 李明 again asks for his PIN.
  const pick = page.locator('[data-test=author-settings] select[name=author]');
  await pick.selectOption('王芳');
  await own.getByRole('button', { name: '给王芳设自己的密码' }).waitFor();
  await pick.selectOption('李明');
  await lock.waitFor();
  assert.equal(await lock.locator('select[name=author]').inputValue(), '李明');
  assert.equal(await lock.locator('.field-label').last().innerText(), '李明自己的6位数字密码');
  await lock.locator('input[name=secret]').fill('135790');
  await page.getByRole('button', { name: '解锁', exact: true }).click();
  await lock.locator('[data-test=lock-message]').getByText(/^密码不对/).waitFor();
  await lock.locator('input[name=secret]').fill('246810');
  await page.getByRole('button', { name: '解锁', exact: true }).click();
  await own.getByText('李明有自己的密码').waitFor();
  assert.equal(await pick.inputValue(), '李明');

  // 王芳 still opens with the device's PIN.
  await page.getByRole('button', { name: '立即锁定' }).click();
  await lock.locator('select[name=author]').selectOption('王芳');
  await lock.locator('input[name=secret]').fill('135790');
  await page.getByRole('button', { name: '解锁', exact: true }).click();
  await own.getByRole('button', { name: '给王芳设自己的密码' }).waitFor();
  assert.deepEqual(problems, []);
});
