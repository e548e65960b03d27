import { test as base, devices, expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Shared fixtures, texts and locators for the Cloud Store journeys.
//
// The interface's fixed texts come from the app's own message catalogue (`UI` below, read
// from end2end/catalogue.json, which `make catalogue` exports from app/src/domain/i18n),
// so a reworded message changes here too; texts with numbers or names in them, and the
// demo data (app/src/ssr/seed/*.csv), are written out. The seeded offers (which store
// carries what, prices, stock) are deterministic, but opening hours depend on the wall
// clock, so only 24-hour stores get an open-state check.

export type Lang = 'zh' | 'en';

/** The catalogue's enums; each maps a variant's name to its text. */
type Group =
  | 'Msg'
  | 'BagText'
  | 'CheckoutText'
  | 'MemberText'
  | 'StaffText'
  | 'StockText'
  | 'SettingsText'
  | 'PaymentText'
  | 'AppointmentText'
  | 'InputProblem';
type Catalogue = Record<Group, Record<string, { zh: string; en: string }>>;

const CATALOGUE_FILE = join(__dirname, '..', 'catalogue.json');

function loadCatalogue(): Catalogue {
  try {
    return JSON.parse(readFileSync(CATALOGUE_FILE, 'utf8'));
  } catch (e) {
    throw new Error(`${CATALOGUE_FILE} is missing or unreadable (${e}): run \`make catalogue\` first`);
  }
}

/** One language's view of the catalogue; a name the app does not have throws, not `undefined`. */
function inLanguage(catalogue: Catalogue, lang: Lang): Record<Group, Record<string, string>> {
  const view = {} as Record<Group, Record<string, string>>;
  for (const group of Object.keys(catalogue) as Group[]) {
    view[group] = new Proxy(catalogue[group], {
      get(texts, name) {
        const text = texts[name as string];
        if (text === undefined) throw new Error(`the message catalogue has no ${group}::${String(name)}`);
        return text[lang];
      },
    }) as unknown as Record<string, string>;
  }
  return view;
}

const catalogue = loadCatalogue();

/** The app's fixed texts: `UI.zh.BagText.AddToBag` is the Chinese of `BagText::AddToBag`. */
export const UI = { zh: inLanguage(catalogue, 'zh'), en: inLanguage(catalogue, 'en') } as const;

export const STORE = 'sh-jingan-temple'; // a 24h store in Shanghai

export const T = {
  zh: {
    htmlLang: 'zh-CN',
    brand: '禾川生活',
    homeLink: '禾川生活', // the brand link in the header leads home
    switchTo: 'English',
    allStores: UI.zh.Msg.AllStores,
    shanghai: '上海市',
    storeName: '禾川生活·静安寺店',
    storeLinkName: /^禾川生活·/,
    storeAddress: '上海市静安区南京西路1699号',
    open24h: UI.zh.Msg.Open24h,
    cloudStoreNote: UI.zh.Msg.CloudStoreOpen,
    categories: UI.zh.Msg.Categories,
    allCategories: UI.zh.Msg.AllCategories,
    dairy: '乳品蛋品',
    dairyProduct: '希腊式高蛋白酸奶',
    fruitProduct: '烟台红富士苹果',
    searchInStore: UI.zh.Msg.SearchInStore,
    searchButton: UI.zh.Msg.SearchButton,
    storeTerm: '牛奶',
    resultsFor: (q: string) => `“${q}”的搜索结果`,
    productCount: /\d+ 件商品/,
    priceText: /¥\d+\.\d{2}/,
    stockText: /有货|仅剩 \d+ 件|缺货/,
    outOfStock: UI.zh.Msg.OutOfStock,
    otherStores: UI.zh.Msg.OtherStoresNearby,
    productFacts: UI.zh.Msg.ProductInfo,
    skuLabel: UI.zh.Msg.Sku,
    notFoundTitle: UI.zh.Msg.NotFoundTitle,
    notFoundStore: UI.zh.Msg.NotFoundStore,
    notFoundPage: UI.zh.Msg.NotFoundPage,
    notFoundProduct: UI.zh.Msg.NotFoundProduct,
    goHome: UI.zh.Msg.GoHome,
    homeSearch: UI.zh.Msg.SearchLabel,
    homeProductTerm: '牛奶',
    homeProductHit: '低脂鲜牛奶',
    homeStoreTerm: '徐家汇',
    products: UI.zh.Msg.ProductsHeading,
    nothingFound: UI.zh.Msg.NoResults,
    next: UI.zh.Msg.Next,
    previous: UI.zh.Msg.Previous,
  },
  en: {
    htmlLang: 'en',
    brand: 'Hechuan Living',
    homeLink: 'Hechuan Living', // the brand link in the header leads home
    switchTo: '中文',
    allStores: UI.en.Msg.AllStores,
    shanghai: 'Shanghai',
    storeName: "Hechuan Living Jing'an Temple",
    storeLinkName: /^Hechuan Living /,
    storeAddress: '1699 Nanjing West Road, Jing\'an District, Shanghai',
    open24h: UI.en.Msg.Open24h,
    cloudStoreNote: UI.en.Msg.CloudStoreOpen,
    categories: UI.en.Msg.Categories,
    allCategories: UI.en.Msg.AllCategories,
    dairy: 'Dairy & Eggs',
    dairyProduct: 'Greek-style High-protein Yogurt',
    fruitProduct: 'Yantai Fuji Apples',
    searchInStore: UI.en.Msg.SearchInStore,
    searchButton: UI.en.Msg.SearchButton,
    storeTerm: 'milk',
    resultsFor: (q: string) => `Results for “${q}”`,
    productCount: /\d+ products?/,
    priceText: /¥\d+\.\d{2}/,
    stockText: /In stock|Only \d+ left|Out of stock/,
    outOfStock: UI.en.Msg.OutOfStock,
    otherStores: UI.en.Msg.OtherStoresNearby,
    productFacts: UI.en.Msg.ProductInfo,
    skuLabel: UI.en.Msg.Sku,
    notFoundTitle: UI.en.Msg.NotFoundTitle,
    notFoundStore: UI.en.Msg.NotFoundStore,
    notFoundPage: UI.en.Msg.NotFoundPage,
    notFoundProduct: UI.en.Msg.NotFoundProduct,
    goHome: UI.en.Msg.GoHome,
    homeSearch: UI.en.Msg.SearchLabel,
    homeProductTerm: 'bread',
    homeProductHit: 'Hokkaido Milk Bread',
    homeStoreTerm: 'Xujiahui',
    products: UI.en.Msg.ProductsHeading,
    nothingFound: UI.en.Msg.NoResults,
    next: UI.en.Msg.Next,
    previous: UI.en.Msg.Previous,
  },
} as const;

/** Starts the browser in `lang`: zh-CN is the default, English is the `lang` cookie. */
export async function useLang(context: BrowserContext, baseURL: string | undefined, lang: Lang) {
  if (lang === 'en') {
    await context.addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
  }
}

/** Escapes a literal for use inside a RegExp. */
export const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The store's product grid: the region labelled by the "N products" heading. */
export const productGrid = (page: Page, lang: Lang) =>
  page.getByRole('main').getByRole('region', { name: T[lang].productCount });

/** The tiles of the product grid. */
export const productTiles = (page: Page, lang: Lang) =>
  productGrid(page, lang).getByRole('list').getByRole('listitem');

/** A category link in the store's Categories nav (its name also carries the item count). */
export const categoryLink = (page: Page, lang: Lang, name: string) =>
  page
    .getByRole('navigation', { name: T[lang].categories })
    .getByRole('link', { name: new RegExp(`^${literal(name)}(\\s*\\d+)?$`) });

declare global {
  interface Window {
    /** `${target}:${event}` for every listener the app bundle (wasm) has registered. */
    __appListeners?: string[];
    __beforeNav?: string;
  }
}

/**
 * Init script: notes every event listener registered by the app bundle (/pkg/cloud_store*,
 * the wasm-bindgen glue), e.g. "window:click" (leptos_router's <Router>, registered while
 * `hydrate()` runs) or "FORM:submit" (leptos_router's <Form>, once that form is hydrated).
 * Listeners registered by anything else (Playwright's injected script adds some on window)
 * are ignored. It changes no behaviour.
 */
function hydrationProbe() {
  window.__appListeners = [];
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
    if (/\/pkg\/cloud_store[^/]*\.(js|wasm)/.test(new Error().stack ?? '')) {
      const target = this === window ? 'window' : this === document ? 'document' : (this as Element).nodeName;
      window.__appListeners!.push(`${target}:${type}`);
    }
    // @ts-expect-error: forwarding the original arguments untouched
    return add.call(this, type, ...rest);
  };
}

