// End to end: the county desk, a laptop at 1366x768. The side bar's brand covers no item;
// the registry and the month's log are tables that sort by each column, both ways; the
// report stands its table and charts side by side.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPhone, watch, pickFile } from './harness.mjs';
import { exportFile, rng, uuid } from './dataset.mjs';

let desk;
let dir;

before(async () => {
  desk = await openPhone();
  await desk.page.setViewportSize({ width: 1366, height: 768 });
  dir = await mkdtemp(join(tmpdir(), 'sangyu-desk-'));
});

after(async () => {
  await desk?.close();
  await rm(dir, { recursive: true, force: true });
});

const today = new Date();
const thisMonth = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}`;

/** Four people whose pinyin order (安 陈 李 王) differs from their code-point order, a branch, this month's work. */
function deskFile() {
  const next = rng(1366);
  const branch = uuid(next);
  const people = [
    ['王建国', 'lixiu', '1931-05-04', '城关镇', '13808571234', branch],
    ['安秀英', 'widow', '1935-01-01', '贺街镇', '', null],
    ['李明', 'tuixiu', '1958-03-01', '八步街道', '13908570000', branch],
    ['陈平', 'tuixiu', '1950-07-01', '城关镇', '13700000000', null],
  ].map(([name, category, birth_date, township, phone, b]) => ({
    kind: 'person', id: uuid(next), body: { name, gender: 'male', category, birth_date, township, phone, ...(b ? { branch: b } : {}) },
  }));
  const acts = [['防范电信诈骗', 120, 1], ['党史宣讲', 45, 2], ['法治宣传', 300, 1]].map(([theme, audience, day]) => ({
    kind: 'activity', id: uuid(next),
    // This month, never after today (a date in the future is refused).
    body: { kind: 'lecture', theme, date: `${thisMonth}-0${Math.min(day, today.getDate())}`, township: '城关镇', sessions: 1, audience },
  }));
  return exportFile({
    device: uuid(next),
    records: [{ kind: 'org', id: branch, body: { kind: 'branch', name: '老干部第一党支部', level: 'county' } }, ...people, ...acts],
  });
}

test('at 1366x768: the side bar covers nothing, tables sort by every column, the report uses the width', async () => {
  const { page, server } = desk;
  const problems = watch(page, server.base);
  await pickFile(page, server.base, join(dir, 'desk.jsonl'), deskFile());
  await page.locator('[data-test=import-confirm]').click();
  await page.getByText('已导入 desk.jsonl：新增 8 条').waitFor();

  // Every point of every side-bar item is the item's own: nothing (the brand box) lies over it.
  const covered = await page.evaluate(() =>
    [...document.querySelectorAll('nav.nav a')].flatMap((a) => {
      const r = a.getBoundingClientRect();
      const points = [[r.left + 2, r.top + 1], [r.right - 2, r.top + 1], [r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.bottom - 1]];
      return points.filter(([x, y]) => !a.contains(document.elementFromPoint(x, y))).map(() => a.textContent.trim());
    }),
  );
  assert.deepEqual(covered, []);

  // The registry: a table, each column sorting both ways from its header.
  await page.getByRole('link', { name: '人员' }).click();
  const table = page.locator('[data-test=registry-table]');
  await table.waitFor();
  const column = (i) => table.locator('tbody tr').evaluateAll((rows, i) => rows.map((r) => r.children[i].textContent.trim()), i);
  const header = (name) => table.getByRole('button', { name: new RegExp(`^${name}`) });
  const sortedBy = async (name, i, want) => {
    await header(name).click();
    await page.waitForFunction(
      ([i, want]) => JSON.stringify([...document.querySelectorAll('[data-test=registry-table] tbody tr')].map((r) => r.children[i].textContent.trim())) === JSON.stringify(want),
      [i, want],
    ).catch(async () => assert.deepEqual(await column(i), want, `sorted by ${name}`));
  };
  // By name in pinyin order (the table loads in the background), then turned round.
  await sortedBy('姓名', 0, ['安秀英', '陈平', '李明', '王建国']);
  assert.equal(await table.locator('th[aria-sort=ascending]').innerText(), '姓名 ▲');
  await sortedBy('姓名', 0, ['王建国', '李明', '陈平', '安秀英']);
  await sortedBy('类别', 1, ['离休', '退休', '退休', '遗孀']);
  await sortedBy('类别', 1, ['遗孀', '退休', '退休', '离休']);
  await sortedBy('乡镇（街道）', 2, ['八步街道', '城关镇', '城关镇', '贺街镇']);
  // People with no branch come last, whichever way.
  await sortedBy('党支部', 3, ['老干部第一党支部', '老干部第一党支部', '', '']);
  await sortedBy('党支部', 3, ['老干部第一党支部', '老干部第一党支部', '', '']);
  const ages = async () => (await column(4)).map(Number);
  await header('年龄').click();
  await page.waitForFunction(() => document.querySelector('[data-test=registry-table] th[aria-sort=ascending]')?.textContent.startsWith('年龄'));
  const up = await ages();
  assert.deepEqual(up, [...up].sort((a, b) => a - b));
  await header('年龄').click();
  await page.waitForFunction(() => document.querySelector('[data-test=registry-table] th[aria-sort=descending]')?.textContent.startsWith('年龄'));
  const down = await ages();
  assert.deepEqual(down, [...up].reverse());
  // Phones masked in the table as in the list; no phone last.
  await sortedBy('联系电话', 5, ['137****0000', '138****1234', '139****0000', '']);

  // The month's log: a table sorting by its numbers as numbers.
  await page.getByRole('link', { name: '记录', exact: true }).click();
  const log = page.locator('[data-test=log-table]');
  await log.waitFor();
  await log.getByRole('button', { name: /^人次/ }).click();
  await page.waitForFunction(() => document.querySelector('[data-test=log-table] th[aria-sort=ascending]'));
  const audience = await log.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.children[6].textContent.trim()));
  assert.deepEqual(audience, ['45', '120', '300']);
  await log.getByRole('button', { name: /^日期/ }).click();
  await page.waitForFunction(() => document.querySelector('[data-test=log-table] th[aria-sort=ascending]')?.textContent.startsWith('日期'));
  const dates = () => log.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.children[0].textContent.trim()));
  const earliest = await dates();
  assert.deepEqual(earliest, [...earliest].sort());
  await log.getByRole('button', { name: /^日期/ }).click();
  await page.waitForFunction(() => document.querySelector('[data-test=log-table] th[aria-sort=descending]')?.textContent.startsWith('日期'));
  assert.deepEqual(await dates(), [...earliest].reverse());

  // The report: table and charts side by side, not one 760 px column.
  await page.getByRole('link', { name: '报表' }).click();
  const figures = await page.locator('[data-test=figures]').boundingBox();
  const charts = await page.locator('[data-test=charts]').boundingBox();
  assert.ok(charts.x > figures.x + figures.width - 1, `charts at ${charts.x}, table ends at ${figures.x + figures.width}`);
  assert.ok(charts.y < figures.y + figures.height, 'side by side, not below');
  assert.deepEqual(problems, []);
});
