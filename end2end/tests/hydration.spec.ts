import type { Page } from '@playwright/test';
import { STORE, T, categoryLink, expect, productGrid, test, waitForHydration } from './support';

// Hydration, proven live (JS project only).
//
// Proof: a marker is put on `window`, then a link is clicked. When the wasm router has
// hydrated, the navigation happens in the page (URL and content change, no document
// request, the marker survives). Without hydration the browser loads a new document and
// the marker is gone. The second test blocks the wasm bundle and shows that the very same
// check then reports a full reload, so the first test can fail.
//
// Waiting for hydration: see waitForHydration in support.ts (an init script notes the
// listeners the wasm app registers: the router's window click listener, <Form>'s submit).

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

    // 4. Into a product page (another route).
    expect(
      await navigatesInPlace(page, documents, async () => {
        await productGrid(page, 'zh').getByRole('link', { name: T.zh.dairyProduct, exact: true }).click();
        await expect(page).toHaveURL(`/s/${STORE}/p/HC104105`);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.zh.dairyProduct);
        await expect(page.getByRole('heading', { level: 2, name: T.zh.otherStores })).toBeVisible();
      }),
      'product link navigated client-side',
    ).toBe(true);
    await expect(page).toHaveTitle(new RegExp(`^${T.zh.dairyProduct}`)); // the head follows too

    expect(documents, 'only the first page was loaded as a document').toHaveLength(1);
    // consoleErrors is checked again by the fixture when the test ends.
  });

  test.describe('without the wasm bundle', () => {
    test.use({ allowConsoleErrors: true }); // the blocked fetch is logged, as it should be

    test('the same check detects a full page load', async ({ page }) => {
      const documents = documentRequests(page);
      await page.route('**/*.wasm', (r) => r.abort());
      const blocked = page.waitForEvent('requestfailed', (r) => r.url().endsWith('.wasm'));
      await page.goto(`/s/${STORE}`);
      await blocked;

      // The hydration signal never comes…
      await expect(waitForHydration(page, 'router', 1_500)).rejects.toThrow();
      expect(await page.evaluate(() => window.__appListeners)).toEqual([]);

      // …and the server-rendered link still works, but as a full page load.
      const dairy = categoryLink(page, 'zh', T.zh.dairy);
      expect(
        await navigatesInPlace(page, documents, async () => {
          await dairy.click();
          await expect(page).toHaveURL(`/s/${STORE}?c=dairy`);
          await expect(dairy).toHaveAttribute('aria-current', 'page');
        }),
        'without wasm the click must reload the page',
      ).toBe(false);
      expect(await page.evaluate(() => window.__beforeNav)).toBeUndefined();
      expect(documents).toHaveLength(2);
    });
  });

  test.describe('with server HTML that does not match the app', () => {
    test.use({ allowConsoleErrors: true }); // errors are the point here

    test('the console guard catches the hydration error', async ({ page, consoleErrors }) => {
      // Drop one element from the server's HTML: the client-side tree no longer matches,
      // and tachys panics (console_error_panic_hook logs it). This is what the guard in the
      // first test would report if server and browser rendered different pages.
      await page.route(`**/s/${STORE}`, async (route) => {
        const response = await route.fetch();
        const html = await response.text();
        const tampered = html.replace(/<p class="address">.*?<\/p>/, '');
        expect(tampered).not.toBe(html);
        await route.fulfill({ response, body: tampered });
      });
      await page.goto(`/s/${STORE}`);
      await expect.poll(() => consoleErrors.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(consoleErrors.join('\n')).toMatch(/panicked|unreachable/);
    });
  });

  // Regression: hydration once re-applied the search box's `prop:value` (the current `q`),
  // wiping whatever the shopper typed while the wasm was still loading on a slow network.
  test.describe('typing before hydration', () => {
    test('the text typed into the search box survives hydration', async ({ page }) => {
      await page.route('**/*.wasm', async (route) => {
        await new Promise((r) => setTimeout(r, 1_000)); // a slow network, deterministically
        await route.continue();
      });
      await page.goto(`/s/${STORE}`);
      const box = page.getByRole('search').getByLabel(T.zh.searchInStore);
      await box.fill('牛奶');
      expect(await page.evaluate(() => window.__appListeners)).toEqual([]); // still not hydrated
      await waitForHydration(page, 'form');
      await expect(box).toHaveValue('牛奶', { timeout: 1_000 });
    });
  });
});
