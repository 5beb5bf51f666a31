// End to end: a mediation case and a piece of public feedback are entered on a phone, edited,
// deleted with undo, kept across a reload, and counted on the report page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { phoneForFile, registerWangJianguo, watch } from './harness.mjs';

const phone = phoneForFile();

test('mediation cases and feedback: enter, edit, delete with undo, report', async () => {
  const { page, server } = phone;
  const problems = watch(page, server.base);
  await page.goto(`${server.base}/log`);
  await page.getByRole('link', { name: '矛盾调解' }).click();
  await page.getByLabel('当事人').fill('张某与李某');
  await page.getByLabel('土地', { exact: true }).check();
  await page.getByLabel('受理日期').fill('2026-03-01');
  await page.getByLabel('调解成功', { exact: true }).check();
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('请填写结案日期').waitFor();
  await page.getByLabel('结案日期').fill('2026-03-10');
  await page.getByLabel('受益群众（人）').fill('12');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存调解案件：张某与李某').waitFor();

  await page.reload();
  const row = page.locator('[data-test=cases] li', { hasText: '张某与李某' });
  await row.getByText('2026-03-01 · 土地 · 调解成功').waitFor();
  await row.click();
  assert.equal(await page.getByLabel('受益群众（人）').inputValue(), '12');
  // One tap only asks; 不删 keeps it, 确定删除 deletes.
  await page.getByRole('button', { name: '删除' }).click();
  await page.getByRole('button', { name: '不删' }).click();
  assert.equal(await page.locator('[data-test=cases] li').count(), 1);
  await page.getByRole('button', { name: '删除' }).click();
  await page.getByRole('button', { name: '确定删除' }).click();
  await page.getByText('已删除 张某与李某').waitFor();
  assert.equal(await page.locator('[data-test=cases] li').count(), 0);
  await page.getByRole('button', { name: '撤销' }).click();
  await page.locator('[data-test=cases] li', { hasText: '张某与李某' }).waitFor();

  await page.goto(`${server.base}/feedback`);
  await page.getByLabel('反馈内容').fill('村口路灯坏了');
  await page.getByLabel('已处理', { exact: true }).check();
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已处理的反馈请填写处理情况').waitFor();
  await page.getByLabel('处理情况').fill('已联系村委报修');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('[data-test=feedback] li', { hasText: '村口路灯坏了' }).waitFor();

  await page.goto(`${server.base}/reports`);
  await page.getByLabel('时间范围').selectOption('all');
  const table = page.locator('[data-test=figures]');
  await table.getByRole('cell', { name: '12人' }).first().waitFor();
  const cases = table.locator('tr', { has: page.locator('th', { hasText: '矛盾调解' }) });
  assert.deepEqual(await cases.first().locator('td').allInnerTexts(), ['案件', '1件', '1件']);
  assert.match(await page.locator('[data-test=summary]').inputValue(), /调解矛盾纠纷1件，受益群众12人/);
  assert.deepEqual(problems, []);
});

test('the station: rooms, a duty rota that shows the days nobody covers, and its classes', async () => {
  const { page, server } = phone;
  const problems = watch(page, server.base);
  await registerWangJianguo(page, server.base);
  await page.goto(`${server.base}/log`);
  await page.getByRole('link', { name: '驿站与值班' }).click();
  const roomName = page.getByLabel('功能室名称（如 阅览室、健身室、调解室）');
  await roomName.fill('阅览室');
  await page.getByRole('button', { name: '添加' }).click();
  await page.locator('[data-test=rooms]').getByText('阅览室').waitFor();
  // Rename, delete, undo.
  await page.locator('[data-test=rooms] li', { hasText: '阅览室' }).getByRole('button', { name: '改名' }).click();
  await roomName.fill('图书阅览室');
  await page.getByRole('button', { name: '改名', exact: true }).last().click();
  await page.getByText('已改名为 图书阅览室').waitFor();
  await page.locator('[data-test=rooms] li', { hasText: '图书阅览室' }).getByRole('button', { name: '删除' }).click();
  await page.getByText('已删除 图书阅览室').waitFor();
  await page.getByRole('button', { name: '撤销' }).click();
  await page.locator('[data-test=rooms]').getByText('图书阅览室').waitFor();
  await page.locator('[data-test=rota-gaps]').getByText(/^有 14 天无人值班/).waitFor();

  await page.locator('[data-test=rota] li').first().getByRole('button', { name: '安排' }).click();
  await page.getByLabel('值班人员搜索').fill('wjg');
  await page.getByRole('button', { name: /王建国/ }).click();
  await page.getByRole('button', { name: '保存值班' }).click();
  await page.locator('[data-test=rota-gaps]').getByText(/^有 13 天无人值班/).waitFor();
  await page.reload();
  await page.locator('[data-test=rota] li').first().getByText('王建国').waitFor();
  // Planning the fortnight after: all 14 days open; back again, the arranged day is there.
  const span = await page.locator('[data-test=fortnight]').innerText();
  await page.getByRole('button', { name: '后两周' }).click();
  await page.locator('[data-test=rota-gaps]').getByText(/^有 14 天无人值班/).waitFor();
  assert.notEqual(await page.locator('[data-test=fortnight]').innerText(), span);
  await page.getByRole('button', { name: '前两周' }).click();
  await page.locator('[data-test=rota-gaps]').getByText(/^有 13 天无人值班/).waitFor();

  // A class at the station: the form opens on that kind; the station lists it with its teacher.
  await page.getByRole('link', { name: '＋ 记一次授课' }).click();
  assert.equal(await page.getByLabel('类型').inputValue(), 'class');
  await page.getByLabel('主题').fill('智能手机使用课');
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByLabel('参加人员搜索').fill('wjg');
  await page.getByRole('button', { name: /王建国/ }).click();
  await page.getByLabel('受众/服务人次').fill('25');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/log$/);
  await page.getByRole('link', { name: '驿站与值班' }).click();
  await page.locator('[data-test=classes]').getByText(/授课：王建国 · 听课 25 人/).waitFor();
  assert.deepEqual(problems, []);
});
