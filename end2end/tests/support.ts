import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

// Shared fixtures, texts and locators for the Cloud Store journeys.
//
// The texts come from app/src/domain/i18n.rs and the demo data in app/src/ssr/seed/*.csv.
// The seeded offers (which store carries what, prices, stock) are deterministic, but
// opening hours depend on the wall clock, so only 24-hour stores get an open-state check.

export type Lang = 'zh' | 'en';

export const STORE = 'sh-jingan-temple'; // a 24h store in Shanghai

export const T = {
  zh: {
    htmlLang: 'zh-CN',
    brand: '禾川生活',
    homeLink: '禾川生活', // the brand link in the header leads home
    switchTo: 'English',
    allStores: '全部门店',
    shanghai: '上海市',
    storeName: '禾川生活·静安寺店',
    storeLinkName: /^禾川生活·/,
    storeAddress: '上海市静安区南京西路1699号',
    open24h: '24 小时营业',
    cloudStoreNote: '门店已打烊，云店 24 小时照常接单。',
    categories: '商品分类',
    allCategories: '全部',
    dairy: '乳品蛋品',
    dairyProduct: '希腊式高蛋白酸奶',
    fruitProduct: '烟台红富士苹果',
    searchInStore: '在本店搜索',
    searchButton: '搜索',
    storeTerm: '牛奶',
    resultsFor: (q: string) => `“${q}”的搜索结果`,
    productCount: /\d+ 件商品/,
    priceText: /¥\d+\.\d{2}/,
    stockText: /有货|仅剩 \d+ 件|缺货/,
    outOfStock: '缺货',
    otherStores: '同城有货的其他门店',
    productFacts: '商品信息',
    skuLabel: '商品编号',
    notFoundTitle: '页面不存在',
    notFoundStore: '找不到这家门店，它可能已经搬迁或关闭。',
    notFoundPage: '这个页面不存在。',
    notFoundProduct: '这家门店没有这件商品。',
    goHome: '返回首页',
    homeSearch: '搜索门店或商品',
    homeProductTerm: '牛奶',
    homeProductHit: '低脂鲜牛奶',
    homeStoreTerm: '徐家汇',
    products: '商品',
    nothingFound: '没有找到相关结果，换个关键词试试。',
    next: '下一页',
    previous: '上一页',
  },
  en: {
    htmlLang: 'en',
    brand: 'Hechuan Living',
    homeLink: 'Hechuan Living', // the brand link in the header leads home
    switchTo: '中文',
    allStores: 'All stores',
    shanghai: 'Shanghai',
    storeName: "Hechuan Living Jing'an Temple",
    storeLinkName: /^Hechuan Living /,
    storeAddress: '1699 Nanjing West Road, Jing\'an District, Shanghai',
    open24h: 'Open 24 hours',
    cloudStoreNote: 'The store is closed, but its cloud store takes orders 24/7.',
    categories: 'Categories',
    allCategories: 'All',
    dairy: 'Dairy & Eggs',
    dairyProduct: 'Greek-style High-protein Yogurt',
    fruitProduct: 'Yantai Fuji Apples',
    searchInStore: 'Search this store',
    searchButton: 'Search',
    storeTerm: 'milk',
    resultsFor: (q: string) => `Results for “${q}”`,
    productCount: /\d+ products?/,
    priceText: /¥\d+\.\d{2}/,
    stockText: /In stock|Only \d+ left|Out of stock/,
    outOfStock: 'Out of stock',
    otherStores: 'Other stores in the city that have it',
    productFacts: 'Product details',
    skuLabel: 'SKU',
    notFoundTitle: 'Page not found',
    notFoundStore: "We couldn't find that store. It may have moved or closed.",
    notFoundPage: 'There is no page at this address.',
    notFoundProduct: "This store doesn't sell that product.",
    goHome: 'Go to the home page',
    homeSearch: 'Search stores or products',
    homeProductTerm: 'bread',
    homeProductHit: 'Hokkaido Milk Bread',
    homeStoreTerm: 'Xujiahui',
    products: 'Products',
    nothingFound: 'Nothing matched. Try another word.',
    next: 'Next',
    previous: 'Previous',
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
 * `test` with a guard: in the JS project every test fails on an uncaught page error or a
 * console error (Leptos reports hydration mismatches and panics on the console). The
 * browser's own "Failed to load resource … 404" line for a 404 document is expected.
 * Every page also gets the hydration probe.
 */
export const test = base.extend<{ allowConsoleErrors: boolean; consoleErrors: string[] }>({
  allowConsoleErrors: [false, { option: true }],
  consoleErrors: [
    async ({ page, allowConsoleErrors }, use) => {
      await page.addInitScript(hydrationProbe);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        if (/Failed to load resource: the server responded with a status of 404/.test(m.text())) return;
        errors.push(`console.error: ${m.text()}`);
      });
      await use(errors);
      if (allowConsoleErrors) return;
      expect(errors, 'no console errors or page errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
