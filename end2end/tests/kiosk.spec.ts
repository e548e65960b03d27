import { devices, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { STORE, T, UI, expect, literal, test, useLang, waitForHydration, type Lang } from './support';
import { readQr } from './qr';

// Kiosk mode: a store's 1080×1920 touch screen. The attract loop, the endless aisle (the
// whole catalogue, this shelf's goods first), a product, keeping it in the screen's own bag
// (its own `kid` cookie, never a shopper's), the bag's QR code that moves it to a phone once,
// the reset button, and (with JavaScript) the idle timer that resets the screen.
//
// The server runs with KIOSK_IDLE_SECONDS=60 and KIOSK_WARN_SECONDS=15 (playwright.config.ts).

test.use({ viewport: { width: 1080, height: 1920 }, deviceScaleFactor: 1, isMobile: false, hasTouch: true });

const IDLE_SECONDS = 60;
const WARN_SECONDS = 15;
const MIN_TARGET = 72; // CSS px: a finger on a screen read from a metre away
const MIN_TEXT = 28; // CSS px: text read from a metre or two

const K = {
  zh: {
    touchToStart: UI.zh.BagText.KioskTouchToStart,
    featured: UI.zh.BagText.KioskFeatured,
    browse: UI.zh.BagText.KioskBrowse,
    categories: UI.zh.Msg.Categories,
    dairy: '乳品蛋品',
    fruit: '新鲜水果',
    notOnShelf: UI.zh.BagText.KioskNotOnShelf,
    keep: UI.zh.BagText.KioskKeep,
    keptName: (name: string) => `放入购物袋：${name}`,
    added: (name: string, n: number) => `已加入购物袋：${name} × ${n}`,
    notices: UI.zh.BagText.Notices,
    bagLabel: (n: number) => `购物袋，${n} 件`,
    kioskBag: UI.zh.BagText.KioskBag,
    takeBag: UI.zh.BagText.KioskTakeBag,
    empty: UI.zh.BagText.BagEmpty,
    subtotal: (amount: string) => `小计 ${amount}`,
    backToAll: UI.zh.BagText.KioskBackToAll,
    startOver: UI.zh.BagText.KioskStartOver,
    stillHere: UI.zh.BagText.KioskStillHere,
    idleWarning: (s: number) => `没有操作，${s} 秒后将清空屏幕。`,
    takeTitle: UI.zh.BagText.TakeTitle,
    takePrompt: (n: number, store: string) => `把${store}屏幕上的 ${n} 件商品移到你的购物袋？`,
    takeButton: UI.zh.BagText.TakeButton,
    taken: (n: number) => `已把屏幕上的 ${n} 件商品移到你的购物袋。`,
    seenInStore: UI.zh.BagText.SeenInStore,
    quantity: UI.zh.BagText.Quantity,
    used: UI.zh.BagText.TakeUsed,
    usedTitle: UI.zh.BagText.TakeUsedTitle,
    usedHint: UI.zh.BagText.TakeUsedHint,
    visitStore: (store: string) => `去${store}的云店逛逛`,
    fewer: UI.zh.BagText.KioskFewer,
    more: UI.zh.BagText.KioskMore,
    remove: UI.zh.BagText.Remove,
    on: (words: string, name: string) => `${words}：${name}`,
    removed: (name: string) => `已从购物袋移除：${name}`,
    changed: (name: string, n: number) => `${name} 的数量已改为 ${n}`,
    forged: UI.zh.BagText.TakeForged,
    invalidTitle: UI.zh.Msg.InvalidRequestTitle,
  },
  en: {
    touchToStart: UI.en.BagText.KioskTouchToStart,
    featured: UI.en.BagText.KioskFeatured,
    browse: UI.en.BagText.KioskBrowse,
    categories: UI.en.Msg.Categories,
    dairy: 'Dairy & Eggs',
    fruit: 'Fresh Fruit',
    notOnShelf: UI.en.BagText.KioskNotOnShelf,
    keep: UI.en.BagText.KioskKeep,
    keptName: (name: string) => `Keep in my bag: ${name}`,
    added: (name: string, n: number) => `Added to your bag: ${name} × ${n}`,
    notices: UI.en.BagText.Notices,
    bagLabel: (n: number) => (n === 1 ? 'Bag, 1 item' : `Bag, ${n} items`),
    kioskBag: UI.en.BagText.KioskBag,
    takeBag: UI.en.BagText.KioskTakeBag,
    empty: UI.en.BagText.BagEmpty,
    subtotal: (amount: string) => `Subtotal ${amount}`,
    backToAll: UI.en.BagText.KioskBackToAll,
    startOver: UI.en.BagText.KioskStartOver,
    stillHere: UI.en.BagText.KioskStillHere,
    idleWarning: (s: number) => `No one's touched the screen: it resets in ${s} s.`,
    takeTitle: UI.en.BagText.TakeTitle,
    takePrompt: (n: number, store: string) => `Move ${n} item(s) from the screen at ${store} into your bag?`,
    takeButton: UI.en.BagText.TakeButton,
    taken: (n: number) => `Moved ${n} item(s) from the screen into your bag.`,
    seenInStore: UI.en.BagText.SeenInStore,
    quantity: UI.en.BagText.Quantity,
    used: UI.en.BagText.TakeUsed,
    usedTitle: UI.en.BagText.TakeUsedTitle,
    usedHint: UI.en.BagText.TakeUsedHint,
    visitStore: (store: string) => `Shop at ${store} online`,
    fewer: UI.en.BagText.KioskFewer,
    more: UI.en.BagText.KioskMore,
    remove: UI.en.BagText.Remove,
    on: (words: string, name: string) => `${words}: ${name}`,
    removed: (name: string) => `Removed from your bag: ${name}`,
    changed: (name: string, n: number) => `${name}: quantity now ${n}`,
    forged: UI.en.BagText.TakeForged,
    invalidTitle: null,
  },
} as const;

const APPLES = { sku: 'HC101101', zh: '烟台红富士苹果', en: 'Yantai Fuji Apples', price: 1690 };
const ORANGES = { sku: 'HC101103', zh: '赣南脐橙', en: 'Gannan Navel Oranges', price: 3990 };
const GRAPES = { sku: 'HC101104', zh: '阳光玫瑰青提', en: 'Shine Muscat Grapes', price: 2540 };
// In the catalogue's dairy aisle but not on this store's shelf (demo data): 14 products in
// the aisle, 12 of them in the store.
const CREAM = { sku: 'HC104109', zh: '动物淡奶油' };
const DAIRY_AISLE = 14;
const DAIRY_OFF_SHELF = 2;

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const jsOn = () => test.info().project.use.javaScriptEnabled !== false;
const kiosk = (rest = '') => `/kiosk/${STORE}${rest}`;

/** The kiosk's own nav (labelled by the store's name) and its bag link. */
const kioskNav = (page: Page, lang: Lang) =>
  page.getByRole('navigation', { name: T[lang].storeName, exact: true });
const kioskBagLink = (page: Page, lang: Lang) =>
  kioskNav(page, lang).getByRole('link', { name: /^(购物袋，\d+ 件|Bag, \d+ items?)$/ });

async function expectKioskCount(page: Page, lang: Lang, n: number) {
  const link = kioskBagLink(page, lang);
  await expect(link).toHaveAccessibleName(K[lang].bagLabel(n));
  await expect(link).toHaveAttribute('href', kiosk('/bag'));
  await expect(link.locator('[data-bag-count]')).toHaveText(String(n));
}

/** The keep button, by its visible text (its accessible name adds the product). */
const keepButton = (page: Page, lang: Lang) =>
  page.getByRole('article').getByRole('button').filter({ hasText: K[lang].keep });

async function expectTouchTarget(target: Locator, what: string) {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  expect(box, `${what} is on screen`).not.toBeNull();
  expect(box!.height, `${what} is at least ${MIN_TARGET}px tall`).toBeGreaterThanOrEqual(MIN_TARGET);
  expect(box!.width, `${what} is at least ${MIN_TARGET}px wide`).toBeGreaterThanOrEqual(MIN_TARGET);
}

/** Cookie names of a context, for this server. */
async function cookieNames(context: BrowserContext, baseURL: string) {
  return (await context.cookies(baseURL)).filter((c) => c.value !== '').map((c) => c.name);
}

/** Fills the kiosk's bag through the server, as the screen (its `kid` cookie). */
async function keepOnKiosk(page: Page, lines: { sku: string; quantity: number }[]) {
  for (const { sku, quantity } of lines) {
    const r = await page.request.post('/kiosk/add', {
      form: { store: STORE, sku, quantity: String(quantity), back: kiosk(`/p/${sku}`) },
      headers: { accept: 'application/json' },
    });
    expect(r.status(), await r.text()).toBe(200);
  }
}

/** A phone: another browser with its own cookies, with JS on or off like the project. */
async function openPhone(browser: Browser, baseURL: string, lang: Lang) {
  const { defaultBrowserType, ...pixel } = devices['Pixel 7'];
  const context = await browser.newContext({
    ...pixel,
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    javaScriptEnabled: jsOn(),
  });
  await useLang(context, baseURL, lang);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return { context, page, errors };
}

for (const lang of ['zh', 'en'] as const satisfies readonly Lang[]) {
  const k = K[lang];
  const t = T[lang];
  const name = (p: { zh: string; en?: string }) => (lang === 'zh' ? p.zh : p.en!);

  test.describe(`[${lang}] kiosk`, () => {
    test.beforeEach(async ({ context, baseURL }) => {
      await useLang(context, baseURL, lang);
    });

    test('attract → browse → product → keep → the screen’s bag', async ({ page, context, baseURL }) => {
      test.skip(lang === 'en' && !jsOn(), 'one English run (hydrated) is enough for this long journey');
      // A shopper's bag in the same browser must not show on the screen.
      const mine = await page.request.post('/bag/add', {
        form: { store: STORE, sku: GRAPES.sku, quantity: '1', back: '/' },
        headers: { accept: 'application/json' },
      });
      expect(mine.status()).toBe(200);

      // Attract screen.
      await page.goto(kiosk());
      await waitForHydration(page);
      await expect(page).toHaveTitle(t.storeName);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.storeName);
      await expect(page.getByRole('heading', { level: 2, name: k.featured })).toBeVisible();
      // The featured loop shows its list twice, so the scroll wraps without a seam.
      const featured = await page.locator('.attract-loop li .attract-name').allTextContents();
      expect(featured.length).toBeGreaterThanOrEqual(4);
      expect(featured.length % 2).toBe(0);
      expect(featured.slice(featured.length / 2)).toEqual(featured.slice(0, featured.length / 2));
      await expect(page.locator('.attract-loop')).toHaveAttribute('aria-hidden', 'true');
      // No shopper's bag in the kiosk's header.
      await expect(page.getByRole('banner').getByRole('link', { name: /购物袋|Bag/ })).toHaveCount(0);
      await expect(page.locator('a[href="/bag"]')).toHaveCount(0);
      const start = page.getByRole('link', { name: k.touchToStart, exact: true });
      await expect(start).toHaveAttribute('href', kiosk('/browse'));
      await expectTouchTarget(start, 'the start link');

      // The endless aisle.
      await start.click();
      await expect(page).toHaveURL(kiosk('/browse'));
      await waitForHydration(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(k.browse);
      await expectKioskCount(page, lang, 0); // the shopper's item is not the screen's
      await expect(page.getByRole('banner').getByRole('link', { name: /购物袋|Bag/ })).toHaveCount(0);
      const chips = page.getByRole('navigation', { name: k.categories }).getByRole('link');
      await expect(chips).toHaveCount(12);
      await expect(chips.first()).toHaveText(k.fruit);
      await expect(chips.first()).toHaveAttribute('aria-current', 'page');
      for (const chip of await chips.all()) await expectTouchTarget(chip, `the category chip “${await chip.textContent()}”`);

      await page.getByRole('link', { name: name(APPLES), exact: true }).click();
      await expect(page).toHaveURL(kiosk(`/p/${APPLES.sku}`));
      await waitForHydration(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(name(APPLES));
      await expect(page.getByRole('article')).toContainText(yuan(APPLES.price));
      const keep = keepButton(page, lang);
      await expect(keep).toHaveCount(1);
      await expectTouchTarget(keep, 'the keep button');

      // Keep it.
      if (jsOn()) await page.evaluate(() => (window.__beforeNav = 'same page'));
      await keep.click();
      await expect(page).toHaveURL(kiosk(`/p/${APPLES.sku}`));
      if (jsOn()) {
        await expect(page.locator('#live-status')).toHaveText(k.added(name(APPLES), 1));
        expect(await page.evaluate(() => window.__beforeNav)).toBe('same page');
      } else {
        await expect(page.getByRole('region', { name: k.notices }).getByRole('status')).toHaveText(k.added(name(APPLES), 1));
      }
      await expectKioskCount(page, lang, 1);

      // Another, twice.
      await page.getByRole('link', { name: k.backToAll, exact: true }).click();
      await expect(page).toHaveURL(kiosk('/browse'));
      await page.getByRole('link', { name: name(ORANGES), exact: true }).click();
      await expect(page).toHaveURL(kiosk(`/p/${ORANGES.sku}`));
      await waitForHydration(page);
      await keepButton(page, lang).click();
      await expectKioskCount(page, lang, 2);
      await keepButton(page, lang).click();
      await expectKioskCount(page, lang, 3);

      // The screen's bag.
      await kioskBagLink(page, lang).click();
      await expect(page).toHaveURL(kiosk('/bag'));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(k.kioskBag);
      const lines = page.locator('main .bag-lines > li');
      await expect(lines).toHaveCount(2);
      await expect(lines.filter({ hasText: name(APPLES) })).toContainText(/×\s*1/);
      await expect(lines.filter({ hasText: name(ORANGES) })).toContainText(/×\s*2/);
      await expect(lines.filter({ hasText: name(ORANGES) })).toContainText(yuan(2 * ORANGES.price));
      await expect(page.getByText(k.subtotal(yuan(APPLES.price + 2 * ORANGES.price)))).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: k.takeBag })).toBeVisible();
      await expect(page.getByRole('img', { name: k.takeBag })).toBeVisible();
      await expect(page.getByText(name(GRAPES))).toHaveCount(0);
      await expectTouchTarget(page.getByRole('button', { name: k.startOver, exact: true }), 'the reset button');

      // The screen keeps its own session; the shopper's is untouched.
      const cookies = await cookieNames(context, baseURL!);
      expect(cookies).toContain('kid');
      const shopperBag = await page.request.get('/bag');
      expect(await shopperBag.text()).toContain(name(GRAPES));
    });

    test('an aisle lists the whole catalogue, off-shelf goods too', async ({ page }) => {
      test.skip(lang === 'en', 'texts are checked in zh; the English aisle is the same data');
      await page.goto(kiosk('/browse'));
      await waitForHydration(page);
      const dairy = page.getByRole('navigation', { name: k.categories }).getByRole('link', { name: k.dairy, exact: true });
      await expect(dairy).toHaveAttribute('aria-current', 'false');
      await dairy.click();
      await expect(page).toHaveURL(kiosk('/browse?c=dairy'));
      await expect(
        page.getByRole('navigation', { name: k.categories }).getByRole('link', { name: k.dairy, exact: true }),
      ).toHaveAttribute('aria-current', 'page');
      const tiles = page.locator('main .kiosk-grid > li');
      await expect(tiles).toHaveCount(DAIRY_AISLE);
      await expect(tiles.filter({ hasText: k.notOnShelf })).toHaveCount(DAIRY_OFF_SHELF);
      const cream = tiles.filter({ has: page.getByRole('heading', { name: CREAM.zh, exact: true }) });
      await expect(cream).toContainText(k.notOnShelf);
      await expect(cream).not.toContainText(/¥\d/);

      // The off-shelf product's page offers no keep button.
      await cream.getByRole('link').click();
      await expect(page).toHaveURL(kiosk(`/p/${CREAM.sku}`));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(CREAM.zh);
      await expect(page.getByRole('article')).toContainText(k.notOnShelf);
      await expect(page.getByRole('article').getByRole('button')).toHaveCount(0);

      // The store's own (phone) grid has only what is on the shelf.
      await page.goto(`/s/${STORE}?c=dairy`);
      await expect(page.getByRole('main').getByRole('heading', { level: 2, name: `${DAIRY_AISLE - DAIRY_OFF_SHELF} 件商品` })).toBeVisible();
      await expect(page.getByRole('link', { name: CREAM.zh, exact: true })).toHaveCount(0);
    });

    test('the QR code moves the screen’s bag to a phone, once', async ({ page, browser, baseURL }) => {
      test.skip(lang === 'en' && !jsOn(), 'English is checked once, hydrated');
      await keepOnKiosk(page, [
        { sku: APPLES.sku, quantity: 1 },
        { sku: ORANGES.sku, quantity: 2 },
      ]);
      await page.goto(kiosk('/bag'));
      await waitForHydration(page);
      await expectKioskCount(page, lang, 3);
      const qr = page.locator('.qr svg');
      await expect(qr).toHaveAttribute('role', 'img');
      await expect(qr).toHaveAccessibleName(k.takeBag);

      // What a phone's camera reads.
      const link = await readQr(qr);
      expect(link).toMatch(new RegExp(`^${literal(baseURL!)}/bag/take\\?t=[A-Za-z0-9_.-]{20,}$`));
      expect(link, 'the QR code carries the link the page was issued').toBe(await page.locator('.qr').getAttribute('data-link'));

      const phone = await openPhone(browser, baseURL!, lang);
      try {
        // The phone already has apples in its bag: the screen's are added to them.
        const own = await phone.page.request.post('/bag/add', {
          form: { store: STORE, sku: APPLES.sku, quantity: '1', back: '/bag' },
          headers: { accept: 'application/json' },
        });
        expect(own.status()).toBe(200);

        const preview = await phone.page.goto(link);
        expect(preview!.status()).toBe(200);
        await expect(phone.page).toHaveTitle(k.takeTitle);
        await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText(k.takeTitle);
        await expect(phone.page.getByText(k.takePrompt(3, t.storeName), { exact: true })).toBeVisible();
        // Looking is not taking: the screen still has its bag.
        await page.reload();
        await expectKioskCount(page, lang, 3);

        await waitForHydration(page);
        await phone.page.getByRole('button', { name: k.takeButton, exact: true }).click();
        await expect(phone.page).toHaveURL('/bag');
        await expect(phone.page.getByRole('region', { name: k.notices }).getByRole('status')).toHaveText(k.taken(3));
        const group = phone.page.getByRole('main').getByRole('region', { name: t.storeName, exact: true });
        const line = (p: { zh: string; en: string }) =>
          group.getByRole('listitem').filter({ has: phone.page.getByRole('heading', { level: 3, name: name(p), exact: true }) });
        await expect(line(APPLES).getByLabel(k.quantity)).toHaveValue('2');
        await expect(line(ORANGES).getByLabel(k.quantity)).toHaveValue('2');
        await expect(line(ORANGES).getByText(k.seenInStore, { exact: true })).toBeVisible();
        await expect(phone.page.getByRole('banner').getByRole('link', { name: k.bagLabel(4), exact: true })).toBeVisible();
        expect(await cookieNames(phone.context, baseURL!)).not.toContain('kid');

        // The screen clears itself within a few seconds, untouched: with JavaScript it asks
        // the server every 2 s and replaces the page; without, the page refreshes itself.
        const taken = Date.now();
        await expect(page).toHaveURL(kiosk(), { timeout: jsOn() ? 5_000 : 8_000 });
        await expect(page.getByRole('link', { name: k.touchToStart, exact: true })).toBeVisible();
        await expect(page.locator('.bag-lines, .qr')).toHaveCount(0);
        console.log(`[kiosk] the screen cleared ${Date.now() - taken} ms after the phone took the bag (js ${jsOn()})`);

        // The screen's bag is empty now.
        await page.goto(kiosk('/bag'));
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(k.kioskBag);
        await expect(page.getByText(k.empty, { exact: true })).toBeVisible();
        await expectKioskCount(page, lang, 0);
        await expect(page.locator('.qr')).toHaveCount(0);

        // The same code again is refused in words, offers the store, and moves nothing twice.
        const again = await phone.page.goto(link);
        expect(again!.status()).toBe(409);
        await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText(k.usedTitle);
        await expect(phone.page).toHaveTitle(k.usedTitle);
        await expect(phone.page.getByRole('main').getByRole('alert')).toHaveText(k.usedHint);
        await expect(phone.page.getByRole('main').getByText('409')).toHaveCount(0);
        const shop = phone.page.getByRole('main').getByRole('link', { name: k.visitStore(t.storeName), exact: true });
        await expect(shop).toHaveAttribute('href', `/s/${STORE}`);
        await expect(phone.page.getByRole('button', { name: k.takeButton })).toHaveCount(0);
        const replay = await phone.page.request.post('/bag/take', {
          form: { t: new URL(link).searchParams.get('t')! },
          headers: { accept: 'application/json' },
        });
        expect(replay.status()).toBe(409);
        expect(await replay.json()).toMatchObject({ ok: false, message: k.used });
        await shop.click();
        await expect(phone.page).toHaveURL(`/s/${STORE}`);
        await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText(t.storeName);
        await phone.page.goto('/bag');
        await expect(line(APPLES).getByLabel(k.quantity)).toHaveValue('2');
        await expect(line(ORANGES).getByLabel(k.quantity)).toHaveValue('2');

        // The browser logs the refused document load; nothing else may go wrong.
        expect(phone.errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
      } finally {
        await phone.context.close();
      }
    });

    test('a line of the screen’s bag: one more, one fewer, removed', async ({ page }) => {
      test.skip(lang === 'en' && !jsOn(), 'English is checked once, hydrated');
      await keepOnKiosk(page, [
        { sku: APPLES.sku, quantity: 2 },
        { sku: ORANGES.sku, quantity: 1 },
      ]);
      await page.goto(kiosk('/bag'));
      await waitForHydration(page);
      const lines = page.locator('main .bag-lines > li');
      const line = (p: { zh: string; en: string }) => lines.filter({ has: page.getByRole('heading', { name: name(p), exact: true }) });
      const notice = async (text: string) => {
        await expect(page.getByRole('region', { name: k.notices }).getByRole('status')).toHaveText(text);
      };
      await expect(lines).toHaveCount(2);
      await expectKioskCount(page, lang, 3);

      const more = line(APPLES).getByRole('button', { name: k.on(k.more, name(APPLES)), exact: true });
      await expectTouchTarget(more, 'the one-more button');
      await more.click();
      await expect(page).toHaveURL(kiosk('/bag'));
      await notice(k.changed(name(APPLES), 3));
      await expect(line(APPLES)).toContainText(/×\s*3/);
      await expect(line(APPLES)).toContainText(yuan(3 * APPLES.price));
      await expectKioskCount(page, lang, 4);

      const fewer = line(APPLES).getByRole('button', { name: k.on(k.fewer, name(APPLES)), exact: true });
      await expectTouchTarget(fewer, 'the one-fewer button');
      await fewer.click();
      await notice(k.changed(name(APPLES), 2));
      await expect(line(APPLES)).toContainText(/×\s*2/);
      await expectKioskCount(page, lang, 3);

      const remove = line(ORANGES).getByRole('button', { name: k.on(k.remove, name(ORANGES)), exact: true });
      await expectTouchTarget(remove, 'the remove button');
      await remove.click();
      await notice(k.removed(name(ORANGES)));
      await expect(lines).toHaveCount(1);
      await expect(line(ORANGES)).toHaveCount(0);
      await expect(page.getByText(k.subtotal(yuan(2 * APPLES.price)))).toBeVisible();
      await expectKioskCount(page, lang, 2);
      // The QR now carries what is left.
      await expect(page.locator('.qr svg')).toHaveCount(1);

      // One fewer of the last one removes it; the bag is empty and has no QR.
      await line(APPLES).getByRole('button', { name: k.on(k.fewer, name(APPLES)), exact: true }).click();
      await expect(line(APPLES).getByText(/×\s*1/)).toBeVisible();
      await line(APPLES).getByRole('button', { name: k.on(k.fewer, name(APPLES)), exact: true }).click();
      await notice(k.removed(name(APPLES)));
      await expect(page.getByText(k.empty, { exact: true })).toBeVisible();
      await expect(page.locator('.qr')).toHaveCount(0);
      await expectKioskCount(page, lang, 0);
    });

    test('a tampered QR link is refused', async ({ page, browser, baseURL }) => {
      test.skip(lang === 'en' && !jsOn(), 'English is checked once, hydrated');
      await keepOnKiosk(page, [{ sku: GRAPES.sku, quantity: 1 }]);
      await page.goto(kiosk('/bag'));
      const link = await readQr(page.locator('.qr svg'));
      const token = new URL(link).searchParams.get('t')!;
      // Change one character in the middle of the token (each there carries 6 full bits).
      const i = Math.floor(token.length / 2);
      const forged = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(forged).not.toBe(token);

      const phone = await openPhone(browser, baseURL!, lang);
      try {
        const r = await phone.page.goto(`/bag/take?t=${encodeURIComponent(forged)}`);
        expect(r!.status()).toBe(400);
        if (k.invalidTitle) await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText(k.invalidTitle);
        await expect(phone.page.getByRole('main').getByRole('alert')).toHaveText(k.forged);
        await expect(phone.page.getByRole('button', { name: k.takeButton })).toHaveCount(0);
        const post = await phone.page.request.post('/bag/take', { form: { t: forged }, headers: { accept: 'application/json' } });
        expect(post.status()).toBe(400);
        expect(await post.json()).toMatchObject({ ok: false, message: k.forged });
        expect(phone.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
      } finally {
        await phone.context.close();
      }
      // The screen's bag is untouched.
      await page.reload();
      await expectKioskCount(page, lang, 1);
      await expect(page.locator('.qr svg')).toHaveCount(1);
    });

    test('the reset button clears the screen', async ({ page, context, baseURL }) => {
      test.skip(lang === 'en' && !jsOn(), 'English is checked once, hydrated');
      const mine = await page.request.post('/bag/add', {
        form: { store: STORE, sku: GRAPES.sku, quantity: '1', back: '/' },
        headers: { accept: 'application/json' },
      });
      expect(mine.status()).toBe(200);
      await page.goto(kiosk(`/p/${APPLES.sku}`));
      await waitForHydration(page);
      await keepButton(page, lang).click();
      await expectKioskCount(page, lang, 1);
      await kioskBagLink(page, lang).click();
      await expect(page).toHaveURL(kiosk('/bag'));
      await expect(page.locator('main .bag-lines > li')).toHaveCount(1);
      expect(await cookieNames(context, baseURL!)).toContain('kid');

      await page.getByRole('button', { name: k.startOver, exact: true }).click();
      await expect(page).toHaveURL(kiosk());
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.storeName);
      await expect(page.getByRole('link', { name: k.touchToStart, exact: true })).toBeVisible();
      await expect(page.getByRole('region', { name: k.notices })).toHaveCount(0);
      expect(await cookieNames(context, baseURL!)).not.toContain('kid');

      await page.goto(kiosk('/bag'));
      await expect(page.getByText(k.empty, { exact: true })).toBeVisible();
      await expectKioskCount(page, lang, 0);
      await expect(page.locator('.qr')).toHaveCount(0);
      // Only the screen's bag went: the shopper's is still there.
      expect(await (await page.request.get('/bag')).text()).toContain(name(GRAPES));
    });
  });
}

