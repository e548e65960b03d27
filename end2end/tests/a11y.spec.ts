import AxeBuilder from '@axe-core/playwright';
import { STORE, expect, test } from './support';

// Accessibility (axe, WCAG 2 A/AA): no serious or critical violation on the pages a
// shopper meets, in both languages. axe runs its script in the page, so JS project only.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'axe needs JavaScript in the page');

const PAGES = ['/', '/stores', '/stores?place=shanghai', `/s/${STORE}`, `/s/${STORE}?c=dairy`, `/s/${STORE}/p/HC104105`, '/s/no-such-store'];

for (const lang of ['zh', 'en'] as const) {
  test.describe(`[${lang}] accessibility`, () => {
    test.beforeEach(async ({ context }) => {
      if (lang === 'en') await context.addCookies([{ name: 'lang', value: 'en', url: 'http://127.0.0.1:3100' }]);
    });

    for (const path of PAGES) {
      test(`no serious axe violations on ${path}`, async ({ page }) => {
        await page.goto(path);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        const serious = results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
        expect(serious, `axe on ${path}`).toEqual([]);
      });
    }
  });
}

// The same app on an in-store screen (1080×1920, touch): readable, and every control is a
// large target.
test.describe('on a 1080×1920 screen', () => {
  test.use({ viewport: { width: 1080, height: 1920 }, deviceScaleFactor: 1, isMobile: false, hasTouch: true });

  test('the store page lays out and its controls are at least 48 px tall', async ({ page }) => {
    await page.goto(`/s/${STORE}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const tiles = page.locator('.product-grid > li');
    await expect(tiles.first()).toBeVisible();
    // Several products side by side, not one long phone column.
    const [a, b] = [await tiles.nth(0).boundingBox(), await tiles.nth(1).boundingBox()];
    expect(a && b && Math.abs(a.y - b.y) < 1).toBe(true);
    const controls = page.locator('.categories a, .search button, .search input, .lang-switch button');
    const count = await controls.count();
    expect(count).toBeGreaterThan(5);
    for (let i = 0; i < count; i++) {
      const box = await controls.nth(i).boundingBox();
      expect(box?.height ?? 0, `control ${i} height`).toBeGreaterThanOrEqual(48);
    }
    const fontSize = await page.locator('body').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(20);
  });
});
