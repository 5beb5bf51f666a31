// The face-to-face route measured (run by scripts/bench after bench.mjs): a township's week and
// a ~100 KB export shown as QR codes at the page's default rate and played to another browser
// as its camera (camera.mjs), with none and a fifth of the frames lost. Each figure beside a
// reference from the same run: the seconds until the import preview beside the seconds the
// fewest frames take at that rate; the distinct frames taken beside the fragments (the
// fountain code's overhead).
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cameraPhone, captureFrames, mjpeg } from './camera.mjs';
import { county, exportFile, rng, townshipWeek, uuid } from './dataset.mjs';
import { importPicked, onPhone, openPhone } from './harness.mjs';

const LONG = 300_000;
/** The sending page's default, frames a second; the fake camera plays 30 pictures a second. */
const RATE = 6;
const HOLD = 30 / RATE;

const dir = await mkdtemp(join(tmpdir(), 'sangyu-bench-qr-'));
const rows = [];
const row = (what, value, unit, refWhat, ref, target) => rows.push({ what, value, unit, refWhat, ref, target });

/**
 * Exports with `button` on the sender and shows it as codes: the file's bytes, its fragments,
 * and three times as many frames captured (none where `capture` is off: an export made only
 * so the next one holds the new changes).
 */
async function show(page, base, button, name, capture = true) {
  await page.goto(`${base}/exchange`);
  await page.getByRole('button', { name: button }).click();
  await page.locator('[data-test=export-ready]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存文件' }).click()]);
  const saved = join(dir, name);
  await download.saveAs(saved);
  await page.locator('[data-test=send-qr]').click();
  const status = page.locator('[data-test=qr-status]');
  await status.getByText(/共 \d+ 条记录/).waitFor();
  const fragments = Number(await status.getAttribute('data-fragments'));
  if (!capture) return { bytes: (await stat(saved)).size, fragments, frames: [] };
  // Taken faster than shown to the camera: the MJPEG's timing is its own.
  await page.locator('[data-test=qr-rate]').selectOption('10');
  const frames = await captureFrames(page, fragments * 3);
  return { bytes: (await stat(saved)).size, fragments, frames };
}

/**
 * A receiver with `roster` already imported scans `frames` (one in `drop` lost), its CPU
 * `slower` times slower (CDP's throttling, a cheap phone); seconds and distinct frames taken.
 */
async function receive(frames, drop, roster, name, slower = 1) {
  const kept = drop ? frames.filter((_, i) => i % drop !== drop - 1) : frames;
  const file = await mjpeg(join(dir, name), kept, HOLD);
  return onPhone(cameraPhone(file), async (phone) => {
    const { page, server } = phone;
    page.setDefaultTimeout(LONG);
    if (roster) await importPicked(phone, roster);
    await page.goto(`${server.base}/exchange`);
    if (slower > 1) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: slower });
    }
    const start = Date.now();
    await page.locator('[data-test=scan-import]').click();
    await page.locator('[data-test=import-preview]').waitFor();
    const seconds = (Date.now() - start) / 1000;
    // The page's thread per picture searched (the scanner's User Timing measures).
    const searches = await page.evaluate(() => performance.getEntriesByName('sangyu-scan').map((e) => e.duration));
    const mean = searches.reduce((a, b) => a + b, 0) / Math.max(1, searches.length);
    const most = Math.max(0, ...searches);
    await page.locator('[data-test=import-confirm]').click();
    const said = await page.getByText(/^已导入 扫码收到的数据/).innerText();
    return { seconds, taken: Number(said.match(/（(\d+) 个画面）/)[1]), mean, most };
  });
}

try {
  const sender = await openPhone();
  try {
    const { page, server } = sender;
    page.setDefaultTimeout(LONG);
    // A township's week (20 activities, 5 payments), sent after its roster went earlier.
    const { roster, week } = await townshipWeek(dir, { seed: 21, people: 30, device: uuid(rng(21)) });
    await importPicked(sender, roster);
    await show(page, server.base, '导出全部数据', 'all.txt', false);
    await importPicked(sender, week);
    const w = await show(page, server.base, '只导出新修改', 'week.txt');
    const least = w.fragments / RATE;
    for (const [drop, label] of [[0, '不丢帧'], [5, '丢 20% 画面']]) {
      const r = await receive(w.frames, drop, roster, `week-${drop}.mjpeg`);
      row(`扫码接收·乡镇一周 25 条（${w.bytes} 字节，${label}）`, r.seconds, 's', `最少画面数 ${w.fragments} ÷ 每秒 ${RATE} 个`, least, '≤ 10 s（丢 20%）');
      row(`扫码接收·乡镇一周，收到的不同画面（${label}）`, r.taken, '个', '最少画面数', w.fragments, '');
    }
    const slow = await receive(w.frames, 5, roster, 'week-slow.mjpeg', 4);
    row('扫码接收·乡镇一周，丢 20%，CPU 慢 4 倍（便宜手机）', slow.seconds, 's', `最少画面数 ${w.fragments} ÷ 每秒 ${RATE} 个`, least, '≤ 10 s');
    row('扫码·每张图片占页面线程，平均（CPU 慢 4 倍）', slow.mean, 'ms', '画面间隔', 1000 / RATE, '');
    row('扫码·每张图片占页面线程，最长（CPU 慢 4 倍）', slow.most, 'ms', '画面间隔', 1000 / RATE, '');

    // About 100 KB of export: the whole of a small township.
    const big = join(dir, 'big.jsonl');
    await writeFile(big, exportFile({ device: uuid(rng(31)), records: county(31, { people: 60, activities: 130, benefits: 50 }) }));
    await importPicked(sender, big);
    const b = await show(page, server.base, '导出全部数据', 'big.txt');
    const r = await receive(b.frames, 0, null, 'big.mjpeg');
    row(`扫码接收·${(b.bytes / 1024).toFixed(0)} KB 导出（不丢帧）`, r.seconds, 's', `最少画面数 ${b.fragments} ÷ 每秒 ${RATE} 个`, b.fragments / RATE, '≤ 90 s');
    row('扫码接收·100 KB，收到的不同画面', r.taken, '个', '最少画面数', b.fragments, '');
  } finally {
    await sender.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
console.log('\n面对面传（二维码，Chromium 假摄像头）');
console.log('| 项目 | 数值 | 参照（同一次运行） | 参照值 | 倍数 | 目标 |');
console.log('|---|---|---|---|---|---|');
for (const x of rows) {
  console.log(`| ${x.what} | ${fmt(x.value)} ${x.unit} | ${x.refWhat} | ${fmt(x.ref)} ${x.unit} | ${(x.value / x.ref).toFixed(2)}× | ${x.target} |`);
}