test.describe('[zh] kiosk idle', () => {
  const k = K.zh;

  test('an idle screen warns, a touch keeps it, and then it resets itself', async ({ page, context, baseURL }) => {
    test.skip(!jsOn(), 'the idle timer is JavaScript');
    // The whole idle cycle twice, step by step: on a loaded machine (the fleet, two
    // servers behind nginx on two cores) it outran the default 30 s once.
    test.slow();
    await page.clock.install();
    await page.goto(kiosk(`/p/${APPLES.sku}`));
    await waitForHydration(page);
    await keepButton(page, 'zh').click();
    await expectKioskCount(page, 'zh', 1);
    await kioskBagLink(page, 'zh').click();
    await expect(page).toHaveURL(kiosk('/bag'));
    await waitForHydration(page);
    await expect(page.locator('main .bag-lines > li')).toHaveCount(1);
    const historyLength = await page.evaluate(() => history.length);

    // From here time only moves when the test says so; a touch starts the count at 0.
    await page.clock.pauseAt(Date.now() + 1_000);
    await page.getByRole('heading', { level: 1 }).click();
    const warning = page.getByRole('alertdialog');
    await expect(warning).toHaveCount(0);

    await page.clock.runFor((IDLE_SECONDS - 1) * 1_000);
    await expect(warning).toHaveCount(0);
    await page.clock.runFor(1_000);
    await expect(warning).toBeVisible();
    await expect(warning).toHaveAccessibleName(k.idleWarning(WARN_SECONDS));
    await expect(warning.getByText(k.idleWarning(WARN_SECONDS))).toBeVisible();
    await page.clock.runFor(5_000);
    await expect(warning).toHaveAccessibleName(k.idleWarning(WARN_SECONDS - 5));

    // "I'm still here" dismisses it and starts over.
    const stillHere = warning.getByRole('button', { name: k.stillHere, exact: true });
    await expectTouchTarget(stillHere, 'the “I’m still here” button');
    await stillHere.click();
    await expect(warning).toBeHidden();
    await page.clock.runFor((IDLE_SECONDS - 1) * 1_000);
    await expect(warning).toBeHidden();
    await expect(page).toHaveURL(kiosk('/bag'));
    await expect(page.locator('main .bag-lines > li')).toHaveCount(1);

    // Left alone: warned, then reset to the attract screen.
    await page.clock.runFor(1_000);
    await expect(warning).toHaveAccessibleName(k.idleWarning(WARN_SECONDS));
    const reset = page.waitForResponse((r) => r.url().endsWith('/kiosk/reset') && r.request().method() === 'POST');
    await page.clock.runFor(WARN_SECONDS * 1_000);
    expect((await reset).status()).toBe(200);
    await expect(page).toHaveURL(kiosk());
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.zh.storeName);
    await expect(page.getByRole('link', { name: k.touchToStart, exact: true })).toBeVisible();
    // Replaced, not pushed: the visit adds no history entry, and nothing of it is left.
    expect(await page.evaluate(() => history.length)).toBe(historyLength);
    await expect(page.locator('main input:not([type=hidden]), main textarea, main select')).toHaveCount(0);
    await expect(page.getByRole('region', { name: k.notices })).toHaveCount(0);
    await expect(page.locator('#live-status')).toHaveText('');
    expect(await cookieNames(context, baseURL!)).not.toContain('kid');

    // The screen's bag is gone.
    await page.goto(kiosk('/bag'));
    await expect(page.getByText(k.empty, { exact: true })).toBeVisible();
    await expectKioskCount(page, 'zh', 0);
    await expect(page.locator('.qr')).toHaveCount(0);
  });

  test('without JavaScript there is no idle warning, and the reset form still works', async ({ page }) => {
    test.skip(jsOn(), 'the plain-HTML kiosk');
    await page.goto(kiosk('/bag'));
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await expect(page.locator('#kiosk-reset')).toHaveAttribute('action', '/kiosk/reset');
    await expect(page.locator('#kiosk-reset')).toHaveAttribute('method', 'post');
    await page.getByRole('button', { name: k.startOver, exact: true }).click();
    await expect(page).toHaveURL(kiosk());
  });
});

