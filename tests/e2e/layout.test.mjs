// End to end: every page on a small phone (360x640, the narrowest the county's volunteers
// carry). Nothing scrolls sideways, and on the entry forms the save button stays on screen,
// in the lower half where a thumb reaches it, however long the form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPhone, watch } from './harness.mjs';

const SMALL = { width: 360, height: 640 };
const PAGES = [
  '/', '/people', '/people/new', '/people/import', '/people/duplicates', '/log', '/due', '/activities/new',
  '/benefits/new', '/orgs', '/orgs/new', '/exchange', '/reports', '/cases', '/feedback', '/station', '/settings',
  '/settings/places',
];
const FORMS = ['/people/new', '/activities/new', '/benefits/new', '/orgs/new'];

let phone;

before(async () => {
  phone = await openPhone();
  await phone.page.setViewportSize(SMALL);
});

after(async () => {
  await phone?.close();
});

test('no page scrolls sideways at 360 px, and forms keep save within thumb reach', async () => {
  const { page, server } = phone;
  const problems = watch(page, server.base);
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
  assert.deepEqual(problems, []);
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
