// End to end: 本机密码. A volunteer sets a PIN; the phone left on the table locks itself
// (idle, or more than two minutes in the background) and the locked page holds no record;
// wrong PINs wait longer each time, across a reload; the recovery code opens it and a new PIN
// follows; a reload starts locked; removing the PIN opens the app again.
// Time is the browser's own fake clock (Playwright's `clock`), visibility an init script's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillPerson, onPhone, phoneForFile, pickFile, setLock, watch, WANG } from './harness.mjs';

const PHONE_NO = '13912345678';
const ID = '520424193105040016';
let phone;
phoneForFile({}, async (p) => {
  phone = p;
  await p.context.addInitScript(() => {
    let hidden = false;
    Object.defineProperty(Document.prototype, 'hidden', { get: () => hidden, configurable: true });
    Object.defineProperty(Document.prototype, 'visibilityState', { get: () => (hidden ? 'hidden' : 'visible'), configurable: true });
    window.sangyuTestHide = (h) => {
      hidden = h;
      document.dispatchEvent(new Event('visibilitychange'));
    };
  });
  await p.page.clock.install();
});

const locked = () => phone.page.locator('[data-test=lock]');
const text = () => phone.page.evaluate(() => document.documentElement.outerHTML);
let personUrl;
let code;

async function unlock(pin) {
  await phone.page.locator('[data-test=lock] input[name=secret]').fill(pin);
  await phone.page.getByRole('button', { name: '解锁', exact: true }).click();
}

