import {
  STORE,
  T,
  categoryLink,
  expect,
  literal,
  productGrid,
  productTiles,
  test,
  useLang,
  waitForHydration,
  type Lang,
} from './support';

// The shopper's journeys, in both languages. Each runs in both projects: phone-js
// (server-rendered, then hydrated) and phone-nojs (plain HTML forms and links).

for (const lang of ['zh', 'en'] as const satisfies readonly Lang[]) {
  const t = T[lang];

  test.describe(`[${lang}]`, () => {
    test.beforeEach(async ({ context, baseURL }) => {
      await useLang(context, baseURL, lang);
    });

    test('home lists the stores by city', async ({ page }) => {
      await page.goto('/');
      await expect(page.locator('html')).toHaveAttribute('lang', t.htmlLang);
      await expect(page.getByRole('heading', { level: 1, name: t.brand, exact: true })).toBeVisible();
      await expect(page.getByRole('link', { name: t.homeLink, exact: true })).toBeVisible();
      await expect(page.getByRole('button', { name: new RegExp(literal(t.switchTo)) })).toBeVisible();
      await expect(page.getByRole('search').getByLabel(t.homeSearch)).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: t.allStores })).toBeVisible();

      const shanghai = page.getByRole('region', { name: new RegExp(`^${literal(t.shanghai)}`) });
      await expect(shanghai.getByRole('heading', { level: 3, name: new RegExp(`^${literal(t.shanghai)}`) })).toBeVisible();
      await expect(shanghai.getByRole('link', { name: t.storeName, exact: true })).toBeVisible();

      const storeLinks = page.getByRole('main').getByRole('link', { name: t.storeLinkName });
      await expect(storeLinks.first()).toBeVisible();
      expect(await storeLinks.count()).toBeGreaterThanOrEqual(40);
      await expect(storeLinks.first()).toHaveAttribute('href', /^\/s\/[a-z0-9-]+$/);
    });

    test('open a store from the home page', async ({ page }) => {
      await page.goto('/');
      await page.getByRole('link', { name: t.storeName, exact: true }).click();

      await expect(page).toHaveURL(`/s/${STORE}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.storeName);
      await expect(page).toHaveTitle(t.storeName);
      await expect(page.getByText(t.storeAddress)).toBeVisible();
      // Jing'an Temple is open around the clock, so this doesn't depend on the time of day.
      await expect(page.getByText(t.open24h, { exact: true }).filter({ visible: true })).toHaveCount(1);
      await expect(page.getByText(t.cloudStoreNote)).toHaveCount(0); // only shown when closed

      const tiles = productTiles(page, lang);
      await expect(tiles).toHaveCount(24); // a full first page
      await expect(tiles.first()).toContainText(t.priceText);
      await expect(tiles.first()).toContainText(t.stockText);
      await expect(tiles.first().getByRole('link')).toHaveAttribute('href', new RegExp(`^/s/${STORE}/p/HC\\d+$`));
      await expect(productGrid(page, lang).getByRole('link', { name: t.fruitProduct, exact: true })).toBeVisible();
      await expect(
        page.getByRole('navigation', { name: t.categories }).getByRole('link', { name: t.allCategories, exact: true }),
      ).toHaveAttribute('aria-current', 'page');
    });

    test('page through the product grid', async ({ page }) => {
      await page.goto(`/s/${STORE}`);
      await expect(page.getByRole('link', { name: t.previous })).toHaveCount(0);
      const firstTile = productTiles(page, lang).first().getByRole('heading', { level: 3 });
      const firstName = await firstTile.textContent();

      await page.getByRole('link', { name: t.next, exact: true }).click();
      await expect(page).toHaveURL(`/s/${STORE}?page=2`);
      await expect(firstTile).not.toHaveText(firstName!);
      await expect(productTiles(page, lang)).toHaveCount(24);

      await page.getByRole('link', { name: t.previous, exact: true }).click();
      await expect(page).toHaveURL(`/s/${STORE}`);
      await expect(firstTile).toHaveText(firstName!);
    });

    test('filter the store by a category', async ({ page }) => {
      await page.goto(`/s/${STORE}`);
      const all = page.getByRole('navigation', { name: t.categories }).getByRole('link', { name: t.allCategories, exact: true });
      const dairy = categoryLink(page, lang, t.dairy);
      await expect(dairy).toHaveAttribute('aria-current', 'false');
      // On the unfiltered first page the fruit is there: its absence below means something.
      await expect(productGrid(page, lang).getByRole('link', { name: t.fruitProduct, exact: true })).toBeVisible();
      // The link reads "Dairy & Eggs 12": the name, then how many products it holds.
      const count = Number((await dairy.textContent())!.match(/(\d+)\s*$/)![1]);
      expect(count).toBeGreaterThan(0);

      await dairy.click();

      await expect(page).toHaveURL(`/s/${STORE}?c=dairy`);
      await expect(dairy).toHaveAttribute('aria-current', 'page');
      await expect(all).toHaveAttribute('aria-current', 'false');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.storeName);
      const grid = productGrid(page, lang);
      await expect(grid.getByRole('link', { name: t.dairyProduct, exact: true })).toBeVisible();
      await expect(grid.getByRole('link', { name: t.fruitProduct, exact: true })).toHaveCount(0);
      // The grid shows exactly as many products as the category link promised.
      await expect(productTiles(page, lang)).toHaveCount(count);
      await expect(grid.getByRole('heading', { level: 2 })).toContainText(String(count));
    });

    test('search within a store', async ({ page }) => {
      await page.goto(`/s/${STORE}`);
      await waitForHydration(page, 'form'); // typing earlier is lost with JS (known bug)
      const form = page.getByRole('search');
      await form.getByLabel(t.searchInStore).fill(t.storeTerm);
      await form.getByRole('button', { name: t.searchButton, exact: true }).click();

      await expect(page).toHaveURL((url) => url.pathname === `/s/${STORE}` && url.searchParams.get('q') === t.storeTerm);
      await expect(page.getByRole('heading', { level: 2, name: t.resultsFor(t.storeTerm) })).toBeVisible();
      await expect(page.getByRole('search').getByLabel(t.searchInStore)).toHaveValue(t.storeTerm);

      const tiles = productTiles(page, lang);
      await expect(tiles.first()).toBeVisible();
      const n = await tiles.count();
      expect(n).toBeGreaterThan(0);
      // Every hit is named after the term (the demo catalogue makes that true for these terms).
      await expect(tiles.filter({ hasText: new RegExp(literal(t.storeTerm), 'i') })).toHaveCount(n);
      await expect(page.getByRole('heading', { level: 2, name: t.resultsFor(t.storeTerm) })).toContainText(
        lang === 'zh' ? `${n} 件商品` : `${n} product`,
      );
    });

    test('open a product from the grid', async ({ page }) => {
      await page.goto(`/s/${STORE}?c=dairy`);
      await productGrid(page, lang).getByRole('link', { name: t.dairyProduct, exact: true }).click();

      await expect(page).toHaveURL(`/s/${STORE}/p/HC104105`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.dairyProduct);
      const article = page.getByRole('article');
      await expect(article).toContainText(t.priceText);
      await expect(article).toContainText(t.stockText);
      const facts = page.getByRole('definition').filter({ hasText: 'HC104105' });
      await expect(facts).toBeVisible();
      await expect(page.getByRole('term').filter({ hasText: t.skuLabel })).toBeVisible();

      const elsewhere = page.getByRole('region', { name: t.otherStores });
      await expect(elsewhere.getByRole('heading', { level: 2, name: t.otherStores })).toBeVisible();
      const others = elsewhere.getByRole('link', { name: t.storeLinkName });
      await expect(others.first()).toBeVisible();
      await expect(elsewhere.getByText(t.outOfStock)).toHaveCount(0); // "that have it"
      for (const href of await others.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        expect(href).toMatch(/^\/s\/sh-[a-z0-9-]+\/p\/HC104105$/); // same product, same city
        expect(href).not.toContain(`/s/${STORE}/`);
      }

      // Follow one: the same product, in another store.
      const other = others.first();
      const otherName = (await other.textContent())!.trim();
      await other.click();
      await expect(page).toHaveURL(/\/s\/sh-[a-z0-9-]+\/p\/HC104105$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.dairyProduct);
      await expect(page.getByRole('article').getByRole('link', { name: otherName, exact: true })).toBeVisible();
    });

    test('unknown store, page and product are 404s', async ({ page }) => {
      const r = await page.goto('/s/no-such-store');
      expect(r!.status()).toBe(404);
      await expect(page.locator('html')).toHaveAttribute('lang', t.htmlLang);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.notFoundTitle);
      await expect(page.getByRole('alert')).toHaveText(t.notFoundStore);

      const p = await page.goto('/no/such/page');
      expect(p!.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.notFoundTitle);
      await expect(page.getByRole('alert')).toHaveText(t.notFoundPage);

      const q = await page.goto(`/s/${STORE}/p/HC999999`);
      expect(q!.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.notFoundTitle);
      await expect(page.getByRole('alert')).toHaveText(t.notFoundProduct);

      await page.getByRole('main').getByRole('link', { name: t.goHome, exact: true }).click();
      await expect(page).toHaveURL('/');
      await expect(page.getByRole('heading', { level: 1, name: t.brand, exact: true })).toBeVisible();
    });

    test('search from the home page', async ({ page }) => {
      await page.goto('/');
      await waitForHydration(page, 'form'); // typing earlier is lost with JS (known bug)
      const box = page.getByRole('search').getByLabel(t.homeSearch);

      // Products.
      await box.fill(t.homeProductTerm);
      await page.getByRole('search').getByRole('button', { name: t.searchButton, exact: true }).click();
      await expect(page).toHaveURL((url) => url.pathname === '/' && url.searchParams.get('q') === t.homeProductTerm);
      await expect(page.getByRole('heading', { level: 2, name: t.resultsFor(t.homeProductTerm) })).toBeVisible();
      const products = page.getByRole('region', { name: t.products, exact: true });
      await expect(products.getByRole('link', { name: t.homeProductHit, exact: true })).toBeVisible();
      await expect(products.getByRole('link')).not.toHaveCount(0);
      await expect(page.getByRole('search').getByLabel(t.homeSearch)).toHaveValue(t.homeProductTerm);

      // Stores.
      await page.getByRole('search').getByLabel(t.homeSearch).fill(t.homeStoreTerm);
      await page.getByRole('search').getByRole('button', { name: t.searchButton, exact: true }).click();
      await expect(page).toHaveURL((url) => url.searchParams.get('q') === t.homeStoreTerm);
      await expect(page.getByRole('heading', { level: 2, name: t.resultsFor(t.homeStoreTerm) })).toBeVisible();
      const stores = page.getByRole('main').getByRole('link', { name: t.storeLinkName });
      await expect(stores.first()).toBeVisible();
      await expect(stores.filter({ hasText: t.homeStoreTerm })).toHaveCount(await stores.count());

      // Nothing.
      await page.getByRole('search').getByLabel(t.homeSearch).fill('zzqxj');
      await page.getByRole('search').getByRole('button', { name: t.searchButton, exact: true }).click();
      await expect(page).toHaveURL((url) => url.searchParams.get('q') === 'zzqxj');
      await expect(page.getByText(t.nothingFound, { exact: true })).toBeVisible();
      await expect(page.getByRole('main').getByRole('link', { name: t.storeLinkName })).toHaveCount(0);

      // A product hit leads to the product in a store.
      await page.goto(`/?q=${encodeURIComponent(t.homeProductTerm)}`);
      await page.getByRole('region', { name: t.products, exact: true }).getByRole('link', { name: t.homeProductHit, exact: true }).click();
      await expect(page).toHaveURL(/\/s\/[a-z0-9-]+\/p\/HC\d+$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.homeProductHit);
    });
  });
}
