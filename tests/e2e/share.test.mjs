// End to end: a week's work leaves a village phone the ways real phones allow. The share sheet
// (Android's, stood in for by an init script at the browser's own interface) is handed a file
// Chrome Android accepts, or the file is saved and the user told where; the same export as
// chat text, copied on one phone and pasted on two others part by part, imports exactly as
// the file does; damaged text and hostile files are refused the same way through both routes;
// a record that came in under a relaxed rule waits on 待核对 until its form fixes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { importPicked, openPhone, previewRows, registerWangJianguo, stores, watch } from './harness.mjs';
import { county, exportFile, rng, townshipWeek, uuid } from './dataset.mjs';

// Chrome on Android: `share()` takes only listed file types, `canShare()` says yes regardless.
// The test picks the outcome through `window.__shareMode` ('ok', 'refuse', 'abort').
const SHARE_SHEET = `
  window.__shared = [];
  navigator.canShare = () => true;
  navigator.share = async (data) => {
    const files = (data.files || []).map((f) => ({ name: f.name, type: f.type, size: f.size }));
    window.__shared.push({ files, text: data.text ?? null });
    const mode = window.__shareMode || 'ok';
    if (mode === 'refuse') throw new DOMException('Permission denied', 'NotAllowedError');
    if (mode === 'abort') throw new DOMException('Share canceled', 'AbortError');
    if (files.some((f) => !/\\.(txt|text|csv|pdf)$/.test(f.name) || !['text/plain', 'text/csv', 'application/pdf'].includes(f.type))) {
      throw new DOMException('Permission denied', 'NotAllowedError');
    }
  };
`;

let a;
let b;
let c;
let dir;

before(async () => {
  [a, b, c] = await Promise.all([openPhone(), openPhone(), openPhone()]);
  for (const phone of [a, b, c]) {
    await phone.context.addInitScript(SHARE_SHEET);
    await phone.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: phone.server.base });
  }
  dir = await mkdtemp(join(tmpdir(), 'sangyu-share-'));
});