/**
 * With JavaScript on, waits until the wasm has hydrated the page's islands: the app then
 * marks `<html data-hydrated="true">`. No-op without JS. (`what` is kept for callers.)
 */
export async function waitForHydration(page: Page, _what: 'router' | 'form' = 'router', timeout = 10_000) {
  if (test.info().project.use.javaScriptEnabled === false) return;
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true', undefined, { timeout });
}

/**
 * The guard on a page: the hydration probe, a console error for any Content-Security-Policy
 * violation, and every uncaught page error or console error collected (Leptos reports
 * hydration mismatches and panics on the console). The browser's own "Failed to load
 * resource … 401/403/404" line for a refusal or not-found page is expected, not collected.
 */
async function guard(page: Page): Promise<string[]> {
  await page.addInitScript(hydrationProbe);
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
    ),
  );
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/Failed to load resource: the server responded with a status of 40[134]/.test(m.text())) return;
    errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

/**
 * `test` with the guard on its page: in the JS project every test fails on a page error,
 * a console error or a CSP violation.
 */
export const test = base.extend<{ allowConsoleErrors: boolean; consoleErrors: string[] }>({
  allowConsoleErrors: [false, { option: true }],
  consoleErrors: [
    async ({ page, allowConsoleErrors }, use) => {
      const errors = await guard(page);
      await use(errors);
      if (allowConsoleErrors) return;
      expect(errors, 'no console errors or page errors').toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * Another phone with its own cookies (another shopper, or a member of staff), JavaScript
 * on or off like the project, with the same guard as `test`'s page: check `errors` before
 * closing `context`.
 */
export async function openBrowser(browser: Browser, baseURL: string) {
  const { defaultBrowserType, ...pixel } = devices['Pixel 7'];
  const context = await browser.newContext({
    ...pixel,
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    javaScriptEnabled: test.info().project.use.javaScriptEnabled !== false,
  });
  const page = await context.newPage();
  const errors = await guard(page);
  return { context, page, errors };
}

// Staff accounts. The server runs in demo mode: every demo store has a manager (person 1),
// a staff member (2) and its guides (3, 4 …), numbered 139 · the store's id in four digits ·
// the person in four, all with the demo password. The brand admin is set in
// playwright.config.ts. Five wrong passwords lock a number for 15 minutes (fifty lock the
// address, the whole suite's), so a spec spends a wrong password only on a number it keeps
// to itself, once or twice a run; right ones cost nothing.

export const STAFF_PASSWORD = 'cloudstore-demo';

/** A demo account's number: `staffPhone(1, 2)` is the Jing'an Temple store's staff member. */
export const staffPhone = (storeId: number, person: number) =>
  `139${String(storeId).padStart(4, '0')}${String(person).padStart(4, '0')}`;

export const ADMIN = { phone: '13800000000', password: 'e2e admin password' } as const;

/**
 * Signs staff in through the server: `request` is a browser context's (`page.request`
 * or `context.request`), which keeps the session cookie (`tid`) for that browser.
 */
export async function staffSignIn(request: APIRequestContext, phone: string, password = STAFF_PASSWORD) {
  const r = await request.post('/staff/login', { form: { phone, password }, maxRedirects: 0 });
  expect(r.status(), await r.text()).toBe(303);
  const cookies = r.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
  expect(cookies.some((c) => c.startsWith('tid=')), `${phone} is signed in (a tid cookie)`).toBe(true);
}

export { expect };