test('a PIN set in settings, with its recovery code shown once, locks the other tabs; a reload starts locked and shows no record', async () => {
  const { page, server } = phone;
  await page.goto(`${server.base}/people/new`);
  await fillPerson(page, { ...WANG, phone: PHONE_NO, id: ID, health: '高血压' });
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  personUrl = page.url();
  // The page reads the person after its address changes: its text, once drawn.
  await page.getByText(PHONE_NO).waitFor();
  assert.ok((await text()).includes(PHONE_NO), 'the open page shows the phone (so the checks below can fail)');

  // A second tab, open on the person while the lock is set in the first.
  const other = await phone.context.newPage();
  await other.goto(personUrl);
  await other.getByText(PHONE_NO).waitFor();

  await page.goto(`${server.base}/settings`);
  const section = page.locator('[data-test=lock-settings]');
  await section.locator('[data-test=set-lock]').click();
  await section.locator('input[name=new-secret]').fill('12345');
  await section.locator('input[name=new-secret-again]').fill('12345');
  await section.getByRole('button', { name: '下一步' }).click();
  await section.getByText('数字密码要正好6位').waitFor();
  await section.locator('input[name=new-secret]').fill('135790');
  await section.locator('input[name=new-secret-again]').fill('135791');
  await section.getByRole('button', { name: '下一步' }).click();
  await section.getByText('两次输入的密码不一样').waitFor();
  await section.locator('input[name=new-secret-again]').fill('135790');
  await section.getByRole('button', { name: '下一步' }).click();
  code = (await section.locator('[data-test=recovery-code]').innerText()).trim();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  await section.getByText('抄下来，和手机分开放。').waitFor();
  await section.locator('[data-test=confirm-code]').click();
  await section.locator('[data-test=lock-on]').waitFor();
  assert.equal(await section.locator('[data-test=recovery-code]').count(), 0, 'the code is shown once');
  await other.locator('[data-test=lock]').waitFor();
  assert.ok(!(await other.content()).includes(PHONE_NO), 'the tab open without a lock locks when one is set');
  await other.close();

  await page.goto(personUrl);
  await locked().waitFor();
  const html = await text();
  for (const secret of [WANG.name, PHONE_NO, ID, '高血压']) assert.ok(!html.includes(secret), `the lock screen shows no ${secret}`);
  assert.equal(await page.locator('nav').isVisible(), false, 'no navigation behind the lock');
  await unlock('135790');
  await page.getByText(WANG.name).first().waitFor();
  assert.equal(page.url(), personUrl, 'back on the page the address names');

  // The roster reads its people with their sealed fields left sealed, and opens those of the
  // rows it draws, and of the rows it exports.
  await page.locator('nav a[href="/people"]').click();
  await page.locator('.count').filter({ hasText: '共 1 人' }).waitFor();
  await page.locator('.list .phone').filter({ hasText: '139****5678' }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出表格' }).click()]);
  // Chrome's download can first appear as an empty file: read until it has its content.
  const path = await download.path();
  let csv = '';
  for (let i = 0; i < 50 && !csv; i++) {
    csv = await readFile(path, 'utf8');
    if (!csv) await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.ok(csv.includes(PHONE_NO) && csv.includes(ID), csv);
  await page.goBack();
  await page.getByText(PHONE_NO).waitFor();
  assert.equal(page.url(), personUrl);
});

test('idle past five minutes locks the open page and takes its records out of the DOM', async () => {
  const { page } = phone;
  await page.getByText(PHONE_NO).waitFor();
  await page.clock.fastForward('04:00');
  assert.equal(await locked().count(), 0, 'four minutes idle: still open');
  await page.mouse.click(5, 400);
  await page.clock.fastForward('04:00');
  assert.equal(await locked().count(), 0, 'a tap started the five minutes again');
  await page.clock.fastForward('01:30');
  await locked().waitFor();
  const html = await text();
  for (const secret of [WANG.name, PHONE_NO, ID]) assert.ok(!html.includes(secret), `locked, the page holds no ${secret}`);
  await unlock('135790');
  await page.getByText(PHONE_NO).waitFor();
});

test('more than two minutes in the background locks; one minute does not', async () => {
  const { page } = phone;
  await page.evaluate(() => window.sangyuTestHide(true));
  await page.clock.fastForward('01:00');
  await page.evaluate(() => window.sangyuTestHide(false));
  await page.mouse.click(5, 400);
  assert.equal(await locked().count(), 0, 'a minute away: still open');
  await page.getByText(PHONE_NO).waitFor();
  await page.evaluate(() => window.sangyuTestHide(true));
  await page.clock.fastForward('02:10');
  await page.evaluate(() => window.sangyuTestHide(false));
  await locked().waitFor();
  assert.ok(!(await text()).includes(PHONE_NO));
});

test('wrong PINs wait longer each time, across a reload; the data is never wiped', async () => {
  const { page } = phone;
  const message = page.locator('[data-test=lock-message]');
  for (const n of [1, 2]) {
    await unlock('000000');
    await message.filter({ hasText: `密码不对，已连续输错 ${n} 次。` }).waitFor();
  }
  await unlock('000000');
  await message.filter({ hasText: '已连续输错 3 次。请等30秒再试，再输错要等更久。' }).waitFor();
  assert.equal(await page.getByRole('button', { name: /请等待/ }).isDisabled(), true);
  await page.reload();
  await page.getByRole('button', { name: /请等待/ }).waitFor();
  await page.clock.fastForward('00:31');
  await unlock('111111');
  await message.filter({ hasText: '已连续输错 4 次。请等1分钟再试' }).waitFor();
  await page.clock.fastForward('01:01');
  await unlock('135790');
  await page.getByText(PHONE_NO).waitFor();
});

test('a county file that asks for a lock is stored only once the township phone has one', async () => {
  const { page, server } = phone;
  await page.goto(`${server.base}/settings`);
  await locked().waitFor();
  await unlock('135790');
  await page.locator('[data-test=files-need-lock]').check();
  await page.goto(`${server.base}/exchange`);
  await locked().waitFor();
  await unlock('135790');
  await page.locator('[data-test=without-sensitive]').check();
  await page.getByRole('button', { name: '导出全部数据' }).click();
  await page.locator('[data-test=export-ready]').waitFor();
  const dir = await mkdtemp(join(tmpdir(), 'sangyu-lock-'));
  try {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
    const file = join(dir, 'county.txt');
    await download.saveAs(file);
    assert.match((await readFile(file, 'utf8')).split('\n')[0], /"lock":true\}$/);

    await onPhone(async (town) => {
      const problems = watch(town.page, town.server.base);
      const t = town.page;
      await pickFile(t, town.server.base, file);
      await t.locator('[data-test=import-needs-lock]').waitFor();
      assert.equal(await t.locator('[data-test=import-confirm]').isDisabled(), true, 'no import before a lock');
      const section = t.locator('[data-test=import-preview] [data-test=lock-settings]');
      await setLock(section, '乡镇联络员的长密码');
      await t.locator('[data-test=import-needs-lock]').waitFor({ state: 'detached' });
      await t.locator('[data-test=import-confirm]').click();
      await t.getByText(/^已导入/).waitFor();
      await t.goto(`${town.server.base}/people`);
      await t.locator('[data-test=lock]').waitFor();
      await t.locator('[data-test=lock] input[name=secret]').fill('乡镇联络员的长密码');
      await t.getByRole('button', { name: '解锁', exact: true }).click();
      await t.locator('.list').getByText(WANG.name).waitFor();
      assert.deepEqual(problems, []);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('立即锁定 locks every tab; the recovery code opens a locked phone, then a new PIN; removing the PIN opens the app without one', async () => {
  const { page, server } = phone;
  await page.goto(`${server.base}/settings`);
  await locked().waitFor();
  await unlock('135790');
  // A second tab, open on the person: 立即锁定 in the first locks it too.
  const other = await phone.context.newPage();
  await other.goto(personUrl);
  await other.locator('[data-test=lock] input[name=secret]').fill('135790');
  await other.getByRole('button', { name: '解锁', exact: true }).click();
  await other.getByText(PHONE_NO).waitFor();
  await page.locator('[data-test=lock-now]').click();
  await locked().waitFor();
  await other.locator('[data-test=lock]').waitFor();
  assert.ok(!(await other.content()).includes(PHONE_NO), 'the other tab holds no record either');
  await other.close();
  await page.locator('[data-test=forgot]').click();
  await page.locator('[data-test=lock] input[name=secret]').fill(code.replace(/-/g, ' ').toLowerCase());
  await page.getByRole('button', { name: '用恢复码解锁' }).click();
  await page.locator('input[name=new-secret]').fill('246802');
  await page.locator('input[name=new-secret-again]').fill('246802');
  await page.getByRole('button', { name: '设置新密码并解锁' }).click();
  await page.locator('[data-test=lock-settings]').waitFor();

  await page.reload();
  await locked().waitFor();
  await unlock('135790');
  await page.locator('[data-test=lock-message]').filter({ hasText: '密码不对' }).waitFor();
  await unlock('246802');
  const section = page.locator('[data-test=lock-settings]');
  await section.getByRole('button', { name: '取消密码' }).click();
  await section.locator('input[name=current-secret]').fill('246802');
  await section.getByRole('button', { name: '确认取消密码' }).click();
  await section.locator('[data-test=set-lock]').waitFor();
  await page.goto(personUrl);
  await page.getByText(PHONE_NO).waitFor();
  await page.clock.fastForward('10:00');
  assert.equal(await locked().count(), 0, 'no lock, no locking');
  assert.deepEqual(phone.problems, []);
});