test.describe('[zh] kiosk accessibility', () => {
  // Bug: the keep button's accessible name is "加入购物袋：{name}" while it reads "放入购物袋"
  // (AddToBag in app/src/components/add_to_bag.rs sets aria-label from add_label() whenever
  // there is no quantity picker, ignoring `label`). Voice-control users say what they see
  // (WCAG 2.5.3 Label in Name), and the kiosk's wording is lost for screen readers.
  test('the keep button is named by what it says, then the product it keeps', async ({ page }) => {
    await page.goto(kiosk(`/p/${APPLES.sku}`));
    await expect(page.getByRole('button', { name: new RegExp(`^${literal(K.zh.keep)}`) })).toBeVisible();
    await expect(keepButton(page, 'zh')).toHaveAccessibleName(K.zh.keptName(APPLES.zh));
  });
});

/** What is too small on this page: text under MIN_TEXT and targets under MIN_TARGET. */
async function tooSmall(page: Page) {
  return page.evaluate(
    ({ minText, minTarget }) => {
      const shown = (el: Element) => {
        const r = el.getBoundingClientRect();
        // Visually hidden text (1×1) and the off-screen skip link are not read from the screen.
        return el.getClientRects().length > 0 && r.width > 1 && r.height > 1 && r.right > 0;
      };
      const text: string[] = [];
      for (const el of document.body.querySelectorAll('*')) {
        if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName) || el.closest('svg')) continue;
        const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
        if (!own || !shown(el)) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < minText) text.push(`${el.tagName.toLowerCase()}.${el.className} “${el.textContent!.trim().slice(0, 30)}” ${size}px`);
      }
      const targets: string[] = [];
      for (const el of document.body.querySelectorAll('a[href], button, select, input:not([type=hidden]), summary')) {
        if (!shown(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.height < minTarget || r.width < minTarget) {
          targets.push(`${el.tagName.toLowerCase()} “${(el.textContent ?? '').trim().slice(0, 30)}” ${Math.round(r.width)}×${Math.round(r.height)}`);
        }
      }
      return { text, targets };
    },
    { minText: MIN_TEXT, minTarget: MIN_TARGET },
  );
}

