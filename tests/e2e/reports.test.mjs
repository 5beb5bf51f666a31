// End to end: import a county shaped like the source article, then read its figures on the
// report page, exactly and in the article's phrasing, with the records behind one of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { phoneForFile, watch, pickFile } from './harness.mjs';
import { exportFile, rng, uuid } from './dataset.mjs';

const phone = phoneForFile();
let dir;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sangyu-report-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * 223 lectures since 2021 before 11,150 people (and 3 in 2020): 111 by the county's service
 * centre, 112 by two 五老宣讲团; 213 holiday visits of ¥500.
 */
function articleCounty() {
  const next = rng(2021);
  const cadre = uuid(next);
  const centre = uuid(next);
  const groups = [uuid(next), uuid(next)];
  const records = [
    { kind: 'person', id: cadre, body: { name: '王建国', gender: 'male', birth_date: '1931-05-04', category: 'lixiu', township: '城关镇' } },
    { kind: 'org', id: centre, body: { kind: 'service_centre', name: '县老干部服务中心', level: 'county' } },
    { kind: 'org', id: groups[0], body: { kind: 'lecture_group', name: '县“五老”宣讲一团', level: 'county' } },
    { kind: 'org', id: groups[1], body: { kind: 'lecture_group', name: '城关镇“五老”宣讲团', level: 'township', township: '城关镇' } },
  ];
  for (let i = 0; i < 226; i++) {
    const date = i < 3 ? '2020-06-01' : `${2021 + (i % 5)}-0${1 + (i % 9)}-15`;
    const organiser = i % 2 === 0 ? centre : groups[(i >> 1) % 2];
    records.push({ kind: 'activity', id: uuid(next), body: { kind: 'lecture', theme: '政策宣讲', date, township: '城关镇', sessions: 1, audience: 50, leaflets: 10, organiser } });
  }
  for (let i = 0; i < 213; i++) {
    records.push({ kind: 'benefit', id: uuid(next), body: { kind: 'holiday_visit', person: cadre, date: `${2021 + (i % 5)}-01-20`, amount: 50000 } });
  }
  return exportFile({ device: uuid(next), records });
}

