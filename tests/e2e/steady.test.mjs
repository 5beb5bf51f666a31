// End to end, on a 360x740 phone: a record book that forgives unsteady hands. A record opens
// read-only and 删除 asks once; recording a visit from 待办 says which round it counts for and
// comes back to that round's list with the person gone; going back keeps the search, the filters,
// the report's period and the log's month; what was sent and received stays on the exchange page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { phoneForFile, registerWangJianguo } from './harness.mjs';
import { exportFile, uuid, rng } from './dataset.mjs';

const phone = phoneForFile({ viewport: { width: 360, height: 740 } });
let dir;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sangyu-steady-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An ISO date `days` from today, in this phone's own time. */
async function dayFromToday(page, days) {
  return page.evaluate((d) => {
    const t = new Date(Date.now() + d * 86_400_000);
    return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
  }, days);
}

test('a record opens read-only; 删除 asks once, and 不删 keeps it', async () => {
  const { page, server, problems } = phone;
  await registerWangJianguo(page, server.base);
  await page.goto(`${server.base}/activities/new`);
  await page.getByLabel('主题').fill('防汛知识宣讲');
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByLabel('受众/服务人次').fill('60');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/log$/);

  await page.locator('.list').getByText('防汛知识宣讲').click();
  const view = page.locator('[data-test=record-view]');
  await view.getByText('60').waitFor();
  assert.equal(await page.getByLabel('主题').count(), 0, 'no input on the record as opened');
  // 修改 at the top, 删除 apart at the foot: not neighbours a shaking thumb confuses.
  const edit = await page.getByRole('link', { name: '修改' }).boundingBox();
  const del = await page.getByRole('button', { name: '删除' }).boundingBox();
  assert.ok(del.y - (edit.y + edit.height) > 100, `修改 and 删除 apart (${edit.y}, ${del.y})`);

  await page.getByRole('button', { name: '删除' }).click();
  await page.getByText('删除这条活动记录？').waitFor();
  await page.getByRole('button', { name: '不删' }).click();
  assert.equal(await page.getByRole('button', { name: '确定删除' }).count(), 0);
  assert.match(page.url(), /\/activities\/[0-9a-f-]{36}/, 'still on the record');

  await page.getByRole('button', { name: '删除' }).click();
  await page.getByRole('button', { name: '确定删除' }).click();
  await page.waitForURL(/\/log$/);
  await page.getByText('已删除 防汛知识宣讲').waitFor();
  assert.equal(await page.locator('.list').getByText('防汛知识宣讲').count(), 0);
  assert.deepEqual(problems, []);
});

test('a visit recorded from 待办 counts for the round shown, and the list comes back without the person', async () => {
  const { page, server, problems } = phone;
  // This device is 城关镇's: 待办 opens on its own township.
  await page.goto(`${server.base}/due`);
  await page.evaluate(() => localStorage.setItem('sangyu.settings', JSON.stringify({ township: '城关镇', welcomed: true })));
  await page.reload();
  // Its choices arrive with the roster: read the choice once they are there.
  const town = page.locator('[data-test=due-township]');
  await town.locator('option[value="城关镇"]').waitFor({ state: 'attached' });
  // The choice is set again once the choices are drawn (RecordSelect's effect, a task later).
  await page.waitForFunction(() => document.querySelector('[data-test=due-township]')?.value === '城关镇', null, { timeout: 5000 }).catch(() => {});
  assert.equal(await town.inputValue(), '城关镇');
  // A round of the office's own around today, so the visit can fall inside it.
  await page.locator('[data-test=name-campaign]').click();
  const form = page.locator('[data-test=campaign-form]');
  await form.getByLabel('名称').fill('冬季走访');
  await form.getByLabel('开始日期').fill(await dayFromToday(page, -10));
  await form.getByLabel('结束日期').fill(await dayFromToday(page, 10));
  await form.getByRole('button', { name: '保存这一轮' }).click();
  const due = (text) => page.locator('[data-test=visits-due]', { hasText: text });
  await due('冬季走访尚未走访慰问（1人）').waitFor();
  assert.match(page.url(), /round=/, 'the round is in the address');

  await page.locator('li', { hasText: '王建国' }).getByRole('link', { name: '记走访' }).click();
  await page.locator('[data-test=round]').getByText(/^记录「冬季走访」走访慰问（\d+月\d+日至\d+月\d+日）$/).waitFor();
  assert.equal(await page.locator('[data-test=outside-round]').count(), 0, 'today is inside the round');
  // A date outside the round is said before saving; back inside, the warning goes.
  const date = page.getByLabel('日期');
  await date.fill(await dayFromToday(page, -30));
  await page.locator('[data-test=outside-round]').getByText(/不算这一轮的走访/).waitFor();
  await date.fill(await dayFromToday(page, 0));
  await page.locator('[data-test=outside-round]').waitFor({ state: 'detached' });
  await page.getByLabel('金额（元）').fill('500');
  await page.getByRole('button', { name: '保存', exact: true }).click();

  await page.waitForURL(/\/due\?round=.*township=/);
  await town.locator('option[value="城关镇"]').waitFor({ state: 'attached' });
  // The choice is set again once the choices are drawn (RecordSelect's effect, a task later).
  await page.waitForFunction(() => document.querySelector('[data-test=due-township]')?.value === '城关镇', null, { timeout: 5000 }).catch(() => {});
  assert.equal(await town.inputValue(), '城关镇');
  assert.equal(await page.locator('[data-test=campaign] option:checked').innerText(), '冬季走访');
  await due('冬季走访尚未走访慰问（0人）').waitFor();
  assert.deepEqual(problems, []);
});

