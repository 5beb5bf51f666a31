// End to end: files crafted to harm an office, through the import page. A person line that
// takes an organisation's id is refused and writes nothing; a record with a phone number
// "edited" ten years from now is held back and does not move this device's clock; after a
// browser restart every page still opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { launchPhone, registerWangJianguo, removeProfile, serveDist, tempProfile, watch, pickFile } from './harness.mjs';
import { exportFile, rng, uuid } from './dataset.mjs';

const next = rng(42);
const stamp = (ms) => `${String(ms).padStart(13, '0')}-000000`;

/** An export file of raw record lines (any fields), checksummed as the format says, from a
 * device on UTC (as a misconfigured phone might be). */
function fileOf(device, lines, ms = Date.now()) {
  const body = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  const crc = (crc32(Buffer.from(body, 'utf8')) >>> 0).toString(16).padStart(8, '0');
  const header = {
    format: 'sangyu-export', version: 1, schema: 2, device, office: '外来文件',
    exported: new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'), exported_ms: ms, complete: true,
    records: lines.length, crc32: crc, utc_offset_min: 0,
  };
  return `${JSON.stringify(header)}\n${body}${JSON.stringify({ end: 'sangyu-export', records: lines.length, crc32: crc })}\n`;
}

const pick = pickFile;

test('hostile files are refused or held, write nothing, and no page breaks after a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sangyu-hostile-'));
  const server = await serveDist();
  const profile = await tempProfile();
  let context = await launchPhone(profile);
  let page = context.pages()[0] ?? (await context.newPage());
  try {
    const problems = watch(page, server.base);
    // A county office's branch arrives the ordinary way.
    const branch = uuid(next);
    const county = join(dir, '县局.jsonl');
    await writeFile(county, exportFile({
      device: uuid(next),
      records: [{ kind: 'org', id: branch, body: { kind: 'branch', name: '城关镇离退休干部党支部', level: 'township', township: '城关镇' } }],
    }));
    await pick(page, server.base, county);
    await page.locator('[data-test=import-confirm]').click();
    await page.getByText(/^已导入/).waitFor();
    // What came from another office is not this device's unexported work.
    await page.goto(`${server.base}/`);
    await page.locator('[data-test=imported-unsent]').getByText('从其他单位收到的 1 条记录').waitFor();
    assert.equal(await page.locator('[data-test=unexported]').count(), 0);

    // 1. A third device's person line reusing the branch's id, with valid checksum.
    const collide = join(dir, '冒用编号.jsonl');
    const old = 1_700_000_000_000;
    await writeFile(collide, fileOf(uuid(next), [{
      kind: 'person', id: branch, created: stamp(old), updated: stamp(old), device: uuid(next), deleted: false,
      body: { name: '冒用编号的人', gender: 'male', category: 'lixiu', township: '城关镇' },
    }]));
    await pick(page, server.base, collide);
    const error = page.locator('[data-test=import-error]');
    await error.waitFor();
    assert.match(await error.innerText(), /第 2 行：人员 [0-9a-f]{8}：本机已有同一编号的组织，文件可能被改动过；没有导入任何内容/);
    assert.equal(await page.locator('[data-test=import-confirm]').count(), 0);

    // 2. A record that looks current but whose phone field was "edited" ten years ahead.
    const now = Date.now();
    const writer = uuid(next);
    const future = join(dir, '未来时间.jsonl');
    await writeFile(future, fileOf(writer, [{
      kind: 'person', id: uuid(next), created: stamp(now), updated: stamp(now), device: writer, deleted: false,
      clock: { fields: { phone: `${stamp(now + 10 * 365 * 86_400_000)}/${writer}` } },
      body: { name: '李未来', gender: 'male', category: 'tuixiu', township: '城关镇', phone: '13800000000' },
    }], now));
    await pick(page, server.base, future);
    const preview = page.locator('[data-test=import-preview]');
    await preview.waitFor();
    await preview.getByText('1 条记录的修改时间比本机晚一天以上').waitFor();
    // The export time in this phone's own time (the profile is in Asia/Shanghai), not UTC, and
    // the exporter's zone, since it differs.
    const local = new Date(now).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16);
    await preview.getByText(`导出于 ${local}（本机时间；对方所在时区为 UTC+0:00）`).waitFor();
    assert.equal(await page.locator('[data-test=import-confirm]').isDisabled(), true, 'nothing to import');
    await page.goto(`${server.base}/people`);
    await page.getByRole('heading', { name: '人员名册' }).waitFor();
    assert.equal(await page.getByText('李未来').count(), 0, 'held back, not written');

    // The browser restarts: every page opens, and an edit made here now is stamped now.
    await context.close();
    context = await launchPhone(profile);
    page = context.pages()[0] ?? (await context.newPage());
    const after = watch(page, server.base);
    for (const [route, heading] of [['/', '桑榆'], ['/people', '人员名册'], ['/log', '工作记录'], ['/orgs', '组织'], ['/reports', '统计报表'], ['/due', '待办']]) {
      await page.goto(`${server.base}${route}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    }
    await page.goto(`${server.base}/orgs`);
    await page.getByText('城关镇离退休干部党支部').waitFor();
    await registerWangJianguo(page, server.base);
    await page.goto(`${server.base}/exchange`);
    await page.getByRole('button', { name: '导出全部数据' }).click();
    await page.locator('[data-test=export-ready]').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
    const saved = join(dir, 'mine.jsonl');
    await download.saveAs(saved);
    const mine = (await readFile(saved, 'utf8')).split('\n').filter((l) => l.includes('王建国')).map((l) => JSON.parse(l));
    assert.equal(mine.length, 1);
    const updated = Number(mine[0].updated.split('-')[0]);
    assert.ok(updated < Date.now() + 86_400_000, `stamped ${new Date(updated).toISOString()}, not in the future`);
    assert.deepEqual([...problems, ...after], []);
  } finally {
    await context.close();
    await server.close();
    await removeProfile(profile);
    await rm(dir, { recursive: true, force: true });
  }
});
