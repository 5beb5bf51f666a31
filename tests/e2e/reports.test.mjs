// End to end: import a county shaped like the source article, then read its figures on the
// report page, exactly and in the article's phrasing, with the records behind one of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPhone, watch } from './harness.mjs';
import { exportFile, rng, uuid } from './dataset.mjs';

let phone;
let dir;

before(async () => {
  phone = await openPhone();
  dir = await mkdtemp(join(tmpdir(), 'sangyu-report-'));
});

after(async () => {
  await phone?.close();
  await rm(dir, { recursive: true, force: true });
});

/** 223 lectures since 2021 before 11,150 people (and 3 in 2020), 213 holiday visits of ¥500. */
function articleCounty() {
  const next = rng(2021);
  const cadre = uuid(next);
  const records = [{ kind: 'person', id: cadre, body: { name: '王建国', gender: 'male', birth_date: '1931-05-04', category: 'lixiu', township: '城关镇' } }];
  for (let i = 0; i < 226; i++) {
    const date = i < 3 ? '2020-06-01' : `${2021 + (i % 5)}-0${1 + (i % 9)}-15`;
    records.push({ kind: 'activity', id: uuid(next), body: { kind: 'lecture', theme: '政策宣讲', date, township: '城关镇', sessions: 1, audience: 50, leaflets: 10 } });
  }
  for (let i = 0; i < 213; i++) {
    records.push({ kind: 'benefit', id: uuid(next), body: { kind: 'holiday_visit', person: cadre, date: `${2021 + (i % 5)}-01-20`, amount: 50000 } });
  }
  return exportFile({ device: uuid(next), records });
}

test('a county like the article: the report gives its figures exactly and in its phrasing', async () => {
  const { page, server } = phone;
  const problems = watch(page, server.base);
  const file = join(dir, 'county.jsonl');
  await writeFile(file, articleCounty());
  await page.goto(`${server.base}/exchange`);
  await page.locator('[data-test=import-file]').setInputFiles(file);
  await page.locator('[data-test=import-preview]').waitFor();
  await page.locator('[data-test=import-confirm]').click();
  await page.getByText('已导入 county.jsonl：新增 440 条').waitFor();

  await page.getByRole('link', { name: '报表' }).click();
  await page.getByLabel('时间范围').selectOption('since_2021');
  await page.locator('[data-test=scope]').getByText('2021年以来').waitFor();
  const table = page.locator('[data-test=figures]');
  const row = async (group, measure) =>
    (await table.locator('tr', { has: page.locator('th', { hasText: group }) }).filter({ has: page.getByRole('cell', { name: measure, exact: true }) }).locator('td').allInnerTexts());
  assert.deepEqual(await row('宣讲/宣传', '场次'), ['场次', '223场次', '220余场次']);
  assert.deepEqual(await row('宣讲/宣传', '服务人次'), ['服务人次', '11150人次', '1.1万余人次']);
  assert.deepEqual(await row('走访慰问', '金额'), ['金额', '106,500.00元', '10.65万元']);
  const summary = await page.locator('[data-test=summary]').inputValue();
  assert.match(summary, /^2021年以来，累计开展宣讲\/宣传220余场次，服务群众1\.1万余人次/);

  // The records behind a figure open right under its row, 50 at a time; a second tap closes.
  await table.getByRole('cell', { name: '223场次' }).click();
  const drill = table.locator('tr.drill-rows');
  await drill.getByText('宣讲/宣传 · 场次：223 条记录').waitFor();
  assert.equal(await drill.locator('[data-test=drill] li').count(), 50);
  await drill.getByRole('button', { name: '更多（还有 173 条）' }).click();
  await drill.getByRole('button', { name: '更多（还有 123 条）' }).waitFor();
  assert.equal(await drill.locator('[data-test=drill] li').count(), 100);
  const opened = table.locator('tr.open');
  assert.equal(await opened.locator('td').first().innerText(), '场次');
  await table.getByRole('cell', { name: '223场次' }).click();
  await drill.waitFor({ state: 'detached' });

  // Charts are inline SVG drawn by the app.
  assert.ok((await page.locator('svg.chart rect').count()) > 5);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出表格' }).click()]);
  const csv = await readFile(await download.path(), 'utf8');
  // A plain number and its unit apart: the spreadsheet adds it up.
  assert.match(csv, /\r\n2021年以来,宣讲\/宣传,场次,223,场次,220余场次\r\n/);
  assert.deepEqual(problems, []);
});