for (const screen of [
  { width: 1080, height: 1920, name: 'portrait' },
  { width: 1920, height: 1080, name: 'landscape' },
] as const) {
  test.describe(`[zh] kiosk on a ${screen.width}×${screen.height} screen`, () => {
    test.use({ viewport: { width: screen.width, height: screen.height } });

    test('text is at least 28px, targets at least 72px, and the attract screen fills it', async ({ page }) => {
      test.skip(!jsOn(), 'sizes are the same without JavaScript; measured once');
      await keepOnKiosk(page, [
        { sku: APPLES.sku, quantity: 2 },
        { sku: ORANGES.sku, quantity: 1 },
      ]);
      const pages = [
        ['attract', kiosk()],
        ['aisle', kiosk('/browse')],
        ['product', kiosk(`/p/${APPLES.sku}`)],
        ['bag', kiosk('/bag')],
      ] as const;
      for (const [what, path] of pages) {
        await page.goto(path);
        await waitForHydration(page);
        await page.screenshot({ path: `/tmp/kiosk-${screen.name}-${what}.png` });
        const small = await tooSmall(page);
        expect(small.text, `text under ${MIN_TEXT}px on the ${what} page`).toEqual([]);
        expect(small.targets, `targets under ${MIN_TARGET}px on the ${what} page`).toEqual([]);
      }

      // The attract screen is the screen: no scrolling, the loop and the start button in view.
      await page.goto(kiosk());
      const fit = await page.evaluate(() => {
        const box = (s: string) => document.querySelector(s)!.getBoundingClientRect();
        return {
          scroll: document.scrollingElement!.scrollHeight,
          attract: box('.kiosk-attract').bottom,
          loop: box('.attract-loop').height,
          start: box('.kiosk-start').bottom,
          price: parseFloat(getComputedStyle(document.querySelector('.attract-loop .price')!).fontSize),
        };
      });
      expect(fit.scroll, 'the attract screen does not scroll').toBeLessThanOrEqual(screen.height);
      expect(fit.attract, 'the attract screen reaches the bottom').toBeGreaterThanOrEqual(screen.height - 60);
      expect(fit.start, 'the start button is on screen').toBeLessThanOrEqual(screen.height);
      expect(fit.loop, 'the loop takes most of the screen').toBeGreaterThanOrEqual(screen.height * 0.4);
      expect(fit.price, 'prices are read from 2 m').toBeGreaterThanOrEqual(64);

      // Asked for no motion, the loop stands still.
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.reload();
      expect(await page.locator('.attract-loop ul').evaluate((ul) => getComputedStyle(ul).animationName)).toBe('none');
      await page.screenshot({ path: `/tmp/kiosk-${screen.name}-attract-still.png` });
      expect(await page.evaluate(() => document.scrollingElement!.scrollHeight)).toBeLessThanOrEqual(screen.height);
    });
  });
}