test('a county like the article: the report gives its figures exactly and in its phrasing', async () => {
  const { page, server } = phone;
  const problems = watch(page, server.base);
  await pickFile(page, server.base, join(dir, 'county.jsonl'), articleCounty());
  // The office's name, as its settings page would keep it: the printout is headed with it.
  await page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('sangyu.settings') ?? '{}');
    localStorage.setItem('sangyu.settings', JSON.stringify({ ...s, office: '测试县老干部服务中心' }));
  });
  await page.locator('[data-test=import-preview]').waitFor();
  await page.locator('[data-test=import-confirm]').click();
  await page.getByText('已导入 county.jsonl：新增 443 条').waitFor();

  await page.getByRole('link', { name: '报表' }).click();
  await page.getByLabel('时间范围').selectOption('since_2021');
  await page.locator('[data-test=scope]').getByText('2021年以来').waitFor();
  const table = page.locator('[data-test=figures]');
  const row = (group, measure) =>
    table.locator('tr', { has: page.getByRole('rowheader', { name: group, exact: true }) }).filter({ has: page.getByRole('cell', { name: measure, exact: true }) });
  const cells = async (group, measure) => row(group, measure).locator('td').allInnerTexts();
  assert.deepEqual(await cells('宣讲/宣传', '场次'), ['场次', '223场次', '220余场次']);
  assert.deepEqual(await cells('宣讲/宣传', '服务人次'), ['服务人次', '11150人次', '1.1万余人次']);
  assert.deepEqual(await cells('走访慰问', '金额'), ['金额', '106,500.00元', '10.65万元']);
  // By who did the work: the centre's own lectures, and the 五老宣讲团 together.
  assert.deepEqual(await cells('宣讲/宣传·老干部服务中心', '场次'), ['场次', '111场次', '110余场次']);
  assert.deepEqual(await cells('宣讲/宣传·“五老”宣讲团', '场次'), ['场次', '112场次', '110余场次']);
  assert.deepEqual(await cells('宣讲/宣传·“五老”宣讲团', '服务人次'), ['服务人次', '5600人次', '5600人次']);
  const summary = await page.locator('[data-test=summary]').inputValue();
  // 复制 puts the whole paragraph on the clipboard, for the county's own report.
  await phone.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  await page.locator('[data-test=copy-summary]').click();
  await page.getByText('已复制综述，可粘贴到报告中').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), summary);
  assert.match(summary, /^2021年以来，县老干部服务中心累计开展政策宣讲110余场次，受众5500余人次，发放宣传册1100余份；各“五老”宣讲团累计开展政策宣讲110余场次，受众5600人次，/);
  assert.match(summary, /重大节日走访慰问离休干部和遗孀210余人次、发放慰问金10\.65万元。$/);

  // The 五老 figure opens to its groups one by one.
  await row('宣讲/宣传·“五老”宣讲团', '场次').click();
  const groups = table.locator('tr.drill-rows');
  await groups.getByText('宣讲/宣传·“五老”宣讲团 · 场次：2 个组织').waitFor();
  assert.deepEqual(await groups.locator('[data-test=drill] li').allInnerTexts(), [
    '县“五老”宣讲一团 · 56场次 · 2800人次（2800人次）',
    '城关镇“五老”宣讲团 · 56场次 · 2800人次（2800人次）',
  ]);
  await row('宣讲/宣传·“五老”宣讲团', '场次').click();
  await groups.waitFor({ state: 'detached' });

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

  // Narrowed to one organiser, the heading (on paper too) says so; its figures are its own.
  await page.getByLabel('组织', { exact: true }).selectOption({ label: '县老干部服务中心' });
  await page.locator('[data-test=scope]').getByText(/^2021年以来（截至\d+年\d+月\d+日） · 组织单位：县老干部服务中心$/).waitFor();
  await page.getByRole('cell', { name: '111场次' }).first().waitFor();
  await page.getByLabel('组织', { exact: true }).selectOption({ label: '全部组织' });
  await page.locator('[data-test=scope]').getByText(/^2021年以来（截至\d+年\d+月\d+日）$/).waitFor();
  await table.getByRole('cell', { name: '223场次' }).click();
  await drill.waitFor();

  // On paper, with a drill-down left open: office, period, print date and the whole summary at
  // the top; never the drill-down or the navigation; a few A4 pages.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await drill.isVisible(), false);
  assert.equal(await page.locator('nav.nav').isVisible(), false);
  const paper = await page.locator('.report .print-only').allInnerTexts();
  assert.match(paper[0], /^测试县老干部服务中心 · 打印于 \d{4}-\d{2}-\d{2}$/);
  assert.equal(paper[1], summary, 'the whole paragraph, not the textarea\'s five lines');
  // The hand-in's line, to be signed: the office, a blank for who filled it in, the date.
  assert.match(paper.at(-1), /^填报单位：测试县老干部服务中心　　填报人：_+　　填报日期：\d+年\d+月\d+日$/);
  const pdf = await page.pdf({ format: 'A4' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
  assert.ok(pages >= 1 && pages <= 12, `${pages} pages`);
  await page.emulateMedia({ media: 'screen' });
  await table.getByRole('cell', { name: '223场次' }).click();
  await drill.waitFor({ state: 'detached' });

  // Charts are inline SVG drawn by the app.
  assert.ok((await page.locator('svg.chart rect').count()) > 5);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出表格' }).click()]);
  const csv = await readFile(await download.path(), 'utf8');
  // A plain number and its unit apart: the spreadsheet adds it up.
  assert.match(csv, /\r\n2021年以来,宣讲\/宣传,场次,223,场次,220余场次\r\n/);
  assert.match(csv, /\r\n2021年以来,宣讲\/宣传·“五老”宣讲团,服务人次,5600,人次,5600人次\r\n/);

  // A county device (no township of its own): a new activity is the service centre's unless
  // another organiser is chosen.
  await page.goto(`${server.base}/activities/new`);
  await page.waitForFunction(() => document.querySelector('select[aria-label=组织单位]')?.selectedOptions[0]?.textContent === '县老干部服务中心');
  assert.deepEqual(problems, []);
});
