// End to end: the first minute on a rural phone. The first load fetches only the shell; the
// field pages follow at once and the office pages when opened (or in the background); a page
// whose download fails says so and retries; an old browser and a chat app's browser are told
// the truth; one online visit is enough to work offline, every page and pinyin search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInfo, cachedWhole, onPhone, registerWangJianguo, watch } from './harness.mjs';

const build = await buildInfo();
const path = (url) => new URL(url).pathname;

/** Every route, with the heading it shows once it works. */
const PAGES = [
  ['/', '桑榆'],
  ['/people', '人员名册'],
  ['/people/new', '登记人员'],
  ['/people/import', '从表格导入名册'],
  ['/people/duplicates', '可能重复的人员'],
  ['/log', '工作记录'],
  ['/due', '待办'],
  ['/activities/new', '记录活动'],
  ['/benefits/new', '记录待遇发放'],
  ['/orgs', '组织'],
  ['/orgs/new', '新建组织'],
  ['/reports', '统计报表'],
  ['/exchange', '导出与导入'],
  ['/exchange/qr', '面对面传'],
  ['/exchange/scan', '扫码接收'],
  ['/cases', '矛盾调解'],
  ['/feedback', '群众反馈'],
  ['/station', '老干部驿站'],
  ['/settings', '设置'],
  ['/settings/places', '乡镇与村（社区）'],
  ['/repair', '无法读取的记录'],
];

test('the first load fetches the shell only; each office page fetches its own chunk once', () =>
  onPhone(async ({ page, server }) => {
    const problems = watch(page, server.base);
    const fetched = [];
    page.on('request', (r) => fetched.push(path(r.url())));
    await page.goto(`${server.base}/`);
    await page.locator('[data-test="count-lixiu"]').waitFor();
    // The page itself is asked for as `/`; the build lists it as /index.html.
    const shell = new Set(['/', ...build.eager, '/manifest.webmanifest', '/icon.svg', '/sw.js']);
    const beforeHome = fetched.filter((p) => !/\/(chunk_\d+\.wasm|field\.bundle)$/.test(p));
    assert.deepEqual(beforeHome.filter((p) => !shell.has(p)), [], 'only the shell before the home screen');
    for (const file of build.eager.filter((f) => f !== '/index.html')) assert.ok(fetched.includes(file), `${file} fetched`);
    assert.ok(!fetched.some((p) => /split_(reports|exchange|orgs|station)/.test(p)), 'no office page yet');

    fetched.length = 0;
    await page.getByRole('link', { name: '报表' }).click();
    await page.getByRole('heading', { name: '统计报表' }).waitFor();
    await page.getByRole('link', { name: '首页' }).click();
    await page.getByRole('link', { name: '报表' }).click();
    await page.getByRole('heading', { name: '统计报表' }).waitFor();
    assert.equal(fetched.filter((p) => p.endsWith('/split_reports.wasm')).length, 1, 'the report chunk once');
    assert.ok(!fetched.some((p) => /split_(exchange|orgs)\.wasm$/.test(p)));
    assert.deepEqual(problems, []);
  }));

test('a page whose download fails says so; the app keeps working; retry opens it', () =>
  onPhone(async ({ page, server }) => {
    const problems = watch(page, server.base);
    server.refuse(/split_reports\.wasm$/);
    await page.goto(`${server.base}/reports`);
    await page.getByText('本页没能下载下来').waitFor();
    // The rest of the app is alive.
    await page.getByRole('link', { name: '人员' }).click();
    await page.getByRole('heading', { name: '人员名册' }).waitFor();
    await page.getByRole('link', { name: '报表' }).click();
    await page.getByText('本页没能下载下来').waitFor();
    server.refuse(null);
    await page.getByRole('button', { name: '重试' }).click();
    await page.getByRole('heading', { name: '统计报表' }).waitFor();
    assert.equal(await page.getByText('本页没能下载下来').count(), 0);
    // Only the refused download's own complaints.
    assert.deepEqual(problems.filter((p) => !/503|split module|Failed to load|WebAssembly|fetch/i.test(p)), []);
  }));

test('opened once online, then offline: every page opens, pinyin search works', () =>
  onPhone(async ({ page, server, context }) => {
    const problems = watch(page, server.base);
    // One visit: the volunteer registers someone at the township office, nothing more.
    await registerWangJianguo(page, server.base);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await cachedWhole(page, build);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: '王建国' }).waitFor();
    for (const [route, heading] of PAGES) {
      await page.goto(`${server.base}${route}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      assert.equal(await page.getByText('本页没能下载下来').count(), 0, `${route} opens offline`);
    }
    await page.goto(`${server.base}/people`);
    await page.getByLabel('搜索').fill('wjg');
    await page.getByText('共 1 人').waitFor();
    await context.setOffline(false);
    assert.deepEqual(problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED')), []);
  }));

test('before any script runs, the page already says what is happening', () =>
  onPhone({ javaScriptEnabled: false }, async ({ page, server }) => {
    await page.goto(`${server.base}/`);
    await page.getByText('正在打开桑榆').waitFor();
    await page.getByText('第一次打开需要联网下载').waitFor();
  }));

test('a browser without WebAssembly is told so, not shown a blank page', () =>
  onPhone(async ({ page, server }) => {
    await page.addInitScript(() => {
      delete globalThis.WebAssembly;
    });
    await page.goto(`${server.base}/`);
    await page.getByRole('heading', { name: '这个浏览器太旧，打不开桑榆' }).waitFor();
    assert.equal(await page.getByText('正在打开桑榆').isVisible(), false);
  }));

test("inside WeChat's browser the volunteer is warned before saving anything", async () => {
  const wechat =
    'Mozilla/5.0 (Linux; Android 10; V2031A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Version/4.0 Chrome/110.0.5481.153 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230202 MicroMessenger/8.0.33.2320(0x28002151) ' +
    'WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';
  await onPhone({ userAgent: wechat }, async ({ page, server }) => {
    const problems = watch(page, server.base);
    await page.goto(`${server.base}/people/new`);
    const warning = page.getByRole('alertdialog', { name: '请在手机浏览器中使用桑榆' });
    await warning.waitFor();
    await warning.getByText('微信清理缓存时').waitFor();
    await warning.getByRole('button', { name: '我知道了' }).click();
    await warning.waitFor({ state: 'hidden' });
    await page.getByLabel('姓名').fill('王建国');
    assert.deepEqual(problems, []);
  });
});
