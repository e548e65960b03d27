import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { STORE, T, UI, expect, literal, productGrid, productTiles, test, useLang, waitForHydration, type Lang } from './support';

// Nearby stores by location (LBS): the phone's position (Geolocation API, JS only), a
// shareable `/stores?lat=&lng=` URL, or the city and place pickers (plain GET forms). The
// chosen point is remembered in the `loc` session cookie, so the home page and product
// pages then answer "nearest to you" / "in stock near you".
//
// Expected orders and distances are computed here, independently of the app, from the
// seed file app/src/ssr/seed/stores.csv (WGS-84) with the haversine formula.

// --- Texts (app/src/domain/i18n.rs) ---------------------------------------------------

const N = {
  zh: {
    title: UI.zh.Msg.NearbyTitle,
    useMyLocation: UI.zh.Msg.UseMyLocation,
    locating: UI.zh.Msg.Locating,
    denied: UI.zh.Msg.LocationDenied,
    unavailable: UI.zh.Msg.LocationUnavailable,
    chooseCity: UI.zh.Msg.ChooseCity,
    nearPlace: UI.zh.Msg.NearPlace,
    findButton: UI.zh.Msg.NearPlaceButton,
    nearest: UI.zh.Msg.NearestToYou,
    inStockNearYou: UI.zh.Msg.InStockNearYou,
    nearThisStore: UI.zh.Msg.StoresNearThis,
    homeFindStores: UI.zh.Msg.FindStores,
    shanghai: '上海市',
    jingAnDistrict: '上海市 · 静安区',
    badLat: '纬度须是 -90 到 90 之间的数字。',
    badLng: '经度须是 -180 到 180 之间的数字。',
  },
  en: {
    title: UI.en.Msg.NearbyTitle,
    useMyLocation: UI.en.Msg.UseMyLocation,
    locating: UI.en.Msg.Locating,
    denied: UI.en.Msg.LocationDenied,
    unavailable: UI.en.Msg.LocationUnavailable,
    chooseCity: UI.en.Msg.ChooseCity,
    nearPlace: UI.en.Msg.NearPlace,
    findButton: UI.en.Msg.NearPlaceButton,
    nearest: UI.en.Msg.NearestToYou,
    inStockNearYou: UI.en.Msg.InStockNearYou,
    nearThisStore: UI.en.Msg.StoresNearThis,
    homeFindStores: UI.en.Msg.FindStores,
    shanghai: 'Shanghai',
    jingAnDistrict: "Jing'an District, Shanghai",
    badLat: 'Latitude must be a number between -90 and 90.',
    badLng: 'Longitude must be a number between -180 and 180.',
  },
} as const;

/** Jing'an Temple, Shanghai (WGS-84): the store sh-jingan-temple is about 60 m away. */
const JINGAN = { latitude: 31.223, longitude: 121.4451 };
const NEARBY_LIMIT = 20; // stores listed on /stores
const HOME_NEAREST = 5; // stores in the home page's "Nearest to you"
/** The city picker's values, most stores first. */
const CITIES = ['shanghai', 'beijing', 'guangzhou', 'shenzhen', 'hangzhou', 'urumqi'];

// --- Demo data and geometry, computed independently of the app -----------------------

type SeedStore = {
  index: number;
  slug: string;
  name: Record<Lang, string>;
  city: string;
  cityName: Record<Lang, string>;
  district: string; // English name, as in the place picker's values
  lat: number;
  lon: number;
};

/** A minimal RFC 4180 reader (quoted fields may hold commas). */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  const [head, ...body] = rows;
  return body.filter((r) => r.length === head.length).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

const SEED: SeedStore[] = parseCsv(
  readFileSync(path.join(__dirname, '../../app/src/ssr/seed/stores.csv'), 'utf8'),
).map((r, index) => {
  // The expectations below assume WGS-84 rows (the default): a GCJ-02 row would be moved.
  if (r.datum && r.datum !== 'wgs84') throw new Error(`stores.csv: ${r.slug} is not WGS-84`);
  return {
    index,
    slug: r.slug,
    name: { zh: r.name_zh, en: r.name_en },
    city: r.city_slug,
    cityName: { zh: r.city_zh, en: r.city_en },
    district: r.district_en,
    lat: Number(r.lat),
    lon: Number(r.lon),
  };
});

const seedStore = (slug: string) => SEED.find((s) => s.slug === slug)!;

