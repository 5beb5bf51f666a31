// End to end: nothing typed is lost. Every form kind keeps a draft: typed, left by the
// navigation and come back to; reloaded mid-word; the browser closed and started again with
// the same profile; then saved or discarded, after which the draft is gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchPhone, registerWangJianguo, removeProfile, serveDist, tempProfile, watch } from './harness.mjs';

let server;
let profile;
let context;
let page;
let problems;

// The station has two forms (a room's name, a day's duty): each its own notice.
let scope = '';
const restored = () => page.locator(`${scope} [data-test=draft-restored]`.trim()).first();

async function start() {
  context = await launchPhone(profile);
  page = context.pages()[0] ?? (await context.newPage());
  problems = watch(page, server.base);
}

before(async () => {
  server = await serveDist();
  profile = await tempProfile();
  await start();
});

after(async () => {
  await context?.close();
  await server?.close();
  await removeProfile(profile);
});

async function pick(label, name) {
  await page.getByLabel(`${label}搜索`).fill(name);
  await page.getByRole('button', { name: new RegExp(name) }).click();
}

// Each form: where it is, how to open it there, what to type (`texts`: label and value of
// its text inputs; `type`: the rest), and how to see it came back (`seen`: beyond the texts).
const FORMS = [
  {
    kind: 'person',
    url: '/people/new',
    texts: [['姓名', '李秀兰'], ['村（社区）', '东关村'], ['健康状况', '高血压，行动不便']],
    type: async () => {
      await page.getByLabel('女', { exact: true }).check();
      await page.getByLabel('中共党员').check();
    },
    seen: async () => {
      assert.equal(await page.getByLabel('女', { exact: true }).isChecked(), true);
      assert.equal(await page.getByLabel('中共党员').isChecked(), true);
    },
    more: ['健康状况', '高血压，行动不便，需上门'],
  },
  {
    kind: 'activity',
    url: '/activities/new',
    texts: [['主题', '防范电信诈骗宣讲'], ['受众/服务人次', '80'], ['备注', '村委会议室']],
    type: () => pick('参加人员', '王建国'),
    seen: () => page.locator('.chip', { hasText: '王建国' }).waitFor(),
    more: ['受众/服务人次', '85'],
  },
  {
    kind: 'benefit',
    url: '/benefits/new',
    texts: [['金额（元）', '300'], ['备注', '春节慰问']],
    type: () => pick('发放对象', '王建国'),
    seen: () => page.locator('.chip', { hasText: '王建国' }).waitFor(),
    more: ['金额（元）', '350'],
  },
  { kind: 'case', url: '/cases', texts: [['当事人', '张某与李某'], ['调解结果', '双方同意重新划界']], more: ['调解结果', '双方同意重新划界，已签字'] },
  { kind: 'feedback', url: '/feedback', texts: [['反馈内容', '村口路灯坏了'], ['反映人（选填）', '赵大爷']], more: ['反馈内容', '村口路灯坏了两盏'] },
  { kind: 'org', url: '/orgs/new', texts: [['名称', '城关镇离退休干部党支部'], ['乡镇（街道）', '城关镇']], more: ['名称', '城关镇离退休干部第一党支部'] },
  { kind: 'place', url: '/settings/places', texts: [['乡镇（街道）', '河口乡'], ['村（社区）', '上河村\n下河村']], more: ['村（社区）', '上河村\n下河村\n中河村'] },
  { kind: 'room', url: '/station', texts: [[/功能室名称/, '书画室']], more: [/功能室名称/, '书画创作室'] },
  {
    kind: 'duty',
    url: '/station',
    scope: '[data-test=rota-editor]',
    open: async () => {
      await page.locator('[data-test=rota] li').first().getByRole('button', { name: '安排' }).click();
    },
    texts: [],
    type: () => pick('值班人员', '王建国'),
    seen: () => page.locator('[data-test=rota-editor] .chip', { hasText: '王建国' }).waitFor(),
  },
];

/** Types what the form's test types: its texts (each the first input of that label), then the rest. */
async function typeInto(form) {
  for (const [label, value] of form.texts) await page.getByLabel(label).first().fill(value);
  await form.type?.();
}

/** Checks that all `typeInto` typed is there again. */
async function seenIn(form) {
  for (const [label, value] of form.texts) {
    assert.equal(await page.getByLabel(label).first().inputValue(), value, `${form.kind}: ${label}`);
  }
  await form.seen?.();
}

async function openForm(form) {
  scope = form.scope ?? '';
  await page.goto(`${server.base}${form.url}`);
  await page.locator('.page h1').first().waitFor();
  if (form.open) await form.open();
}

const pause = () => page.waitForTimeout(700);

