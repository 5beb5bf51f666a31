// End to end: the county sends a township its roster without ID numbers and health (the
// township needs names and phones); the file holds neither, the township stores neither, edits a
// phone and sends its file back, and the county keeps every ID number and takes the phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fillPerson, phonesForFile, WANG, watch, pickFile } from './harness.mjs';

const ID = '520424193105040016';
let county;
let town;
let dir;
phonesForFile(2, 'minimal', (m) => ({ phones: [county, town], dir } = m));

async function exportAll({ page, server }, name, withoutSensitive, township = '') {
  await page.goto(`${server.base}/exchange`);
  if (township) await page.locator('[data-test=export-township]').selectOption(township);
  if (withoutSensitive) await page.locator('[data-test=without-sensitive]').check();
  await page.getByRole('button', { name: '导出全部数据' }).click();
  await page.locator('[data-test=export-ready]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  if (withoutSensitive) assert.match(download.suggestedFilename(), /-不含身份证号\.txt$/);
  const file = join(dir, name);
  await download.saveAs(file);
  await page.getByText(/已导出 \d+ 条记录/).waitFor();
  return file;
}

async function importFile({ page, server }, file) {
  await pickFile(page, server.base, file);
  await page.locator('[data-test=import-confirm]').click();
  await page.getByText(/^已导入/).waitFor();
}

async function openPerson({ page, server }) {
  await page.goto(`${server.base}/people`);
  await page.locator('.list').getByText('王建国').click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
}

test('a file without ID numbers and health leaves them out, and never clears them where they are', async () => {
  const problems = [watch(county.page, county.server.base), watch(town.page, town.server.base)];
  const { page } = county;
  await page.goto(`${county.server.base}/people/new`);
  await fillPerson(page, { ...WANG, phone: '13800000001', id: ID, health: '高血压，需上门' });
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);

  // Another township's cadre, who is none of 城关镇's business.
  await page.goto(`${county.server.base}/people/new`);
  await fillPerson(page, { name: '李秀兰', gender: '女', category: '遗孀', birth: '1940-02-02', township: '河口乡' });
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);

  // A file holding ID numbers is sealed unless the user chooses otherwise, and the choice says
  // what it exposes; leaving the ID numbers out needs no passphrase.
  await page.goto(`${county.server.base}/exchange`);
  const seal = page.getByLabel(/用密码保护文件/);
  assert.equal(await seal.isChecked(), true, 'sealed by default');
  await seal.uncheck();
  await page.locator('[data-test=clear-ids]').getByText('文件里将有 1 人的身份证号').waitFor();
  await page.locator('[data-test=without-sensitive]').check();
  await page.locator('[data-test=clear-ids]').waitFor({ state: 'detached' });

  const sent = await exportAll(county, 'county.txt', true, '城关镇');
  const text = await readFile(sent, 'utf8');
  assert.ok(!text.includes('李秀兰'), 'only 城关镇\'s people');
  assert.ok(text.includes('13800000001'), 'the phone travels');
  assert.ok(!text.includes(ID) && !text.includes('高血压'), 'neither the ID number nor health is in the file');

  await importFile(town, sent);
  await openPerson(town);
  await town.page.getByText('13800000001').waitFor();
  assert.equal(await town.page.getByText(ID).count(), 0);
  assert.equal(await town.page.getByText('高血压').count(), 0);
  // The township's liaison updates the phone; its form saves the fields it never had empty.
  await town.page.getByRole('link', { name: '编辑' }).click();
  await town.page.getByLabel('联系电话').fill('13900000002');
  await town.page.getByRole('button', { name: '保存', exact: true }).click();
  await town.page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  const back = await exportAll(town, 'town.txt', false);
  assert.ok(!(await readFile(back, 'utf8')).includes(ID));

  await importFile(county, back);
  await openPerson(county);
  await page.getByText('13900000002').waitFor();
  await page.getByText(ID).waitFor();
  await page.getByText('高血压，需上门').waitFor();
  assert.deepEqual(problems.flat(), []);
});
