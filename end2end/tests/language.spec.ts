import { STORE, T, categoryLink, expect, productGrid, test } from './support';

// The language switch: a plain POST form to /lang that sets the `lang` cookie and sends the
// shopper back to the page they were on. Runs with JS on and off.

const langCookie = async (context: import('@playwright/test').BrowserContext) =>
  (await context.cookies()).find((c) => c.name === 'lang')?.value;

test('switch to English, keep it while browsing, switch back', async ({ page, context }) => {
  await page.goto(`/s/${STORE}`);
  await expect(page.locator('html')).toHaveAttribute('lang', T.zh.htmlLang);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.zh.storeName);

  await page.getByRole('button', { name: /English/ }).click();

  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveURL(`/s/${STORE}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.en.storeName);
  await expect(page.getByText(T.en.open24h, { exact: true }).filter({ visible: true })).toHaveCount(1);
  await expect(page.getByRole('search').getByLabel(T.en.searchInStore)).toBeVisible();
  await expect(page.getByRole('link', { name: T.en.homeLink, exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: /中文/ })).toBeVisible();
  expect(await langCookie(context)).toBe('en');

  // The choice sticks on the next pages: links within the site, then a fresh load.
  await categoryLink(page, 'en', T.en.dairy).click();
  await expect(page).toHaveURL(`/s/${STORE}?c=dairy`);
  await expect(categoryLink(page, 'en', T.en.dairy)).toHaveAttribute('aria-current', 'page');
  await productGrid(page, 'en').getByRole('link', { name: T.en.dairyProduct, exact: true }).click();
  await expect(page).toHaveURL(`/s/${STORE}/p/HC104105`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.en.dairyProduct);
  await expect(page.getByRole('heading', { level: 2, name: T.en.otherStores })).toBeVisible();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: T.en.brand, exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: T.en.allStores })).toBeVisible();

  // And back to Chinese, on the same page.
  await page.goto(`/s/${STORE}/p/HC104105`);
  await page.getByRole('button', { name: /中文/ }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page).toHaveURL(`/s/${STORE}/p/HC104105`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.zh.dairyProduct);
  await expect(page.getByRole('heading', { level: 2, name: T.zh.otherStores })).toBeVisible();
  await expect(page.getByRole('button', { name: /English/ })).toBeVisible();
  expect(await langCookie(context)).toBe('zh-CN');
});

test.describe('a browser that asks for English', () => {
  test.use({ locale: 'en-US' });

  test('gets English without a cookie, and the switch still wins', async ({ page, context }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1, name: T.en.brand, exact: true })).toBeVisible();
    expect(await langCookie(context)).toBeUndefined();

    await page.getByRole('button', { name: /中文/ }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { level: 1, name: T.zh.brand, exact: true })).toBeVisible();
    await page.goto(`/s/${STORE}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.zh.storeName);
  });
});

// Regression: leptos_router's `location.search` has no leading "?", and the switch once
// sent /s/x?c=dairy back to /s/xc=dairy (a 404).
test('the switch keeps the query string (category, search)', async ({ page }) => {

  await page.goto(`/s/${STORE}?c=dairy`);
  await page.getByRole('button', { name: /English/ }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en'); // the switch itself works
  await expect(page).toHaveURL(`/s/${STORE}?c=dairy`, { timeout: 2_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.en.storeName);
  await expect(categoryLink(page, 'en', T.en.dairy)).toHaveAttribute('aria-current', 'page');

  await page.goto(`/?q=${encodeURIComponent('牛奶')}`);
  await page.getByRole('button', { name: /中文/ }).click();
  await expect(page).toHaveURL((u) => u.pathname === '/' && u.searchParams.get('q') === '牛奶');
  await expect(page.getByRole('heading', { level: 2, name: T.zh.resultsFor('牛奶') })).toBeVisible();
});