test('going back keeps the search and filters, the report\'s period and the log\'s month', async () => {
  const { page, server, problems } = phone;
  // The people search and a filter survive opening a person and coming back.
  await page.goto(`${server.base}/people`);
  await page.getByLabel('搜索').fill('wjg');
  await page.getByRole('button', { name: /筛选/ }).click();
  await page.getByLabel('类别').selectOption('lixiu');
  await page.getByText('共 1 人').waitFor();
  await page.locator('.list').getByText('王建国').click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  await page.goBack();
  await page.getByText('共 1 人').waitFor();
  assert.equal(await page.getByLabel('搜索').inputValue(), 'wjg');
  assert.equal(await page.getByLabel('类别').inputValue(), 'lixiu');
  // And after a reload.
  await page.reload();
  assert.equal(await page.getByLabel('搜索').inputValue(), 'wjg');

  // The report stays on 2021年以来 after leaving it and coming back.
  await page.goto(`${server.base}/reports`);
  await page.getByLabel('时间范围').selectOption('since_2021');
  await page.locator('[data-test=scope]').getByText(/^2021年以来（截至\d+年\d+月\d+日）/).waitFor();
  await page.getByRole('link', { name: '人员' }).click();
  await page.goBack();
  await page.locator('[data-test=scope]').getByText(/^2021年以来/).waitFor();
  assert.equal(await page.getByLabel('时间范围').inputValue(), 'since_2021');

  // The log: last month's record deleted from its page lands back on last month.
  const lastMonth = await page.evaluate(() => {
    const t = new Date();
    const d = new Date(t.getFullYear(), t.getMonth() - 1, 15);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-15`;
  });
  await page.goto(`${server.base}/activities/new`);
  await page.getByLabel('主题').fill('上月的宣讲');
  await page.getByLabel('日期').fill(lastMonth);
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/log$/);
  await page.getByRole('button', { name: '上个月' }).click();
  const month = await page.locator('[data-test=month]').innerText();
  await page.locator('.list').getByText('上月的宣讲').click();
  await page.getByRole('button', { name: '删除' }).click();
  await page.getByRole('button', { name: '确定删除' }).click();
  await page.waitForURL(/\/log\?month=/);
  assert.equal(await page.locator('[data-test=month]').innerText(), month);
  assert.deepEqual(problems, []);
});

test('the exchange page keeps what was sent and received, and says where a saved file went', async () => {
  const { page, server, problems } = phone;
  await page.goto(`${server.base}/exchange`);
  await page.getByRole('button', { name: '导出全部数据' }).click();
  await page.locator('[data-test=export-ready]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  await page.getByText(/已导出 \d+ 条记录/).waitFor();

  const next = rng(8);
  const file = join(dir, '河口乡的文件.txt');
  await writeFile(file, exportFile({
    office: '河口乡老干部工作站',
    device: uuid(next),
    records: [{ kind: 'person', id: uuid(next), body: { name: '李秀兰', gender: 'female', birth_date: '1940-02-02', category: 'widow', township: '河口乡' } }],
  }));
  await page.locator('[data-test=import-file]').setInputFiles(file);
  await page.locator('[data-test=import-confirm]').click();
  await page.getByText(/^已导入/).waitFor();

  // Long after the message has gone, and after a reload, the history says both.
  await page.reload();
  const history = page.locator('[data-test=exchange-history] li');
  await history.first().waitFor();
  const rows = await history.allInnerTexts();
  assert.match(rows[0], /导入：河口乡的文件\.txt[\s\S]*河口乡老干部工作站 · 新增 1 条/);
  assert.match(rows[1], new RegExp(`导出：${download.suggestedFilename().replace(/[.()]/g, '\\$&')}[\\s\\S]*已保存到手机的“下载”（Download）文件夹`));
  assert.deepEqual(problems, []);
});
