// End to end: a branch, a cadre in it found by pinyin initials, a widow linked to the cadre,
// and a team with members and monthly themes, at a 390x844 phone viewport.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fillPerson, mendOnce, phoneForFile, WANG } from './harness.mjs';

let server, context, page, problems;
const phone = phoneForFile({}, (p) => ({ server, context, page, problems } = p));

test('add a branch, add a cadre in it, find the cadre by pinyin initials', async () => {
  await page.goto(`${server.base}/orgs`);
  await page.getByRole('link', { name: '＋ 新建' }).click();
  await page.getByLabel('名称').fill('老干部第一党支部');
  await page.getByLabel('县级', { exact: true }).check();
  await page.getByLabel('联络员（在职党员）').fill('刘敏');
  await page.getByLabel('联络员电话').fill('139 0857 1234');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/orgs\/[0-9a-f-]{36}$/);
  const branchUrl = page.url();
  await page.getByText('刘敏 13908571234').waitFor();

  await page.getByRole('link', { name: '人员' }).click();
  await page.getByRole('link', { name: '＋ 登记' }).click();
  await fillPerson(page, { ...WANG, phone: '13808571234' });
  await page.getByLabel('中共党员').check();
  await page.getByLabel('所属党支部').selectOption({ label: '老干部第一党支部' });
  await page.getByLabel('宣讲员').check();
  // A wrong ID number is refused at its field, with the reason.
  await mendOnce(page, '身份证号（选填）', '520424193105040017', '身份证号校验位不正确，请核对是否输错', '520424193105040016');
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  // The detail page shows the ID and phone in full, and the branch.
  await page.getByText('520424193105040016').waitFor();
  await page.getByRole('link', { name: '老干部第一党支部' }).first().waitFor();
  await page.getByText('离退休干部党支部 · 成员').waitFor();
  // Opened again to edit, the form shows the branch (its options arrive after the form opens).
  const personUrl = page.url();
  await page.getByRole('link', { name: '编辑' }).click();
  await page.waitForFunction(() => document.querySelector('select[aria-label=所属党支部]')?.selectedOptions[0]?.textContent === '老干部第一党支部');
  await page.goto(personUrl);

  await page.getByRole('link', { name: '人员' }).click();
  await page.getByLabel('搜索').fill('wjg');
  await page.getByText('共 1 人').waitFor();
  // Lists mask the phone.
  await page.getByText('138****1234').waitFor();
  await page.getByLabel('搜索').fill('wangjian');
  await page.getByText('共 1 人').waitFor();
  await page.getByLabel('搜索').fill('zs');
  await page.getByText('没有符合条件的人员').waitFor();
  await page.getByLabel('搜索').fill('');
  // Filters are folded under 筛选, which counts the active ones.
  await page.locator('[data-test=filter-toggle]').click();
  await page.getByLabel('支部').selectOption({ label: '老干部第一党支部' });
  await page.getByText('共 1 人').waitFor();
  assert.equal((await page.locator('[data-test=filter-toggle]').innerText()).trim(), '筛选 1');

  await page.goto(branchUrl);
  assert.equal(await page.locator('[data-test=member-count]').textContent(), '成员 1 人（党员 1 人）');
});

test('a widow links to her late husband, picked by pinyin', async () => {
  await page.goto(`${server.base}/people/new?category=widow`);
  await page.getByLabel('姓名').fill('陈淑芬');
  await page.getByLabel('女', { exact: true }).check();
  await page.getByLabel('出生日期').fill('1935-02-11');
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByLabel('已故离休干部搜索').fill('wjg');
  await page.getByRole('button', { name: /王建国/ }).click();
  await page.getByLabel('无工作（无工作收入）').check();
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  await page.getByRole('link', { name: '王建国' }).click();
  await page.getByRole('heading', { name: '王建国' }).waitFor();
  await page.getByRole('link', { name: '陈淑芬' }).waitFor();

  await page.getByRole('link', { name: '首页' }).click();
  assert.equal(await page.locator('[data-test=count-widow]').textContent(), '1');
  assert.equal(await page.locator('[data-test=count-lixiu]').textContent(), '1');
});

test('a volunteer team with members and a theme a month', async () => {
  await page.goto(`${server.base}/orgs?kind=volunteer_team`);
  await page.getByRole('link', { name: '＋ 新建' }).click();
  await page.getByLabel('名称').fill('桑榆红志愿服务队');
  await page.getByLabel('乡镇级', { exact: true }).check();
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByLabel('成员搜索').fill('csf');
  await page.getByRole('button', { name: /陈淑芬/ }).click();
  await page.getByLabel('成员搜索').fill('王');
  await page.getByRole('button', { name: /王建国/ }).click();
  await mendOnce(page, '一月一主题（每行：年-月 主题）', '2026-03 学雷锋志愿服务\n三月 防溺水',
    '第2行应写成“年-月 主题”，例如 2026-03 学雷锋志愿服务', '2026-03 学雷锋志愿服务\n2026-06 防溺水宣传');
  await page.waitForURL(/\/orgs\/[0-9a-f-]{36}$/);
  assert.equal(await page.locator('[data-test=member-count]').textContent(), '成员 2 人（党员 1 人）');
  await page.getByText('防溺水宣传').waitFor();
  await page.goto(`${server.base}/orgs?kind=volunteer_team`);
  await page.getByText('共 1 个，成员 2 人').waitFor();
  assert.deepEqual(problems, []);
});

test('townships and villages are kept in a list, deleted and restored', async () => {
  await page.goto(`${server.base}/settings/places`);
  await page.getByLabel('乡镇（街道）').fill('双堰街道');
  await page.getByLabel('村（社区）').fill('文腾社区、金凤村');
  await page.getByRole('button', { name: '添加乡镇' }).click();
  await page.getByText('双堰街道（2个村/社区）').click();
  await page.getByRole('button', { name: '删除' }).click();
  await page.getByRole('button', { name: '确定删除' }).click();
  await page.getByRole('button', { name: '恢复' }).click();
  await page.getByText('双堰街道（2个村/社区）').waitFor();
  // The township is offered when registering someone.
  await page.goto(`${server.base}/people/new`);
  await page.locator('#townships option[value="双堰街道"]').waitFor({ state: 'attached' });
  await page.goto(`${server.base}/orgs?kind=volunteer_team`);
  await page.getByLabel('查找组织').fill('不存在');
  await page.getByText('没有找到符合条件的志愿服务队').waitFor();
  await page.getByLabel('查找组织').fill('桑榆');
  await page.getByText('桑榆红志愿服务队').waitFor();
  assert.deepEqual(problems, []);
});