test('every form keeps what was typed across a tap away, a back gesture and a reload', async () => {
  await registerWangJianguo(page, server.base);
  for (const form of FORMS) {
    await openForm(form);
    assert.equal(await restored().count(), 0, `${form.kind}: a fresh form says nothing was restored`);
    await typeInto(form);
    await pause();
    // Away by the bottom navigation, then back.
    await page.getByRole('link', { name: '首页', exact: true }).click();
    await page.waitForURL(`${server.base}/`);
    await page.goBack();
    if (form.open) await form.open();
    await restored().waitFor();
    await seenIn(form);

    if (form.more) {
      // A last edit, and at once a reload: the page being hidden writes what waits.
      const [label, value] = form.more;
      await page.getByLabel(label).first().fill(value);
      await page.reload();
      if (form.open) await form.open();
      await restored().waitFor();
      assert.equal(await page.getByLabel(label).first().inputValue(), value, `${form.kind}: the last edit survived a reload`);
    }
  }
  // The log lists them all, each a link back to its form.
  await page.goto(`${server.base}/log`);
  const drafts = page.locator('[data-test=drafts]');
  await drafts.waitFor();
  assert.match(await drafts.locator('h2').innerText(), new RegExp(`未保存的草稿（${FORMS.length}）`));
  scope = '';
  await drafts.getByRole('link', { name: /人员：李秀兰/ }).waitFor();
  await drafts.getByRole('link', { name: /活动：防范电信诈骗宣讲/ }).click();
  await page.waitForURL(/\/activities\/new$/);
  await restored().waitFor();
  await page.goto(`${server.base}/log`);
  await drafts.getByRole('link', { name: /值班/ }).click();
  await page.waitForURL(/\/station\?day=/);
  await page.locator('[data-test=rota-editor] .chip', { hasText: '王建国' }).waitFor();
  assert.deepEqual(problems, []);
});

test('the drafts outlive the browser, and saving or discarding ends them', async () => {
  await context.close();
  await start();
  for (const form of FORMS) {
    await openForm(form);
    await restored().waitFor();
    if (form.more) {
      const [label, value] = form.more;
      assert.equal(await page.getByLabel(label).first().inputValue(), value, `${form.kind} after a restart`);
    } else {
      await seenIn(form);
    }
  }

  scope = '';
  // Saved: the draft is gone, and the form opens empty next time.
  await openForm(FORMS[0]);
  await restored().waitFor();
  await page.getByLabel('离休', { exact: true }).check();
  await page.getByLabel('出生日期').fill('1940-02-03');
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  await page.goto(`${server.base}/people/new`);
  await page.getByLabel('姓名').waitFor();
  await pause();
  assert.equal(await restored().count(), 0);
  assert.equal(await page.getByLabel('姓名').inputValue(), '');

  // Saved with "保存并继续": the kept fields are not a draft.
  await openForm(FORMS[1]);
  await restored().waitFor();
  await page.getByLabel('乡镇（街道）').fill('城关镇');
  await page.getByLabel('学校', { exact: true }).check();
  await page.getByRole('button', { name: '保存并继续' }).click();
  await page.getByText(/已保存 防范电信诈骗宣讲/).waitFor();
  await pause();
  await page.reload();
  await page.getByLabel('主题').waitFor();
  await pause();
  assert.equal(await restored().count(), 0);
  assert.equal(await page.getByLabel('主题').inputValue(), '');

  // Discarded, on every other form: back to how the form opens, and nothing comes back.
  for (const form of FORMS.slice(2)) {
    await openForm(form);
    await restored().waitFor();
    await restored().getByRole('button', { name: '放弃' }).click();
    await restored().waitFor({ state: 'detached' });
    await pause();
    await openForm(form);
    await pause();
    assert.equal(await restored().count(), 0, `${form.kind}: discarded`);
  }
  assert.equal(await page.getByLabel(/功能室名称/).inputValue().catch(() => ''), '');
  await page.goto(`${server.base}/log`);
  await page.locator('h1', { hasText: '工作记录' }).waitFor();
  await pause();
  assert.equal(await page.locator('[data-test=drafts]').count(), 0);
  assert.deepEqual(problems, []);
});

test('an edit form keeps its draft over a change made in another tab, and says so', async () => {
  scope = '';
  await page.goto(`${server.base}/people`);
  await page.getByRole('link', { name: /李秀兰/ }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  const url = page.url();
  await page.goto(`${url}/edit`);
  await page.getByLabel('健康状况').fill('已做白内障手术');
  await pause();

  // Another tab opens the same person (and is offered this tab's draft, which it declines),
  // and saves a new village meanwhile.
  const other = await context.newPage();
  await other.goto(`${url}/edit`);
  await other.locator('[data-test=draft-restored]').getByRole('button', { name: '放弃' }).click();
  await other.getByLabel('村（社区）').fill('西关村');
  await other.getByRole('button', { name: '保存', exact: true }).click();
  await other.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  await other.close();

  await page.locator('[data-test=changed-elsewhere]').waitFor();
  assert.equal(await page.getByLabel('健康状况').inputValue(), '已做白内障手术');
  await page.getByLabel('健康状况').fill('已做白内障手术，恢复良好');
  await pause();
  // Reopened later, the draft comes back and says the record moved on since.
  await page.reload();
  await restored().waitFor();
  assert.match(await restored().innerText(), /在别处被修改过/);
  assert.equal(await page.getByLabel('健康状况').inputValue(), '已做白内障手术，恢复良好');
  // Only what was typed here comes back: the other tab's new village stays.
  assert.equal(await page.getByLabel('村（社区）').inputValue(), '西关村');
  assert.deepEqual(problems, []);
});
