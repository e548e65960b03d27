import type { Page } from '@playwright/test';
import { STORE, T, categoryLink, expect, productGrid, test, waitForHydration } from './support';

// Hydration, proven live (JS project only).
//
// The app is built as islands: the server renders every page; the wasm hydrates only the
// interactive islands — "use my location", and the store's catalogue, whose category
// links, pages and search then swap the catalogue in place. Proof of life: the app marks
// <html data-hydrated="true"> after hydrating, the island on /stores becomes visible and
// usable, and filtering keeps the same document. The control test blocks the wasm and
// shows the same checks then fail, so the first test can fail.

test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'hydration needs JavaScript');

/** Collects the main frame's document requests: a full page load is one more. */
function documentRequests(page: Page) {
  const documents: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'document' && r.frame() === page.mainFrame()) documents.push(r.url());
  });
  return documents;
}

/**
 * Runs `act` (which must navigate) and reports whether the page stayed the same document:
 * the `window` marker survived and the browser requested no new document.
 */
async function navigatesInPlace(page: Page, documents: string[], act: () => Promise<void>): Promise<boolean> {
  await page.evaluate(() => (window.__beforeNav = 'x'));
  const before = documents.length;
  await act();
  const marker = await page.evaluate(() => window.__beforeNav);
  return marker === 'x' && documents.length === before;
}

test.describe('hydration', () => {
  test('the island on /stores comes alive', async ({ page }) => {
    await page.goto('/stores');
    await waitForHydration(page);
    await expect(page.locator('.locate button')).toBeVisible();
    await expect(page.locator('.locate button')).toBeEnabled();
  });

  test('the store page hydrates and the router navigates in place', async ({ page, consoleErrors }) => {
    const documents = documentRequests(page);
    const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm'));
    await page.goto(`/s/${STORE}`);
    expect((await wasm).ok()).toBe(true);
    await waitForHydration(page, 'form');
    expect(consoleErrors, 'hydration logged no errors').toEqual([]);

    // 1. A category link: URL, aria-current and the grid change without a new document.
    const dairy = categoryLink(page, 'zh', T.zh.dairy);
    expect(
      await navigatesInPlace(page, documents, async () => {
        await dairy.click();
        await expect(page).toHaveURL(`/s/${STORE}?c=dairy`);
        await expect(dairy).toHaveAttribute('aria-current', 'page');
        await expect(productGrid(page, 'zh').getByRole('link', { name: T.zh.dairyProduct, exact: true })).toBeVisible();
        await expect(productGrid(page, 'zh').getByRole('link', { name: T.zh.fruitProduct, exact: true })).toHaveCount(0);
      }),
      'category link navigated client-side',
    ).toBe(true);

    // 2. The store search form (leptos_router <Form method=GET>).
    expect(
      await navigatesInPlace(page, documents, async () => {
        await page.getByRole('search').getByLabel(T.zh.searchInStore).fill(T.zh.storeTerm);
        await page.getByRole('search').getByRole('button', { name: T.zh.searchButton, exact: true }).click();
        await expect(page).toHaveURL((u) => u.searchParams.get('q') === T.zh.storeTerm);
        await expect(page.getByRole('heading', { level: 2, name: T.zh.resultsFor(T.zh.storeTerm) })).toBeVisible();
      }),
      'search form submitted client-side',
    ).toBe(true);

    // 3. The back button restores the category page in place.
    expect(
      await navigatesInPlace(page, documents, async () => {
        await page.goBack({ waitUntil: 'commit' });
        await expect(page).toHaveURL(`/s/${STORE}?c=dairy`);
        await expect(dairy).toHaveAttribute('aria-current', 'page');
        await expect(page.getByRole('heading', { level: 2, name: T.zh.resultsFor(T.zh.storeTerm) })).toHaveCount(0);
      }),
      'history back handled client-side',
    ).toBe(true);

    // 4. Another page (a product) is an ordinary navigation, and works as one.
    await productGrid(page, 'zh').getByRole('link', { name: T.zh.dairyProduct, exact: true }).click();
    await expect(page).toHaveURL(`/s/${STORE}/p/HC104105`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.zh.dairyProduct);
    await expect(page).toHaveTitle(new RegExp(`^${T.zh.dairyProduct}`));
    expect(documents, 'filters, search and back stayed in the first document').toHaveLength(2);
    // consoleErrors is checked again by the fixture when the test ends.
  });

  test.describe('without the wasm bundle', () => {
    test.use({ allowConsoleErrors: true }); // the blocked fetch is logged, as it should be

    test('the same checks report the app as not live', async ({ page }) => {
      await page.route('**/*.wasm', (r) => r.abort());
      const blocked = page.waitForEvent('requestfailed', (r) => r.url().endsWith('.wasm'));
      await page.goto('/stores');
      await blocked;

      // The hydration signal never comes, and the island's button stays hidden.
      await expect(waitForHydration(page, 'router', 1_500)).rejects.toThrow();
      const locate = page.locator('.locate button');
      await expect(locate).toHaveCount(1);
      await expect(locate).toBeHidden();

      // And the catalogue's links still work, but as full page loads.
      const documents = documentRequests(page);
      await page.goto(`/s/${STORE}`);
      const dairy = categoryLink(page, 'zh', T.zh.dairy);
      expect(
        await navigatesInPlace(page, documents, async () => {
          await dairy.click();
          await expect(page).toHaveURL(`/s/${STORE}?c=dairy`);
          await expect(dairy).toHaveAttribute('aria-current', 'page');
        }),
        'without wasm the click must reload the page',
      ).toBe(false);
    });
  });

  // Regression: hydration once re-applied the search box's `prop:value` (the current `q`),
  // wiping whatever the shopper typed while the wasm was still loading on a slow network.
  test.describe('typing before hydration', () => {
    test('the text typed into the search box survives hydration', async ({ page }) => {
      // A slow network, deterministically: the wasm is held until the shopper has typed
      // (a fixed delay was once shorter than a loaded machine's page load and typing).
      let release = () => {};
      const typed = new Promise<void>((r) => (release = r));
      await page.route('**/*.wasm', async (route) => {
        await typed;
        await route.continue();
      });
      await page.goto(`/s/${STORE}`, { waitUntil: 'domcontentloaded' });
      const box = page.getByRole('search').getByLabel(T.zh.searchInStore);
      await box.fill('牛奶');
      expect(await page.evaluate(() => document.documentElement.dataset.hydrated)).toBeUndefined(); // not yet
      release();
      await waitForHydration(page, 'form');
      await expect(box).toHaveValue('牛奶', { timeout: 1_000 });
    });
  });
});