after(async () => {
  await a?.close();
  await b?.close();
  await c?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The chat text of a file, as docs/file-format.md specifies it: a second implementation. */
function chatParts(text, per = 4000) {
  const payload = deflateSync(Buffer.from(text, 'utf8'));
  const id = (crc32(payload) >>> 0).toString(16).padStart(8, '0');
  const b64 = payload.toString('base64');
  const pieces = [];
  for (let i = 0; i < b64.length; i += per) pieces.push(b64.slice(i, i + per));
  return pieces.map((piece, i) => {
    const line = `${id}.z.${i + 1}.${pieces.length}`;
    const check = (crc32(Buffer.from(piece), crc32(Buffer.from(line))) >>> 0).toString(16).padStart(8, '0');
    return `桑榆数据 ${i + 1}/${pieces.length}（在桑榆“导入”页点“粘贴导入”）\n#${line}.${check}\n${piece}\n#完`;
  });
}

async function exportStatus(page, base) {
  await page.goto(`${base}/exchange`);
  const status = page.locator('[data-test=export-status]');
  await status.waitFor();
  return status.innerText();
}

test('the share sheet gets a .txt text/plain file; a refusal saves it and says where; a closed sheet says nothing', async () => {
  const { page, server } = a;
  const problems = watch(page, server.base);
  const township = exportFile({ device: uuid(rng(1)), records: county(7, { people: 5, activities: 14, benefits: 5 }) });
  const seed = join(dir, '乡镇.jsonl');
  await writeFile(seed, township);
  // An older version's .jsonl file still imports: a file is known by its first line.
  await importPicked(a, seed);
  await registerWangJianguo(page, server.base);

  const make = async () => {
    await page.goto(`${server.base}/exchange`);
    await page.getByRole('button', { name: '导出全部数据' }).click();
    await page.locator('[data-test=export-ready]').waitFor();
  };
  // The sheet is closed: nothing said, and the export is not counted as done.
  await make();
  await page.evaluate(() => { window.__shareMode = 'abort'; });
  await page.locator('[data-test=share-file]').click();
  await page.waitForFunction(() => window.__shared.length === 1);
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.flash').count(), 0);
  assert.equal(await exportStatus(page, server.base), '本机还没有导出过。');

  // Shared: the file is one Chrome Android takes, and the export counts.
  await make();
  await page.locator('[data-test=share-file]').click();
  await page.getByText(/^已导出 \d+ 条记录：桑榆-.*\.txt$/).waitFor();
  const [shared] = await page.evaluate(() => window.__shared);
  assert.equal(shared.files.length, 1);
  assert.match(shared.files[0].name, /^桑榆-未命名单位-\d{8}-\d{4}\.txt$/);
  assert.equal(shared.files[0].type, 'text/plain');
  assert.match(await exportStatus(page, server.base), /^上次导出：.*（今天）；之后有 0 处修改未导出。$/);

  // The browser refuses the file: it is saved instead, and the line says where and what next.
  await make();
  await page.evaluate(() => { window.__shareMode = 'refuse'; });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=share-file]').click()]);
  assert.match(download.suggestedFilename(), /\.txt$/);
  const saved = join(dir, 'saved.txt');
  await download.saveAs(saved);
  assert.match(await readFile(saved, 'utf8'), /^\{"format":"sangyu-export"/);
  await page.getByText(/不能直接分享文件，已改为保存到手机的“下载”（Download）文件夹：在微信聊天中点“＋”→“文件”/).waitFor();
  // The file picker hides nothing by type, and says where chat apps keep files.
  assert.equal(await page.locator('[data-test=import-file]').getAttribute('accept'), null);
  await page.locator('[data-test=chat-file-hint] summary').click();
  await page.getByText(/微信：打开那个文件，点右上角“⋯”→“用其他应用打开”/).waitFor();
  assert.deepEqual(problems, []);
});

test('a week as chat text: one message copied, pasted on another phone, imports exactly as the file', async () => {
  // The township's roster went to the county before; this week it logs 20 activities and 5
  // payments, and sends only those.
  const { roster, week } = await townshipWeek(dir, { seed: 11, people: 8, device: uuid(rng(2)), names: ['名册.jsonl', '本周.jsonl'] });
  for (const phone of [a, b, c]) await importPicked(phone, roster);
  const { page } = a;
  await page.goto(`${a.server.base}/exchange`);
  await page.getByRole('button', { name: '导出全部数据' }).click();
  await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  await page.getByText(/^已导出/).waitFor();
  await importPicked(a, week);

  await page.goto(`${a.server.base}/exchange`);
  await page.getByRole('button', { name: '只导出新修改' }).click();
  await page.locator('[data-test=export-ready]').getByText(/新修改\.txt（25 条记录）/).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  const saved = join(dir, 'a-week.txt');
  await download.saveAs(saved);
  // The same export, as text too.
  await page.locator('[data-test=copy-text]').click();
  await page.getByText('已复制 ✓').waitFor();
  await page.getByText(/^已导出 25 条记录：.*（已复制为文字）$/).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /^桑榆数据 1\/1（在桑榆“导入”页点“粘贴导入”）\n#[0-9a-f]{8}\.z\.1\.1\.[0-9a-f]{8}\n[A-Za-z0-9+/=]+\n#完$/);
  assert.ok(copied.length <= 4100, `${copied.length} characters`);

  // B takes the file, C the text with a chat's words around it: same preview, same stores.
  await b.page.goto(`${b.server.base}/exchange`);
  await b.page.locator('[data-test=import-file]').setInputFiles(saved);
  const byFile = await previewRows(b.page);
  await c.page.goto(`${c.server.base}/exchange`);
  await c.page.locator('[data-test=paste-box]').fill(`王芳 16:05\n${copied}\n[收到]`);
  const byText = await previewRows(c.page);
  assert.deepEqual(byText, byFile);
  assert.match(byText.find((r) => r.startsWith('活动')) ?? '', /^活动\t20\t/);
  for (const phone of [b, c]) {
    await phone.page.locator('[data-test=import-confirm]').click();
    await phone.page.getByText(/^已导入/).waitFor();
  }
  assert.deepEqual(await stores(c.page), await stores(b.page));
});

test('parts pasted in any order; a missing one is named; a changed character is refused and nothing written', async () => {
  // A county roster large enough for several messages.
  const roster = exportFile({ device: uuid(rng(3)), office: '县老干部服务中心', records: county(5, { people: 150, activities: 60, benefits: 20 }) });
  const parts = chatParts(roster);
  assert.ok(parts.length >= 3, `${parts.length} parts`);
  const { page, server } = b;
  const problems = watch(page, server.base);
  await page.goto(`${server.base}/exchange`);
  const before = await stores(page);
  const box = page.locator('[data-test=paste-box]');
  // A changed character in part 2: refused naming it, nothing previewed or written.
  const body = parts[1].split('\n');
  body[2] = body[2].slice(0, 10) + (body[2][10] === 'A' ? 'B' : 'A') + body[2].slice(11);
  await box.fill(body.join('\n'));
  await page.locator('[data-test=paste-error]').getByText(`第 2/${parts.length} 段已损坏`).waitFor();
  assert.equal(await page.locator('[data-test=import-preview]').count(), 0);
  // A doubled character too.
  await box.fill(parts[1].replace('\n#完', `${parts[1].at(-4)}\n#完`));
  await page.locator('[data-test=paste-error]').getByText(`第 2/${parts.length} 段已损坏`).waitFor();
  // One at a time, in reverse, one left out: the missing one is named.
  await page.getByRole('button', { name: '清空重来' }).click();
  for (const part of [...parts].reverse().slice(0, -1)) {
    await box.fill(`转发自 县老干部服务中心：\n${part}`);
  }
  await page.locator('[data-test=paste-status]').getByText(`还缺第 1 段`).waitFor();
  assert.equal(await page.locator('[data-test=import-preview]').count(), 0);
  assert.deepEqual(await stores(page), before, 'nothing written while parts are missing or damaged');
  await box.fill(parts[0]);
  const rows = await previewRows(page);
  assert.match(rows.find((r) => r.startsWith('人员')) ?? '', /^人员\t150\t/);
  // All at once in reverse order works the same.
  await page.getByRole('button', { name: '清空重来' }).click();
  await box.fill([...parts].reverse().join('\n\n'));
  assert.deepEqual(await previewRows(page), rows);
  assert.deepEqual(problems, []);
});

test('damaged and hostile files are refused the same through the file and the paste', async () => {
  const good = exportFile({ device: uuid(rng(4)), records: county(9, { people: 3, activities: 2, benefits: 1 }) });
  const lines = good.split('\n');
  const corpus = {
    '截断.txt': good.slice(0, Math.floor(good.length / 2)),
    '改动.txt': good.replace('"sessions":1', '"sessions":2'),
    '名册.csv': '姓名,性别\n王建国,男\n',
    '控制字符.txt': exportFile({
      device: uuid(rng(5)),
      records: [{ kind: 'person', id: uuid(rng(6)), body: { name: '王\u202e国', gender: 'male', category: 'lixiu', township: '城关镇' } }],
    }),
    '新版本.txt': [lines[0].replace('"version":1', '"version":9'), ...lines.slice(1)].join('\n'),
  };
  const { page, server } = c;
  await page.goto(`${server.base}/exchange`);
  const before = await stores(page);
  for (const [name, text] of Object.entries(corpus)) {
    const path = join(dir, name);
    await writeFile(path, text);
    await page.goto(`${server.base}/exchange`);
    await page.locator('[data-test=import-file]').setInputFiles(path);
    const error = page.locator('[data-test=import-error]');
    await error.waitFor();
    const byFile = (await error.innerText()).replace(`文件 ${name}：`, '');
    await page.goto(`${server.base}/exchange`);
    await page.locator('[data-test=paste-box]').fill(chatParts(text).join('\n'));
    await error.waitFor();
    const byText = (await error.innerText()).replace(/^文件 粘贴的文字（\d+ 段）：/, '');
    assert.equal(byText, byFile, name);
    assert.equal(await page.locator('[data-test=import-preview]').count(), 0, name);
  }
  assert.deepEqual(await stores(page), before);
});

test('a wrong ID check digit from a file waits on 待核对 until the form fixes it', async () => {
  const { page, server } = c;
  const problems = watch(page, server.base);
  // What this phone already lists (the earlier files' dates after today, say).
  const listed = async () => {
    await page.goto(`${server.base}/`);
    // The nudges come in one read, with the line about records imported from elsewhere.
    await page.locator('[data-test=imported-unsent]').waitFor();
    const nudge = page.locator('[data-test=review-nudge]');
    return (await nudge.count()) === 0 ? 0 : Number((await nudge.innerText()).match(/待核对 (\d+) 条/)[1]);
  };
  const before = await listed();
  const id = uuid(rng(12));
  const file = join(dir, '校验位.jsonl');
  await writeFile(file, exportFile({
    device: uuid(rng(13)),
    records: [{ kind: 'person', id, body: { name: '钱校验', gender: 'male', birth_date: '1931-05-04', category: 'tuixiu', township: '城关镇', id_number: '520424193105040017' } }],
  }));
  await importPicked(c, file);
  assert.equal(await listed(), before + 1);
  await page.locator('[data-test=review-nudge] a').click();
  const item = page.locator('[data-test=review-item]', { hasText: '人员「钱校验」' });
  await item.getByText(/^身份证号：.*校验/).waitFor();
  assert.equal(await item.locator('.meta').count(), 1, 'only the rule it breaks');
  await item.getByRole('link', { name: '去改正' }).click();
  await page.waitForURL(new RegExp(`/people/${id}/edit$`));
  await page.getByLabel('身份证号').fill('');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(new RegExp(`/people/${id}$`));
  await page.goto(`${server.base}/review`);
  await page.getByRole('heading', { name: '待核对' }).waitFor();
  await page.locator('[data-test=review-list], [data-test=review-none]').first().waitFor();
  assert.equal(await page.getByText('人员「钱校验」').count(), 0);
  assert.equal(await listed(), before);
  assert.deepEqual(problems, []);
});
