// End to end: every page on a small phone (360x640, the narrowest the county's volunteers
// carry), in normal and in large text (大字). Nothing scrolls sideways; on the entry forms the
// save button stays on screen, in the lower half where a thumb reaches it, however long the
// form; every input brought into view has nothing over it; with a keyboard open the people
// search still shows its first results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPhone, phoneForFile, watch, pickFile } from './harness.mjs';
import { county, exportFile } from './dataset.mjs';

const SMALL = { width: 360, height: 640 };
const SMALL_HEIGHT = SMALL.height;
const PAGES = [
  '/', '/people', '/people/new', '/people/import', '/people/duplicates', '/log', '/due', '/activities/new',
  '/benefits/new', '/orgs', '/orgs/new', '/exchange', '/reports', '/cases', '/feedback', '/station', '/settings',
  '/settings/places', '/exchange/qr', '/exchange/scan',
];
const FORMS = ['/people/new', '/activities/new', '/benefits/new', '/orgs/new'];
const ALL_FORMS = [...FORMS, '/cases', '/feedback', '/station', '/settings/places'];

/** Turns 大字 on or off as the settings page does (localStorage), then reloads. */
async function largeText(page, base, on) {
  await page.goto(`${base}/settings`);
  await page.locator('main h1').first().waitFor();
  const box = page.locator('[data-test=large-text]');
  if ((await box.isChecked()) !== on) await box.click();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large')), on);
}

const phone = phoneForFile({}, (p) => p.page.setViewportSize(SMALL));

for (const large of [false, true]) test(`no page scrolls sideways at 360 px, and forms keep save within thumb reach${large ? ' (大字)' : ''}`, async () => {
  const { page, server } = phone;
  const problems = watch(page, server.base);
  await largeText(page, server.base, large);
  for (const path of PAGES) {
    await page.goto(`${server.base}${path}`);
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    const wide = await page.evaluate(() => {
      const doc = document.documentElement;
      if (doc.scrollWidth <= doc.clientWidth) return null;
      // Name the widest element so a failure says where to look.
      const over = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 0.5);
      const e = over[over.length - 1];
      return `${doc.scrollWidth}px: <${e?.tagName.toLowerCase()} class="${e?.className}">${e?.textContent?.slice(0, 30)}`;
    });
    assert.equal(wide, null, `${path} scrolls sideways`);
  }
  for (const path of FORMS) {
    await page.goto(`${server.base}${path}`);
    const save = page.getByRole('button', { name: '保存', exact: true });
    await save.waitFor();
    for (const scroll of [0, 100_000]) {
      await page.evaluate((y) => window.scrollTo(0, y), scroll);
      const box = await save.boundingBox();
      assert.ok(box && box.y >= SMALL.height / 2 && box.y + box.height <= SMALL.height,
        `${path} (scrolled to ${scroll}): save at ${JSON.stringify(box)}`);
      assert.ok(box.height >= 44, `${path}: save button too small to tap (${box.height}px)`);
    }
  }
  for (const path of ALL_FORMS) {
    await page.goto(`${server.base}${path}`);
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    if (path === '/station') await page.locator('[data-test=rota] li').first().getByRole('button', { name: '安排' }).click();
    const covered = await page.evaluate(() => {
      const fields = [...document.querySelectorAll('main input, main select, main textarea')]
        .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0);
      for (const field of fields) {
        // A file input is hidden inside the button-like label that shows it.
        const el = field.classList.contains('hidden-input') ? field.closest('label') : field;
        // As focus brings a field into view: scrolled only if needed, not centred.
        el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        const r = el.getBoundingClientRect();
        const name = `${el.tagName.toLowerCase()} in "${el.closest('.field, .choice, label')?.textContent.trim().slice(0, 12)}"`;
        if (r.top < 0 || r.bottom > innerHeight) return `${name} not fully on screen: ${r.top}..${r.bottom}`;
        const own = el.closest('.field, .choice, label') ?? el;
        // Corners inset past a rounded border, which hit-tests as what is behind it.
        const points = [[r.left + 4, r.top + 4], [r.right - 4, r.top + 4], [r.left + 4, r.bottom - 4], [r.right - 4, r.bottom - 4], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
        for (const [x, y] of points) {
          const top = document.elementFromPoint(x, y);
          if (!top || !(top === el || el.contains(top) || own.contains(top))) {
            return `${name} covered at (${Math.round(x)}, ${Math.round(y)}) by <${top?.tagName.toLowerCase()} class="${top?.className}">${top?.textContent.trim().slice(0, 20)}`;
          }
        }
      }
      return null;
    });
    assert.equal(covered, null, `${path}${large ? ' (大字)' : ''}`);
  }
  await largeText(page, server.base, false);
  assert.deepEqual(problems, []);
});

/**
 * What 大字 must not do on a page: break a word that reads as one (a heading, a button's label,
 * a badge, a table header, a figure) across lines, or cut a field's hint or a choice short.
 * Each is named with its text, so a failure says where to look.
 */
