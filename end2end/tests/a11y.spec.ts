import AxeBuilder from '@axe-core/playwright';
import { STORE, UI, expect, test } from './support';

// Accessibility (axe, WCAG 2 A/AA): no serious or critical violation on the pages a
// shopper meets, in both languages. axe runs its script in the page, so JS project only.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'axe needs JavaScript in the page');

const PAGES = [
  '/',
  '/stores',
  '/stores?place=shanghai',
  `/s/${STORE}`,
  `/s/${STORE}?c=dairy`,
  `/s/${STORE}/p/HC104105`,
  `/s/${STORE}/services`,
  '/member/bookings',
  '/s/no-such-store',
  '/bag',
  `/checkout/${STORE}`,
  `/kiosk/${STORE}`,
  `/kiosk/${STORE}/browse`,
  `/kiosk/${STORE}/p/HC101101`,
  `/kiosk/${STORE}/bag`,
  `/till/${STORE}`,
  '/member/inbox',
];

/** Runs axe and returns the serious and critical violations, briefly. */
async function serious(page: import('@playwright/test').Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

for (const lang of ['zh', 'en'] as const) {
  test.describe(`[${lang}] accessibility`, () => {
    test.beforeEach(async ({ context, baseURL }) => {
      if (lang === 'en') await context.addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
    });

    for (const path of PAGES) {
      test(`no serious axe violations on ${path}`, async ({ page }) => {
        // The bag, checkout and kiosk bag pages are checked with something in them.
        if (path === '/bag' || path.startsWith('/checkout/')) {
          await page.request.post('/bag/add', { form: { store: STORE, sku: 'HC101101', quantity: '1', back: '/' } });
        }
        if (path.endsWith('/bag') && path.startsWith('/kiosk/')) {
          await page.request.post('/kiosk/add', { form: { store: STORE, sku: 'HC101101', quantity: '1', back: '/' } });
        }
        await page.goto(path);
        expect(await serious(page), `axe on ${path}`).toEqual([]);
      });
    }

    test('no serious axe violations on a pick-up order and on a form sent back with errors', async ({ page }) => {
      await page.request.post('/bag/add', { form: { store: STORE, sku: 'HC101103', quantity: '1', back: '/' } });
      await page.goto(`/checkout/${STORE}`);
      // The browser's own checks pass (the fields are filled); the server's do not.
      await page.getByLabel(lang === 'zh' ? UI.zh.CheckoutText.Name : UI.en.CheckoutText.Name).fill('Li');
      await page.getByLabel(lang === 'zh' ? UI.zh.CheckoutText.Phone : UI.en.CheckoutText.Phone).fill('123');
      await page.getByRole('button', { name: lang === 'zh' ? UI.zh.CheckoutText.PlaceOrder : UI.en.CheckoutText.PlaceOrder }).click();
      await expect(page.locator('.field-error').first()).toBeVisible();
      expect(await serious(page), 'axe on the checkout with errors').toEqual([]);
      await page.getByLabel(lang === 'zh' ? UI.zh.CheckoutText.Name : UI.en.CheckoutText.Name).fill('Li');
      await page.getByLabel(lang === 'zh' ? UI.zh.CheckoutText.Phone : UI.en.CheckoutText.Phone).fill('13900000000');
      await page.getByRole('button', { name: lang === 'zh' ? UI.zh.CheckoutText.PlaceOrder : UI.en.CheckoutText.PlaceOrder }).click();
      await expect(page).toHaveURL(/\/orders\/CS/);
      expect(await serious(page), 'axe on the order page').toEqual([]);
    });
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
