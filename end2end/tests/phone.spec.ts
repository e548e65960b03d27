import { STORE, UI, expect, test } from './support';

// What a new user tripped over on a phone (#11): the header keeps its tools whole, a
// 24-hour store says so in one line, the product page's "near you" never lists the store
// the shopper is already in. Pixel 7, JS on and off.

test('the header keeps the bag icon and the language switch whole on a phone', async ({ page }) => {
  for (const lang of ['zh', 'en'] as const) {
    await page.goto(`/s/${STORE}`, { waitUntil: 'domcontentloaded' });
    if (lang === 'en') {
      await page.getByRole('button', { name: /English/ }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    }
    const header = page.locator('header.site-header');
    const icon = await header.locator('.bag-icon').boundingBox();
    expect(icon!.width).toBeGreaterThanOrEqual(20);
    expect(icon!.height).toBeGreaterThanOrEqual(20);
    // The switch's words on one line: its button is no taller than a tap target.
    const button = header.locator('.lang-switch button');
    const box = await button.boundingBox();
    const lineHeight = await button.evaluate((b) => parseFloat(getComputedStyle(b).lineHeight) || 24);
    const text = await button.evaluate((b) => {
      const r = document.createRange();
      r.selectNodeContents(b);
      return r.getClientRects().length;
    });
    expect(text, `${lang}: the switch's words wrap`).toBe(1);
    expect(box!.height).toBeLessThan(48 + lineHeight);
    // Nothing in the header runs past the screen.
    const width = page.viewportSize()!.width;
    for (const el of await header.locator('a, button').all()) {
      const b = await el.boundingBox();
      if (b) expect(b.x + b.width).toBeLessThanOrEqual(width + 1);
    }
  }
});

test('a 24-hour store says so in one line, with no empty table to open', async ({ page }) => {
  await page.goto(`/s/${STORE}`);
  await expect(page.locator('.store-header p.hours')).toHaveText(
    `${UI.zh.Msg.Hours} · ${UI.zh.Msg.Open24h}`,
  );
  await expect(page.locator('.store-header details.hours')).toHaveCount(0);
  await page.goto('/s/sh-wujiang-road');
  await expect(page.locator('.store-header details.hours summary')).toHaveText(UI.zh.Msg.Hours);
});

test('"in stock near you" never lists the store the shopper is in', async ({ page, context, baseURL }) => {
  // A location right at the store: it would be the nearest of all.
  await context.addCookies([{ name: 'loc', value: '31.223229,121.445675', url: baseURL! }]);
  await page.goto(`/s/${STORE}/p/HC101101`);
  const near = page.getByRole('heading', { level: 2, name: UI.zh.Msg.InStockNearYou });
  await expect(near).toBeVisible();
  const section = page.locator('section', { has: near });
  await expect(section.getByRole('link').first()).toBeVisible();
  await expect(section.locator(`a[href^="/s/${STORE}"]`)).toHaveCount(0);
});