type Point = { lat: number; lon: number };

/** Great-circle distance in metres (haversine, mean Earth radius). */
function haversine(a: Point, b: Point): number {
  const R = 6371008.8;
  const rad = (d: number) => (d * Math.PI) / 180;
  const dp = rad(b.lat - a.lat);
  const dl = rad(b.lon - a.lon);
  const h = Math.sin(dp / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dl / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The seeded stores by distance from `p`, nearest first (ties in seed order). */
function byDistance(p: Point, except?: string) {
  return SEED.filter((s) => s.slug !== except)
    .map((s) => ({ store: s, m: haversine(p, s) }))
    .sort((a, b) => a.m - b.m || a.store.index - b.store.index);
}

/** The centre the city picker searches from: the mean position of the city's stores. */
function cityCentre(city: string): Point {
  const stores = SEED.filter((s) => s.city === city);
  return {
    lat: stores.reduce((sum, s) => sum + s.lat, 0) / stores.length,
    lon: stores.reduce((sum, s) => sum + s.lon, 0) / stores.length,
  };
}

/** What a shopper reads: `850米` / `1.2公里` (zh), `850 m` / `1.2 km` (en). */
function formatDistance(m: number, lang: Lang): string {
  if (m < 1000) return `${Math.round(m / 10) * 10}${lang === 'zh' ? '米' : ' m'}`;
  return `${(m / 1000).toFixed(1)}${lang === 'zh' ? '公里' : ' km'}`;
}

const DISTANCE = /^\s*(\d+(?:\.\d+)?)\s*(米|公里|m|km)\s*$/;

/** A distance text back in metres. */
function metres(text: string): number {
  const m = text.match(DISTANCE);
  if (!m) throw new Error(`not a distance: ${JSON.stringify(text)}`);
  return Number(m[1]) * (m[2] === '公里' || m[2] === 'km' ? 1000 : 1);
}

// --- Page helpers ----------------------------------------------------------------------

/** A section labelled by its h2. */
const section = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

/** The cards of a store list: each is a list item with the store's link and a distance. */
const cards = (list: Locator) => list.getByRole('listitem');

/** Name, link and distance of each card, in page order. */
async function readCards(list: Locator) {
  const items = cards(list);
  const n = await items.count();
  const out: { name: string; href: string; distance: string; text: string }[] = [];
  for (let i = 0; i < n; i++) {
    const item = items.nth(i);
    const link = item.getByRole('link');
    out.push({
      name: (await link.textContent())!.trim(),
      href: (await link.getAttribute('href'))!,
      distance: (await item.getByText(DISTANCE).textContent())!.trim(),
      text: (await item.textContent())!,
    });
  }
  return out;
}

function expectNonDecreasing(distances: string[]) {
  const m = distances.map(metres);
  for (let i = 1; i < m.length; i++) {
    expect(m[i], `distance #${i + 1} (${distances[i]}) ≥ #${i} (${distances[i - 1]}) in ${distances.join(', ')}`).toBeGreaterThanOrEqual(m[i - 1]);
  }
}

/** The GET form holding the select labelled `label` (the two pickers share a button text). */
const pickerForm = (page: Page, label: string) => page.locator('form').filter({ has: page.getByLabel(label, { exact: true }) });

/**
 * `/stores?place=…`. (With JavaScript the router's <Form> also appends an empty `&=` for
 * the unnamed submit button — cosmetic, reported — so the parameter is compared, not the string.)
 */
const placeIs = (place: string) => (url: URL) => url.pathname === '/stores' && url.searchParams.get('place') === place;

/** Whether this test runs in the JavaScript project. */
const jsOn = () => test.info().project.use.javaScriptEnabled !== false;

/**
 * Replaces the Geolocation API before any page script runs: `getCurrentPosition` calls
 * back with the given error (1 = PERMISSION_DENIED, 2 = POSITION_UNAVAILABLE, 3 = TIMEOUT),
 * or never answers when `code` is null (the browser is still asking).
 */
async function fakeGeolocationError(page: Page, code: 1 | 2 | 3 | null) {
  await page.addInitScript((code) => {
    const fake = {
      getCurrentPosition(_ok: unknown, fail?: (e: unknown) => void) {
        if (code === null || !fail) return;
        const error = { code, message: 'fake', PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3 };
        setTimeout(() => fail(error), 50);
      },
      watchPosition: () => 0,
      clearWatch: () => {},
    };
    Object.defineProperty(Navigator.prototype, 'geolocation', { configurable: true, get: () => fake });
  }, code);
}

// --- The journeys ----------------------------------------------------------------------

for (const lang of ['zh', 'en'] as const satisfies readonly Lang[]) {
  const t = T[lang];
  const n = N[lang];

  test.describe(`[${lang}] nearby stores`, () => {
    test.beforeEach(async ({ context, baseURL }) => {
      await useLang(context, baseURL, lang);
    });

    test.describe('with the phone’s location', () => {
      test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'the Geolocation API needs JavaScript');
      test.use({ geolocation: JINGAN, permissions: ['geolocation'] });

      test('use my location lists the nearest stores, nearest first', async ({ page }) => {
        await page.goto('/stores');
        await expect(page.getByRole('heading', { level: 1, name: n.title, exact: true })).toBeVisible();
        const button = page.getByRole('button', { name: n.useMyLocation, exact: true });
        await waitForHydration(page);
        await expect(button).toBeVisible();
        await button.click();

        // The point with 5 decimals (whether the router or a page load gets there is not
        // the shopper's concern, so it is not checked).
        await expect(page).toHaveURL(
          (url) => url.pathname === '/stores' && url.searchParams.get('lat') === '31.22300' && url.searchParams.get('lng') === '121.44510',
        );
        const nearest = section(page, n.nearest);
        await expect(nearest.getByRole('heading', { level: 2, name: n.nearest, exact: true })).toBeVisible();
        await expect(cards(nearest)).toHaveCount(NEARBY_LIMIT);
        await expect(button).toBeVisible(); // back from "Finding you…"
        await expect(button).toBeEnabled();
        await expect(page.getByRole('alert', { includeHidden: true })).toHaveText(/^\s*$/); // no error

        const shown = await readCards(nearest);
        expect(shown[0].name).toBe(seedStore(STORE).name[lang]);
        expect(shown[0].href).toBe(`/s/${STORE}`);
        expectNonDecreasing(shown.map((c) => c.distance));
        expect(metres(shown[0].distance)).toBeLessThan(500);
        for (const c of shown.slice(0, 5)) expect(metres(c.distance), c.name).toBeLessThan(5000);

        // The same ranking and distances as the seed data says (haversine from the point).
        const expected = byDistance({ lat: JINGAN.latitude, lon: JINGAN.longitude }).slice(0, NEARBY_LIMIT);
        expect(expected.slice(0, 5).every((e) => e.store.city === 'shanghai')).toBe(true);
        expect(shown.slice(0, 5).map((c) => c.name)).toEqual(expected.slice(0, 5).map((e) => e.store.name[lang]));
        expect(shown.map((c) => c.name)).toEqual(expected.map((e) => e.store.name[lang]));
        expect(shown.map((c) => c.distance)).toEqual(expected.map((e) => formatDistance(e.m, lang)));

        // The point is remembered for the session: the home page now starts with it.
        await page.getByRole('link', { name: t.homeLink, exact: true }).click();
        await expect(page).toHaveURL('/');
        const home = section(page, n.nearest);
        await expect(cards(home)).toHaveCount(HOME_NEAREST);
        expect((await readCards(home)).map((c) => c.name)).toEqual(shown.slice(0, HOME_NEAREST).map((c) => c.name));
      });
    });

    test.describe('without the phone’s location', () => {
      test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'the Geolocation API needs JavaScript');

      test('a refused permission says so, and the city picker still works', async ({ page, context }) => {
        // No permission granted: headless Chromium has no prompt to show and refuses at
        // once with PERMISSION_DENIED (deterministic; see fakeGeolocationError otherwise).
        await context.clearPermissions();
        await page.goto('/stores');
        await waitForHydration(page, 'form');
        await page.getByRole('button', { name: n.useMyLocation, exact: true }).click();

        await expect(page.getByRole('alert')).toHaveText(n.denied);
        await expect(page).toHaveURL('/stores');
        await expect(section(page, n.nearest)).toHaveCount(0);
        await expect(page.getByRole('button', { name: n.useMyLocation, exact: true })).toBeEnabled();

        const city = page.getByLabel(n.chooseCity, { exact: true });
        await expect(city).toBeVisible();
        await city.selectOption({ label: n.shanghai });
        await pickerForm(page, n.chooseCity).getByRole('button', { name: n.findButton, exact: true }).click();
        await expect(page).toHaveURL(placeIs('shanghai'));
        await expect(cards(section(page, n.nearest))).toHaveCount(NEARBY_LIMIT);
      });

      for (const [code, why] of [
        [2, 'an unavailable position'],
        [3, 'a timeout'],
      ] as const) {
        test(`${why} says so, never a spinner forever`, async ({ page }) => {
          await fakeGeolocationError(page, code);
          await page.goto('/stores');
          await waitForHydration(page);
          await page.getByRole('button', { name: n.useMyLocation, exact: true }).click();
          await expect(page.getByRole('alert')).toHaveText(n.unavailable);
          await expect(page.getByRole('button', { name: n.useMyLocation, exact: true })).toBeEnabled();
          await expect(page).toHaveURL('/stores');
          await expect(section(page, n.nearest)).toHaveCount(0);
        });
      }

      test('while the browser is asking, the button says so and waits', async ({ page }) => {
        await fakeGeolocationError(page, null);
        await page.goto('/stores');
        await waitForHydration(page);
        await page.getByRole('button', { name: n.useMyLocation, exact: true }).click();
        const asking = page.getByRole('button', { name: n.locating, exact: true });
        await expect(asking).toBeVisible();
        await expect(asking).toBeDisabled();
      });
    });

    // At commit 38d5b86 this fails (reported): style/main.css `button, .button { display:
    // inline-flex }` beats the browser's `[hidden] { display: none }`, so the server-rendered
    // `<button hidden>` shows without JavaScript and before hydration, where it does nothing.
    test('the locate button stays hidden until the app can use it', async ({ page }) => {
      // A slow network, deterministically: the wasm is held until the page has been looked at.
      let release = () => {};
      const looked = new Promise<void>((r) => (release = r));
      if (jsOn()) {
        await page.route('**/*.wasm', async (route) => {
          await looked;
          await route.continue();
        });
      }
      await page.goto('/stores', { waitUntil: 'domcontentloaded' });
      await expect(page.getByRole('heading', { level: 1, name: n.title, exact: true })).toBeVisible();
      // The pickers are always there; no point yet, so no list.
      await expect(page.getByLabel(n.chooseCity, { exact: true })).toBeVisible();
      await expect(page.getByLabel(n.nearPlace, { exact: true })).toBeVisible();
      await expect(section(page, n.nearest)).toHaveCount(0);
      const button = page.getByRole('button', { name: n.useMyLocation, exact: true, includeHidden: true });
      await expect(button).toHaveCount(1);
      // Hidden where it cannot work. (Once hydrated it shows, so this cannot pass by lateness.)
      await expect(button, 'hidden without JavaScript / before hydration').toBeHidden({ timeout: 1_000 });
      release();
      if (jsOn()) {
        await waitForHydration(page);
        await expect(button).toBeVisible();
      }
    });

    test('choose a city, then a place; the home page remembers it', async ({ page }) => {
      await page.goto('/');
      await page.getByRole('link', { name: n.homeFindStores, exact: true }).click();
      await expect(page).toHaveURL('/stores');
      await waitForHydration(page, 'form');

      // The city picker (a plain GET form).
      const city = page.getByLabel(n.chooseCity, { exact: true });
      await expect(city.getByRole('option')).toHaveText(CITIES.map((slug) => SEED.find((s) => s.city === slug)!.cityName[lang]));
      expect(await city.getByRole('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(CITIES);
      await city.selectOption({ label: n.shanghai });
      await pickerForm(page, n.chooseCity).getByRole('button', { name: n.findButton, exact: true }).click();
      await expect(page).toHaveURL(placeIs('shanghai'));

      const nearest = section(page, n.nearest);
      await expect(cards(nearest)).toHaveCount(NEARBY_LIMIT);
      await expect(page.getByLabel(n.chooseCity, { exact: true })).toHaveValue('shanghai');
      const shown = await readCards(nearest);
      const expected = byDistance(cityCentre('shanghai')).slice(0, NEARBY_LIMIT);
      const shanghaiCount = SEED.filter((s) => s.city === 'shanghai').length;
      // Every Shanghai store comes before any store of another city, each with a distance.
      expect(shown.slice(0, shanghaiCount).map((c) => c.href)).toEqual(
        expected.slice(0, shanghaiCount).map((e) => `/s/${e.store.slug}`),
      );
      expect(shown.slice(0, shanghaiCount).every((c) => c.href.startsWith('/s/sh-'))).toBe(true);
      expect(shown.map((c) => c.name)).toEqual(expected.map((e) => e.store.name[lang]));
      expectNonDecreasing(shown.map((c) => c.distance));
      for (const c of shown.slice(0, shanghaiCount)) expect(metres(c.distance), c.name).toBeLessThan(40_000);

      // The place picker: a district, by its label.
      const place = page.getByLabel(n.nearPlace, { exact: true });
      await place.selectOption({ label: n.jingAnDistrict });
      await pickerForm(page, n.nearPlace).getByRole('button', { name: n.findButton, exact: true }).click();
      await expect(page).toHaveURL(placeIs("shanghai/Jing'an District"));
      await expect(page.getByLabel(n.nearPlace, { exact: true })).toHaveValue("shanghai/Jing'an District");
      const jingAn = SEED.filter((s) => s.city === 'shanghai' && s.district === "Jing'an District");
      expect(jingAn.length).toBeGreaterThan(1);
      const districtCentre = {
        lat: jingAn.reduce((a, s) => a + s.lat, 0) / jingAn.length,
        lon: jingAn.reduce((a, s) => a + s.lon, 0) / jingAn.length,
      };
      const expectedHere = byDistance(districtCentre).slice(0, NEARBY_LIMIT);
      await expect(cards(nearest).first().getByRole('link')).toHaveText(expectedHere[0].store.name[lang]);
      const here = await readCards(nearest);
      expect(here.map((c) => c.name)).toEqual(expectedHere.map((e) => e.store.name[lang]));
      expectNonDecreasing(here.map((c) => c.distance));

      // Remembered: the home page lists the 5 stores nearest to the last place chosen.
      await page.getByRole('link', { name: t.homeLink, exact: true }).click();
      await expect(page).toHaveURL('/');
      const home = section(page, n.nearest);
      await expect(home.getByRole('heading', { level: 2, name: n.nearest, exact: true })).toBeVisible();
      await expect(cards(home)).toHaveCount(HOME_NEAREST);
      expect((await readCards(home)).map((c) => c.name)).toEqual(here.slice(0, HOME_NEAREST).map((c) => c.name));
      await expect(page.getByRole('link', { name: n.homeFindStores, exact: true })).toHaveAttribute('href', '/stores');
    });

    test('a shared point, then a product out of stock at the nearest store', async ({ page }) => {
      test.slow(); // four pages, each read in full
      // 1. The shareable URL lists Jing'an Temple first (and remembers the point).
      await page.goto(`/stores?lat=${JINGAN.latitude.toFixed(4)}&lng=${JINGAN.longitude}`);
      const nearest = section(page, n.nearest);
      await expect(cards(nearest)).toHaveCount(NEARBY_LIMIT);
      const list = await readCards(nearest);
      const expected = byDistance({ lat: JINGAN.latitude, lon: JINGAN.longitude });
      expect(list.map((c) => c.name)).toEqual(expected.slice(0, NEARBY_LIMIT).map((e) => e.store.name[lang]));
      expect(list[0].name).toBe(t.storeName);
      const nearestStore = expected[0].store;
      const nearestDistance = metres(list[0].distance);
      // Remembered for the session only, out of scripts' reach.
      const loc = (await page.context().cookies()).find((c) => c.name === 'loc');
      expect(loc).toMatchObject({ value: '31.22300,121.44510', httpOnly: true, expires: -1, path: '/' });

      // 2. Its store page: the 3 other stores nearest to it.
      await waitForHydration(page);
      await nearest.getByRole('link', { name: list[0].name, exact: true }).click();
      await expect(page).toHaveURL(`/s/${nearestStore.slug}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.storeName);
      const nearThis = section(page, n.nearThisStore);
      await expect(cards(nearThis)).toHaveCount(3);
      const around = await readCards(nearThis);
      const aroundExpected = byDistance(nearestStore, nearestStore.slug).slice(0, 3);
      expect(around.map((c) => c.href)).toEqual(aroundExpected.map((e) => `/s/${e.store.slug}`));
      expect(around.map((c) => c.distance)).toEqual(aroundExpected.map((e) => formatDistance(e.m, lang)));

      // 3. A product it has run out of: out-of-stock tiles sort last, so the last page's last tile.
      const heading = productGrid(page, lang).getByRole('heading', { level: 2 });
      const total = Number((await heading.textContent())!.match(/(\d+)/)![1]);
      const lastPage = Math.ceil(total / 24);
      await page.goto(`/s/${nearestStore.slug}?page=${lastPage}`);
      const lastTile = productTiles(page, lang).last();
      await expect(lastTile).toContainText(t.outOfStock);
      const productLink = lastTile.getByRole('link');
      const href = (await productLink.getAttribute('href'))!;
      const sku = href.match(/\/p\/(HC\d+)$/)![1];
      const productName = (await productLink.textContent())!.trim();
      await waitForHydration(page);
      await productLink.click();
      await expect(page).toHaveURL(`/s/${nearestStore.slug}/p/${sku}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(productName);
      await expect(page.getByRole('article')).toContainText(t.outOfStock);

      // 4. "In stock near you": nearest to the shopper, the out-of-stock store left out.
      const inStock = section(page, n.inStockNearYou);
      await expect(inStock.getByRole('heading', { level: 2, name: n.inStockNearYou, exact: true })).toBeVisible();
      await expect(section(page, t.otherStores)).toHaveCount(0);
      await expect(cards(inStock).first()).toBeVisible();
      const have = await readCards(inStock);
      expect(have.length).toBeGreaterThan(0);
      expect(have.length).toBeLessThanOrEqual(5);
      for (const c of have) {
        expect(c.href, c.name).toMatch(new RegExp(`^/s/[a-z0-9-]+/p/${sku}$`));
        expect(c.href, 'the out-of-stock store is not offered').not.toBe(`/s/${nearestStore.slug}/p/${sku}`);
        expect(c.name).not.toBe(list[0].name);
        expect(c.text, c.name).not.toContain(t.outOfStock);
        expect(c.text, c.name).toMatch(t.stockText);
        expect(c.text, c.name).toMatch(t.priceText);
      }
      expect(metres(have[0].distance)).toBeGreaterThanOrEqual(nearestDistance);
      expectNonDecreasing(have.map((c) => c.distance));
      // Distances are from the shopper (not from the store), and the order follows the
      // nearby list: the stores offered appear in it in the same order.
      const rank = (c: { href: string }) => expected.findIndex((e) => c.href.startsWith(`/s/${e.store.slug}/`));
      const ranks = have.map(rank);
      expect(ranks.every((r) => r > 0)).toBe(true);
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
      for (const c of have) {
        expect(c.distance, c.name).toBe(formatDistance(expected[rank(c)].m, lang));
      }

      // 5. Follow the first: the same product, in stock there.
      await inStock.getByRole('link', { name: have[0].name, exact: true }).click();
      await expect(page).toHaveURL(have[0].href);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(productName);
      await expect(page.getByRole('article')).not.toContainText(t.outOfStock);
    });

    test('a point out of range is a 400 that says why', async ({ page, consoleErrors }) => {
      for (const [query, message] of [
        ['lat=91&lng=0', n.badLat],
        ['lat=abc&lng=121.4', n.badLat],
        ['lat=31.2&lng=181', n.badLng],
      ] as const) {
        const r = await page.goto(`/stores?${query}`);
        expect(r!.status(), query).toBe(400);
        await expect(page.locator('html')).toHaveAttribute('lang', t.htmlLang);
        await expect(page.getByRole('alert').filter({ hasText: message })).toHaveText(message);
        await expect(section(page, n.nearest)).toHaveCount(0);
        await waitForHydration(page);
      }
      // The browser reports the 400 documents themselves; nothing else may be logged.
      const others = consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of 400/.test(e));
      expect(others).toEqual([]);
      consoleErrors.length = 0;
      // A bad shared link is not remembered: the home page has no "Nearest to you".
      await page.goto('/');
      await expect(page.getByRole('heading', { level: 1, name: t.brand, exact: true })).toBeVisible();
      await expect(section(page, n.nearest)).toHaveCount(0);
    });

    test('without a location the product page falls back to the same city', async ({ page }) => {
      await page.goto(`/s/${STORE}/p/HC104105`);
      await expect(section(page, t.otherStores)).toBeVisible();
      await expect(section(page, n.inStockNearYou)).toHaveCount(0);
    });
  });
}
