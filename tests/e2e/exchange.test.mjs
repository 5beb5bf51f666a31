// End to end: two offices (two browser profiles) share by files. Both edit the same cadre
// offline, exchange files both ways, and end with the same data and one conflict entry; a
// damaged file is refused with its name and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { phonesForFile, previewRow, registerWangJianguo, watch, pickFile } from './harness.mjs';

let a;
let b;
let dir;
phonesForFile(2, 'files', (m) => ({ phones: [a, b], dir } = m));

/** Exports everything from `phone` and returns the saved file's path. */
async function exportAll(phone, name) {
  const { page, server } = phone;
  await page.goto(`${server.base}/exchange`);
  await page.getByRole('button', { name: '导出全部数据' }).click();
  await page.locator('[data-test=export-ready]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  assert.match(download.suggestedFilename(), /^桑榆-.*\.txt$/);
  const file = join(dir, name);
  await download.saveAs(file);
  await page.getByText(/已导出 \d+ 条记录/).waitFor();
  return file;
}

/** Imports `file` into `phone` after checking the preview's figures. */
async function importFile(phone, file, expect) {
  const { page, server } = phone;
  await pickFile(page, server.base, file);
  const preview = page.locator('[data-test=import-preview]');
  await preview.waitFor();
  assert.deepEqual(await previewRow(preview, '人员'), expect);
  await page.locator('[data-test=import-confirm]').click();
  await page.getByText(/^已导入/).waitFor();
}

async function setPhone(phone, detailUrl, number) {
  const { page } = phone;
  await page.goto(detailUrl);
  await page.getByRole('link', { name: '编辑' }).click();
  await page.getByLabel('联系电话').fill(number);
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
}

test('two offices edit the same cadre, exchange files both ways, and converge with one conflict', async () => {
  const problems = [watch(a.page, a.server.base), watch(b.page, b.server.base)];
  await registerWangJianguo(a.page, a.server.base);
  const id = a.page.url().split('/').pop();

  const first = await exportAll(a, 'a1.jsonl');
  //                             新增 更新 删除 无变化 冲突 暂缓
  await importFile(b, first, ['1', '0', '0', '0', '0', '0']);
  await b.page.goto(`${b.server.base}/people/${id}`);
  await b.page.getByRole('heading', { name: '王建国' }).waitFor();

  // Re-importing the same file offers nothing to do.
  await pickFile(b.page, b.server.base, first);
  await b.page.getByText('文件里的内容本机都已经有了，不用再导入。').waitFor();
  assert.equal(await b.page.locator('[data-test=import-confirm]').isDisabled(), true);

  // Both offices change his phone without hearing from each other; B's edit is later.
  await setPhone(a, `${a.server.base}/people/${id}`, '13900000001');
  await setPhone(b, `${b.server.base}/people/${id}`, '13900000002');

  await importFile(b, await exportAll(a, 'a2.jsonl'), ['0', '0', '0', '1', '1', '0']);
  // A's own number is the one that gives way: A is told of the conflict too.
  await importFile(a, await exportAll(b, 'b1.jsonl'), ['0', '1', '0', '0', '1', '0']);

  for (const phone of [a, b]) {
    await phone.page.goto(`${phone.server.base}/people/${id}`);
    await phone.page.getByText('13900000002').waitFor();
    // One tap to call.
    assert.equal(await phone.page.locator('[data-test=call]').getAttribute('href'), 'tel:13900000002');
    await phone.page.goto(`${phone.server.base}/exchange`);
    const log = phone.page.locator('[data-test=conflicts] li');
    await log.first().waitFor();
    assert.equal(await log.count(), 1);
    assert.match(await log.first().innerText(), /人员「王建国」 · 联系电话[\s\S]*13900000001/);
  }

  // Restoring the lost number at A is a new edit.
  await a.page.getByRole('button', { name: '恢复此值' }).click();
  await a.page.getByText('已恢复联系电话：13900000001').waitFor();
  await a.page.goto(`${a.server.base}/people/${id}`);
  await a.page.getByText('13900000001').waitFor();
  assert.deepEqual(problems.flat(), []);
});

test('a damaged file is refused with its name and the reason, and nothing changes', async () => {
  const good = await readFile(await exportAll(a, 'a3.jsonl'), 'utf8');
  const cut = join(dir, '截断.jsonl');
  await writeFile(cut, good.slice(0, Math.floor(good.length / 2)));
  const { page, server } = b;
  await pickFile(page, server.base, cut);
  const error = page.locator('[data-test=import-error]');
  await error.waitFor();
  assert.match(await error.innerText(), /^文件 截断\.jsonl：文件不完整/);
  assert.equal(await page.locator('[data-test=import-preview]').count(), 0);

  const csv = join(dir, '名册.csv');
  await writeFile(csv, '姓名,性别\n王建国,男\n');
  await page.locator('[data-test=import-file]').setInputFiles(csv);
  await page.getByText('文件 名册.csv：这不是桑榆导出的文件').waitFor();
});

test('the same cadre registered at two offices is offered for merging, never merged by itself', async () => {
  // B registers 王建国 again, as a township would that never saw A's record.
  await registerWangJianguo(b.page, b.server.base);
  await importFile(a, await exportAll(b, 'b2.jsonl'), ['1', '0', '0', '1', '0', '0']);
  const { page, server } = a;
  await page.goto(`${server.base}/people`);
  await page.locator('[data-test=duplicates-found]').getByText('发现 1 对可能重复登记的人员').click();
  const pair = page.locator('[data-test=duplicates] li');
  await pair.getByText('姓名和出生日期相同').waitFor();
  await pair.getByRole('button', { name: '保留左边，合并' }).click();
  await page.getByText(/^已合并为 王建国/).waitFor();
  await page.getByText('没有发现可能重复的人员').waitFor();
  await page.goto(`${server.base}/people`);
  await page.getByLabel('搜索').fill('王建国');
  await page.getByText('共 1 人').waitFor();
});

test('a passphrase-protected export: unreadable without it, refused with a wrong one, imported with the right one', async () => {
  const { page, server } = a;
  await page.goto(`${server.base}/exchange`);
  await page.getByLabel('用密码保护文件').check();
  await page.getByLabel('密码（至少 8 个字符）').fill('桑榆晚霞2026春');
  await page.getByLabel('再输入一次').fill('桑榆晚霞2026春');
  await page.getByRole('button', { name: '导出全部数据' }).click();
  await page.locator('[data-test=export-ready]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  assert.match(download.suggestedFilename(), /-加密\.txt$/);
  const file = join(dir, 'sealed.txt');
  await download.saveAs(file);
  const text = await readFile(file, 'utf8');
  assert.match(text, /^\{"format":"sangyu-encrypted","version":1,"kdf":"PBKDF2-SHA256","iterations":600000,/);
  assert.ok(!text.includes('王建国') && !text.includes('13900000'), 'no personal data in the clear');

  const other = b.page;
  await pickFile(other, b.server.base, file);
  await other.locator('[data-test=import-locked]').waitFor();
  await other.getByLabel('密码', { exact: true }).fill('wrong-passphrase');
  await other.getByRole('button', { name: '解密并预览' }).click();
  await other.getByText('密码不对，或者文件已被改动；没有导入任何内容').waitFor();
  assert.equal(await other.locator('[data-test=import-preview]').count(), 0);

  await other.getByLabel('密码', { exact: true }).fill('桑榆晚霞2026春');
  await other.getByRole('button', { name: '解密并预览' }).click();
  await other.locator('[data-test=import-preview]').waitFor();

  // One changed character in the ciphertext is caught by the cipher's tag.
  const lines = text.split('\n');
  const flipped = lines[1][10] === 'A' ? 'B' : 'A';
  lines[1] = lines[1].slice(0, 10) + flipped + lines[1].slice(11);
  const tampered = join(dir, 'tampered.txt');
  await writeFile(tampered, lines.join('\n'));
  await other.locator('[data-test=import-file]').setInputFiles(tampered);
  await other.getByLabel('密码', { exact: true }).fill('桑榆晚霞2026春');
  await other.getByRole('button', { name: '解密并预览' }).click();
  await other.getByText('密码不对，或者文件已被改动；没有导入任何内容').waitFor();

  // A file asking for the most key-derivation rounds allowed (seconds on a slow phone): the
  // volunteer can cancel, the page is usable at once, and the late result is ignored.
  const slow = join(dir, 'slow.txt');
  await writeFile(slow, text.replace('"iterations":600000', '"iterations":5000000'));
  await other.locator('[data-test=import-file]').setInputFiles(slow);
  await other.getByLabel('密码', { exact: true }).fill('桑榆晚霞2026春');
  await other.getByRole('button', { name: '解密并预览' }).click();
  await other.locator('[data-test=decrypting]').waitFor();
  await other.locator('[data-test=cancel-decrypt]').click();
  await other.getByText('已取消解密，没有导入任何内容').waitFor();
  await other.getByRole('button', { name: '解密并预览' }).waitFor();
  await other.waitForTimeout(6000);
  assert.equal(await other.getByText('密码不对').count(), 0, 'the cancelled attempt says nothing when it ends');
  assert.equal(await other.locator('[data-test=import-preview]').count(), 0);
});