function brokenOrCut() {
  const out = [];
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    return tops.size;
  };
  const whole = 'main h1, main h2, main button, main a.button, main .badge, main th, main .count, .figures td:nth-child(2), .figures td:nth-child(3), .nav a';
  for (const el of document.querySelectorAll(whole)) {
    if (el.getClientRects().length === 0 || !el.textContent.trim()) continue;
    // A heading may wrap between phrases it was given as such (a long h2 with its count).
    if (/^H[12]$/.test(el.tagName) && el.textContent.trim().length > 10) continue;
    if (lines(el) > 1) out.push(`broken: <${el.tagName.toLowerCase()}> ${el.textContent.trim().slice(0, 20)}`);
  }
  const canvas = document.createElement('canvas').getContext('2d');
  const width = (el, text) => {
    const cs = getComputedStyle(el);
    canvas.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    return canvas.measureText(text).width;
  };
  const room = (el) => {
    const cs = getComputedStyle(el);
    return el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  };
  for (const el of document.querySelectorAll('main input[placeholder]')) {
    if (el.getClientRects().length === 0 || el.value) continue;
    if (width(el, el.placeholder) > room(el) + 1) out.push(`cut hint: ${el.placeholder}`);
  }
  for (const el of document.querySelectorAll('main select')) {
    const text = el.selectedOptions[0]?.textContent ?? '';
    // The arrow takes about 0.75em of the room.
    if (el.getClientRects().length > 0 && width(el, text) > room(el) - parseFloat(getComputedStyle(el).fontSize) * 0.75 + 1) {
      out.push(`cut choice: ${text} (${Math.round(width(el, text))} of ${Math.round(room(el))} px)`);
    }
  }
  return out;
}

test('大字 and normal text at 360x740 with a township\'s records: no word broken, nothing cut', { timeout: 240_000 }, async () => {
  const phone = await openPhone({ viewport: { width: 360, height: 740 } });
  const dir = await mkdtemp(join(tmpdir(), 'sangyu-layout-'));
  try {
    const { page, server } = phone;
    const problems = watch(page, server.base);
    const file = join(dir, 'county.txt');
    const records = county(11, { people: 120, activities: 300, benefits: 120 });
    await writeFile(file, exportFile({ device: '00000000-0000-4000-8000-00000000000b', records }));
    await pickFile(page, server.base, file);
    await page.locator('[data-test=import-preview]').waitFor();
    assert.deepEqual(await page.evaluate(brokenOrCut), [], 'the import preview');
    await page.locator('[data-test=import-confirm]').click();
    await page.getByText(/^已导入/).waitFor();
    const person = records.find((r) => r.kind === 'person' && r.body.category === 'lixiu').id;
    const activity = records.find((r) => r.kind === 'activity').id;
    for (const large of [false, true]) {
      await largeText(page, server.base, large);
      for (const path of ['/reports?period=since_2021', '/people', '/exchange', '/log', '/due', `/people/${person}`, `/activities/${activity}`, '/orgs', '/']) {
        await page.goto(`${server.base}${path}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        if (path.startsWith('/reports')) await page.locator('[data-test=figures]').waitFor();
        assert.deepEqual(await page.evaluate(brokenOrCut), [], `${path}${large ? ' (大字)' : ''}`);
      }
    }
    await largeText(page, server.base, false);
    assert.deepEqual(problems, []);
  } finally {
    await phone.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a refused save on every form brings its first field in error into view, with the cursor in it', async () => {
  const { page, server } = phone;
  for (const path of [...FORMS, '/cases', '/feedback']) {
    await page.goto(`${server.base}${path}`);
    await page.locator('main h1').first().waitFor();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForFunction(() => document.activeElement?.closest('.field')?.querySelector('.field-error'), null, { timeout: 5000 })
      .catch(() => assert.fail(`${path}: no field in error has the cursor`));
    const r = await page.evaluate(() => document.activeElement.getBoundingClientRect().toJSON());
    assert.ok(r.top >= 0 && r.bottom <= SMALL_HEIGHT, `${path}: the field in error is on screen (${JSON.stringify(r)})`);
  }
});

test('with a keyboard open (360x440), typing initials on 人员 shows three results', async () => {
  const { page, server } = phone;
  for (const [name, gender] of [['张国华', '男'], ['赵桂花', '女'], ['周光辉', '男']]) {
    await page.goto(`${server.base}/people/new`);
    await page.getByLabel('姓名').fill(name);
    await page.getByLabel(gender, { exact: true }).check();
    await page.getByLabel('退休', { exact: true }).check();
    await page.getByLabel('出生日期').fill('1950-01-01');
    await page.getByLabel('乡镇（街道）').fill('城关镇');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
  }
  for (const large of [false, true]) {
    await largeText(page, server.base, large);
    await page.setViewportSize({ width: 360, height: 440 });
    await page.goto(`${server.base}/people`);
    await page.getByLabel('搜索').fill('zgh');
    await page.getByText('共 3 人').waitFor();
    const visible = await page.evaluate(() => {
      const nav = document.querySelector('.nav').getBoundingClientRect();
      const bottom = Math.min(innerHeight, nav.top);
      const rows = [...document.querySelectorAll('main .list .row')].map((r) => Math.round(r.getBoundingClientRect().bottom));
      return { n: rows.filter((b) => b <= bottom).length, rows, bottom };
    });
    assert.ok(visible.n >= 3, `${large ? '大字: ' : ''}${visible.n} results visible above the keyboard (${JSON.stringify(visible)})`);
    await page.setViewportSize(SMALL);
  }
  await largeText(page, server.base, false);
});

test('a refused save brings the first field in error into view, with the cursor in it', async () => {
  const phone = await openPhone({ viewport: { width: 360, height: 640 } });
  const { page, server } = phone;
  try {
    const problems = watch(page, server.base);
    await page.goto(`${server.base}/people/new`);
    await page.getByLabel('健康状况').fill('良好');
    await page.getByRole('button', { name: '保存' }).click();
    const name = page.getByLabel('姓名');
    await page.waitForFunction(() => document.activeElement?.closest('.field')?.textContent.includes('姓名'));
    assert.equal(await name.evaluate((el) => el === document.activeElement), true);
    const box = await name.boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 640, `姓名 on screen: ${JSON.stringify(box)}`);
    assert.equal(await page.getByText(/处需要修改/).count(), 0, 'no floating summary over the save button');
    assert.deepEqual(problems, []);
  } finally {
    await phone.close();
  }
});
