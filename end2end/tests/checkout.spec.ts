import type { APIRequestContext, Locator, Page, PlaywrightWorkerArgs } from '@playwright/test';
import { STAFF_PASSWORD, STORE, T, UI, expect, literal, openBrowser, staffPhone, test, useLang, waitForHydration } from './support';
import { readQr } from './qr';

// Checkout, orders and the till: pick-up and timed delivery from the Jing'an Temple store
// (24 hours, Asia/Shanghai, 3.0 km delivery radius, pick-up 20 minutes after ordering),
// the server's validation (a message beside each wrong field, the values kept), a window
// that fills up, the order page with its pick-up QR code, the till (the store's staff
// member signs in at /staff) that accepts the code once, cancelling, another shopper's
// 404, and the idempotency key.
//
// Every test runs in both projects unless it says otherwise: the checkout form, the cancel
// button and the till's forms are plain posts answered with a 303 either way; hydrated,
// the checkout button sends once and full windows are disabled live.
//
// Both projects run at once against one server, so anything shared is split by project:
// the windows that get filled (day +3 with JavaScript, day +4 without, day +5 for the live
// check; staff.spec.ts books single orders on day +6) and the products whose stock is
// counted (one per test and project, each bought by nothing else in the suite). The
// shoppers who fill windows buy bananas (31 in all, of 75); other orders buy apples,
// oranges and grapes, 1–2 at a time.

const C = {
  zh: {
    title: (store: string) => `结算 · ${store}`,
    howToGet: UI.zh.CheckoutText.HowToGet,
    pickup: UI.zh.CheckoutText.Pickup,
    delivery: UI.zh.CheckoutText.Delivery,
    deliverTo: UI.zh.CheckoutText.DeliveryTo,
    pickupTime: UI.zh.CheckoutText.PickupTime,
    earliest: /^最早 (今天|明天) \d{2}:\d{2} 可取货$/,
    area: UI.zh.CheckoutText.Area,
    chooseArea: UI.zh.CheckoutText.ChooseArea,
    areaPlaceholder: UI.zh.CheckoutText.AreaPlaceholder,
    areasDelivered: UI.zh.CheckoutText.AreasDelivered,
    areasBeyond: UI.zh.CheckoutText.AreasBeyond,
    address: UI.zh.CheckoutText.Address,
    windows: UI.zh.CheckoutText.Window,
    full: UI.zh.CheckoutText.WindowFull,
    past: UI.zh.CheckoutText.WindowPast,
    contact: UI.zh.CheckoutText.Contact,
    name: UI.zh.CheckoutText.Name,
    phone: UI.zh.CheckoutText.Phone,
    subtotal: UI.zh.CheckoutText.Subtotal,
    fee: UI.zh.CheckoutText.DeliveryFee,
    total: UI.zh.CheckoutText.Total,
    placeOrder: UI.zh.CheckoutText.PlaceOrder,
    fixErrors: UI.zh.CheckoutText.FixErrors,
    nameMissing: '请填写姓名。',
    badPhone: UI.zh.MemberText.BadPhone,
    chooseWindow: UI.zh.CheckoutText.ChooseWindow,
    windowFullNow: UI.zh.CheckoutText.WindowFullNow,
    outside: (other: string) => `这个地址超出本店 3.0 公里的配送范围。${other} 可以送到那里。`,
    order: (id: string) => `订单 ${id}`,
    orderStatus: (s: string) => `订单状态: ${s}`,
    steps: UI.zh.CheckoutText.OrderStatus,
    placed: '已下单',
    preparing: '备货中',
    ready: '可取货',
    outForDelivery: '配送中',
    completed: '已完成',
    cancelled: '已取消',
    deliversAt: UI.zh.CheckoutText.DeliversAt,
    pickupAt: UI.zh.CheckoutText.PickupAt,
    pickupCode: UI.zh.CheckoutText.PickupCode,
    cancel: UI.zh.CheckoutText.Cancel,
    cancelledNotice: '订单已取消，库存和时间段已释放。',
    tooLate: UI.zh.CheckoutText.TooLateToCancel,
    emptyForStore: UI.zh.CheckoutText.EmptyForStore,
    notices: UI.zh.BagText.Notices,
    till: (store: string) => `收银台 · ${store}`,
    signInFirst: UI.zh.Msg.UnauthorizedTitle,
    staffSignIn: UI.zh.StaffText.SignInTitle,
    staffPhone: UI.zh.StaffText.Phone,
    staffPassword: UI.zh.StaffText.Password,
    signIn: UI.zh.StaffText.SignIn,
    wrongPassword: UI.zh.StaffText.WrongPassword,
    signedIn: UI.zh.StaffText.SignedIn,
    tillCode: UI.zh.CheckoutText.TillCode,
    check: UI.zh.CheckoutText.TillCheck,
    openOrders: UI.zh.CheckoutText.TillOpenOrders,
    advance: (id: string, to: string) => `下一步 ${id}: ${to}`,
    advanced: (id: string, to: string) => `订单 ${id}：${to}`,
    collected: (id: string) => `已核销：订单 ${id} 已取货。`,
    codeRefused: UI.zh.CheckoutText.TillCodeRefused,
  },
  en: {
    title: (store: string) => `Checkout · ${store}`,
    howToGet: UI.en.CheckoutText.HowToGet,
    pickup: UI.en.CheckoutText.Pickup,
    delivery: UI.en.CheckoutText.Delivery,
    pickupTime: UI.en.CheckoutText.PickupTime,
    earliest: /^Ready from (today|tomorrow) \d{2}:\d{2}$/,
    name: UI.en.CheckoutText.Name,
    phone: UI.en.CheckoutText.Phone,
    placeOrder: UI.en.CheckoutText.PlaceOrder,
    fixErrors: UI.en.CheckoutText.FixErrors,
    badPhone: UI.en.MemberText.BadPhone,
    order: (id: string) => `Order ${id}`,
    orderStatus: (s: string) => `Order status: ${s}`,
    placed: 'Placed',
    pickupCode: UI.en.CheckoutText.PickupCode,
    cancel: UI.en.CheckoutText.Cancel,
  },
} as const;
const c = C.zh;

// Products of the store, with their prices there (demo data).
const APPLES = { sku: 'HC101101', zh: '烟台红富士苹果', price: 1690 };
const ORANGES = { sku: 'HC101103', zh: '赣南脐橙', price: 3990 };
const GRAPES = { sku: 'HC101104', zh: '阳光玫瑰青提', price: 2540 };
const BANANAS = { sku: 'HC101102', zh: '海南香蕉', price: 890 };
// Stock is counted for these: each is bought by one test in one project only.
const COUNTED = {
  cancel: { 'phone-js': 'HC101106', 'phone-nojs': 'HC101107' },
  again: { 'phone-js': 'HC101108', 'phone-nojs': 'HC101109' },
} as const;

// The Jing'an Temple store (store 1)'s staff member works the till.
const TILL_STAFF = staffPhone(1, 2);

const WINDOW_CAPACITY = 10;
const DELIVERY_FEE = 600; // below ¥59.00
const SHANGHAI = 8 * 3600 * 1000; // UTC+8, no daylight saving
const ORDER_URL = /\/orders\/(CS[0-9A-HJKMNP-TV-Z]{12})$/;

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const jsOn = () => test.info().project.use.javaScriptEnabled !== false;
const project = () => test.info().project.name as 'phone-js' | 'phone-nojs';
const checkoutUrl = `/checkout/${STORE}`;

/** The label of a day in the checkout's window list: 今天, 明天, 周三 11月25日. */
function dayLabel(daysAhead: number): string {
  if (daysAhead === 0) return '今天';
  if (daysAhead === 1) return '明天';
  const d = new Date(Date.now() + SHANGHAI + daysAhead * 86_400_000);
  const weekday = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'][d.getUTCDay()];
  return `${weekday} ${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** Puts lines in the page's bag through the server (JSON, so no one-time notice is left). */
async function seedBag(request: APIRequestContext, lines: { sku: string; quantity: number }[]) {
  for (const { sku, quantity } of lines) {
    const r = await request.post('/bag/add', {
      form: { store: STORE, sku, quantity: String(quantity), back: '/' },
      headers: { accept: 'application/json' },
    });
    expect(r.status(), await r.text()).toBe(200);
  }
}

/** The store's stock of a product, as a fresh shopper is told when asking for too many. */
async function stockOf(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string, sku: string) {
  const api = await playwright.request.newContext({ baseURL });
  try {
    const r = await api.post('/bag/add', {
      form: { store: STORE, sku, quantity: '99', back: '/' },
      headers: { accept: 'application/json', 'accept-language': 'zh-CN' },
    });
    const body = await r.json();
    expect(r.status(), JSON.stringify(body)).toBe(409);
    const m = /^库存只剩 (\d+) 件。$/.exec(body.message);
    expect(m, body.message).not.toBeNull();
    return Number(m![1]);
  } finally {
    await api.dispose();
  }
}

const form = (page: Page) => page.locator('form.checkout');
const modes = (page: Page) => page.getByRole('group', { name: c.howToGet, exact: true });
const pickupFields = (page: Page) => page.getByRole('group', { name: c.pickup, exact: true });
const deliveryFields = (page: Page) => page.getByRole('group', { name: c.deliverTo, exact: true });
const windowsGroup = (page: Page) => page.getByRole('group', { name: c.windows, exact: true });
const contactFields = (page: Page) => page.getByRole('group', { name: c.contact, exact: true });
const placeButton = (page: Page) => page.getByRole('button', { name: c.placeOrder, exact: true });
const notices = (page: Page) => page.getByRole('region', { name: c.notices });

/** The day's group of windows (named by the day) and a window in it, by its times. */
const windowDay = (page: Page, daysAhead: number) =>
  windowsGroup(page).getByRole('group', { name: dayLabel(daysAhead), exact: true });
const windowRadio = (page: Page, daysAhead: number, time: string) =>
  windowDay(page, daysAhead).getByRole('radio', { name: new RegExp(`^${literal(time)}( · .+)?$`) });

/** The definition of a term in a description list (`dl.facts`, `dl.totals`). */
const fact = (list: Locator, term: string) =>
  list.locator('dt').filter({ hasText: new RegExp(`^${literal(term)}$`) }).locator('xpath=following-sibling::dd[1]');

async function openCheckout(page: Page) {
  const r = await page.goto(checkoutUrl);
  expect(r!.status()).toBe(200);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.title(T.zh.storeName));
}

async function fillContact(page: Page, name: string, phone: string) {
  await contactFields(page).getByLabel(c.name, { exact: true }).fill(name);
  await contactFields(page).getByLabel(c.phone, { exact: true }).fill(phone);
}

/** Submits the checkout and waits for the order page; returns the order's id. */
async function submitOrder(page: Page) {
  await placeButton(page).click();
  await expect(page).toHaveURL(ORDER_URL);
  const id = ORDER_URL.exec(page.url())![1];
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.order(id));
  return id;
}

/** A pick-up order through the form (the second pick-up time): its id. */
async function placePickup(page: Page, lines: { sku: string; quantity: number }[], name = '张小明') {
  await seedBag(page.request, lines);
  await openCheckout(page);
  await pickupFields(page).getByLabel(c.pickupTime).selectOption({ index: 1 });
  await fillContact(page, name, '13800138000');
  return submitOrder(page);
}

/**
 * Books `count` delivery orders into one window from as many fresh shoppers, all at once.
 * Returns each post's answer: the order page (placed) or the checkout page (refused), and
 * the shopper's session, to cancel with.
 */
async function bookWindow(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string,
  window: string,
  count: number,
  sku: string,
) {
  const tag = `${project()}-${window}-${Date.now()}`;
  const shoppers = await Promise.all(
    Array.from({ length: count }, () => playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'accept-language': 'zh-CN' } })),
  );
  try {
    await Promise.all(shoppers.map((s) => seedBag(s, [{ sku, quantity: 1 }])));
    return await Promise.all(
      shoppers.map(async (s, i) => {
        const r = await s.post('/checkout/place', {
          form: {
            store: STORE,
            key: `fill-${tag}-${i}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64),
            mode: 'delivery',
            place: "shanghai/Jing'an District",
            address: `南京西路${100 + i}号`,
            window,
            name: `顾客${i}`,
            phone: `139000000${String(i).padStart(2, '0')}`,
          },
          maxRedirects: 0,
        });
        expect(r.status(), await r.text()).toBe(303);
        return { shopper: s, location: r.headers()['location'] };
      }),
    );
  } catch (e) {
    await Promise.all(shoppers.map((s) => s.dispose()));
    throw e;
  }
}

test.describe('[zh] checkout', () => {
  test('pick-up: choose a time, place the order, see it with its pick-up code', async ({ page }) => {
    await seedBag(page.request, [{ sku: APPLES.sku, quantity: 2 }]);
    await page.goto('/bag');
    await waitForHydration(page);
    await page.getByRole('link', { name: UI.zh.BagText.Checkout }).click();
    await expect(page).toHaveURL(checkoutUrl);
    await waitForHydration(page);
    await expect(page).toHaveTitle(new RegExp(`^结算`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.title(T.zh.storeName));
    await expect(page.getByRole('heading', { level: 2, name: UI.zh.CheckoutText.YourItems })).toBeVisible();
    await expect(page.locator('.checkout-items li')).toHaveText([`${APPLES.zh} × 2${yuan(2 * APPLES.price)}`]);

    // Pick-up is the default; the delivery fields are hidden (CSS, no script needed).
    await expect(modes(page).getByRole('radio', { name: c.pickup, exact: true })).toBeChecked();
    await expect(modes(page).getByRole('radio', { name: c.delivery, exact: true })).not.toBeChecked();
    await expect(pickupFields(page)).toBeVisible();
    await expect(deliveryFields(page)).toBeHidden();

    const hint = pickupFields(page).locator('.hint');
    await expect(hint).toHaveText(c.earliest);
    const select = pickupFields(page).getByLabel(c.pickupTime);
    const options = select.getByRole('option');
    expect(await options.count()).toBeGreaterThan(10);
    const first = (await options.first().textContent())!;
    await expect(hint).toHaveText(`最早 ${first} 可取货`);
    await expect(options.nth(1)).toHaveText(/^(今天|明天) \d{2}:(00|30)$/);
    const chosen = (await options.nth(2).textContent())!;
    await select.selectOption({ label: chosen });

    // Pick-up costs nothing extra.
    const totals = form(page).locator('dl.totals');
    await expect(fact(totals, c.subtotal)).toHaveText(yuan(2 * APPLES.price));
    await expect(totals.getByText(c.fee, { exact: true })).toBeHidden();
    await expect(totals.locator('strong').filter({ visible: true })).toHaveText(yuan(2 * APPLES.price));

    await fillContact(page, '张小明', '138 0013 8000');
    const id = await submitOrder(page);
    // The order page says it went through, once.
    const notices = page.getByRole('region', { name: UI.zh.BagText.Notices });
    await expect(notices.getByRole('status')).toHaveText(UI.zh.CheckoutText.OrderPlaced);
    await expect(page.locator('.order-status')).toHaveText(c.orderStatus(c.placed));
    const steps = page.getByRole('list', { name: c.steps });
    await expect(steps.getByRole('listitem')).toHaveText([c.placed, c.preparing, c.ready, c.completed]);
    await expect(steps.getByRole('listitem').first()).toHaveAttribute('aria-current', 'step');
    const facts = page.locator('dl.facts');
    await expect(fact(facts, c.howToGet)).toHaveText(`${c.pickup} · ${T.zh.storeName}`);
    await expect(fact(facts, c.pickupAt)).toHaveText(chosen);
    await expect(fact(facts, c.contact)).toHaveText('张小明 · 13800138000');
    await expect(fact(facts, c.address)).toHaveCount(0);
    await expect(page.locator('article .summary-lines li')).toHaveText([`${APPLES.zh} × 2${yuan(2 * APPLES.price)}`]);
    await expect(fact(page.locator('article dl.totals'), c.total)).toHaveText(yuan(2 * APPLES.price));
    const code = page.getByRole('region', { name: c.pickupCode });
    await expect(code.locator('.qr svg')).toHaveAttribute('role', 'img');
    await expect(code.locator('.qr svg')).toHaveAccessibleName(c.pickupCode);
    await expect(code.locator('.code-digits')).toHaveText(/^\d{10}$/);
    await expect(page.getByRole('button', { name: c.cancel, exact: true })).toBeVisible();

    // The bag's lines of this store became the order.
    await page.goto(checkoutUrl);
    await expect(page.getByRole('main').getByText(c.emptyForStore, { exact: true })).toBeVisible();
    await expect(placeButton(page)).toHaveCount(0);
    await expect(page.getByRole('banner').getByRole('link', { name: '购物袋，0 件' })).toBeVisible();
    expect(id).toMatch(/^CS/);
  });

  test('delivery: area, address and a window; the order says when and where', async ({ page }) => {
    await seedBag(page.request, [{ sku: ORANGES.sku, quantity: 1 }]);
    await openCheckout(page);
    await modes(page).getByRole('radio', { name: c.delivery, exact: true }).check();
    await expect(deliveryFields(page)).toBeVisible();
    await expect(pickupFields(page)).toBeHidden();

    const area = deliveryFields(page).getByLabel(c.area, { exact: true });
    await expect(area).toHaveValue('');
    await expect(area.getByRole('option').first()).toHaveText(c.areaPlaceholder);
    // Only this store's city: the districts it delivers to first, the rest marked beyond.
    await expect(area.locator('optgroup').first()).toHaveAttribute('label', c.areasDelivered);
    await expect(area.locator(`optgroup[label="${c.areasDelivered}"] option`, { hasText: '静安区' })).toHaveCount(1);
    await expect(area.locator(`optgroup[label="${c.areasBeyond}"] option`, { hasText: '闵行区' })).toHaveCount(1);
    await expect(area.getByRole('option', { name: /北京市/ })).toHaveCount(0);
    await area.selectOption({ label: '上海市 · 静安区' });
    await expect(area).toHaveValue("shanghai/Jing'an District");
    await deliveryFields(page).getByLabel(c.address, { exact: true }).fill('南京西路1788号 12楼');

    // A week of days, each a group of one-hour windows from 08:00 to 22:00.
    const days = windowsGroup(page).getByRole('group');
    await expect(days).toHaveCount(7);
    for (let d = 0; d < 7; d++) await expect(days.nth(d)).toHaveAccessibleName(dayLabel(d));
    const later = windowDay(page, 2).getByRole('radio');
    await expect(later).toHaveCount(14);
    await expect(windowDay(page, 2).locator('label')).toHaveText(
      Array.from({ length: 14 }, (_, i) => `${String(8 + i).padStart(2, '0')}:00–${String(9 + i).padStart(2, '0')}:00`),
    );
    // Today's windows close an hour before they start.
    const now = Math.floor(Date.now() / 1000);
    for (const radio of await windowDay(page, 0).getByRole('radio').all()) {
      const start = Number(await radio.getAttribute('value'));
      expect(await radio.getAttribute('id')).toBe(`w-${start}`);
      if (Math.abs(start - 3600 - now) < 120) continue; // at the cut-off right now
      if (start - 3600 < now) {
        await expect(radio).toBeDisabled();
        await expect(radio).toHaveAccessibleName(new RegExp(` · ${c.past}$`));
      } else {
        await expect(radio).toBeEnabled();
        await expect(radio).toHaveAccessibleName(/^\d{2}:00–\d{2}:00$/);
      }
    }

    const window = windowRadio(page, 2, '20:00–21:00');
    await window.check();
    await expect(window).toBeChecked();
    await fillContact(page, '李四', '13912345678');

    // A delivery below ¥59.00 pays the fee.
    const totals = form(page).locator('dl.totals');
    await expect(totals.getByText(c.fee, { exact: true })).toBeVisible();
    await expect(totals.locator('strong').filter({ visible: true })).toHaveText(yuan(ORANGES.price + DELIVERY_FEE));

    const id = await submitOrder(page);
    await expect(page.locator('.order-status')).toHaveText(c.orderStatus(c.placed));
    await expect(page.getByRole('list', { name: c.steps }).getByRole('listitem')).toHaveText([
      c.placed,
      c.preparing,
      c.outForDelivery,
      c.completed,
    ]);
    const facts = page.locator('dl.facts');
    await expect(fact(facts, c.howToGet)).toHaveText(`${c.delivery} · ${T.zh.storeName}`);
    await expect(fact(facts, c.deliversAt)).toHaveText(`${dayLabel(2)} 20:00–21:00`);
    await expect(fact(facts, c.address)).toHaveText('南京西路1788号 12楼');
    await expect(fact(facts, c.contact)).toHaveText('李四 · 13912345678');
    const totalsAfter = page.locator('article dl.totals');
    await expect(fact(totalsAfter, c.fee)).toHaveText(yuan(DELIVERY_FEE));
    await expect(fact(totalsAfter, c.total)).toHaveText(yuan(ORANGES.price + DELIVERY_FEE));
    // No pick-up code for a delivery.
    await expect(page.getByRole('region', { name: c.pickupCode })).toHaveCount(0);
    await expect(page.locator('.qr')).toHaveCount(0);
    expect(id).toMatch(/^CS/);
  });

  test('mistakes come back beside their fields, with what was typed', async ({ page }) => {
    await seedBag(page.request, [{ sku: GRAPES.sku, quantity: 1 }]);
    await openCheckout(page);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await modes(page).getByRole('radio', { name: c.delivery, exact: true }).check();
    await deliveryFields(page).getByLabel(c.address, { exact: true }).fill('愚园路68号');
    // Spaces get past the browser's `required`, not past the server.
    await fillContact(page, '   ', '12345');
    await placeButton(page).click();

    await expect(page).toHaveURL(checkoutUrl);
    await waitForHydration(page);
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(c.fixErrors);
    // Still a delivery, with the delivery fields showing.
    await expect(modes(page).getByRole('radio', { name: c.delivery, exact: true })).toBeChecked();
    await expect(deliveryFields(page)).toBeVisible();

    const area = deliveryFields(page).getByLabel(c.area, { exact: true });
    await expect(page.locator('#place-error')).toHaveText(c.chooseArea);
    await expect(area).toHaveAccessibleDescription(c.chooseArea);

    const address = deliveryFields(page).getByLabel(c.address, { exact: true });
    await expect(address).toHaveValue('愚园路68号');
    await expect(address).not.toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#address-error')).toHaveCount(0);

    await expect(windowsGroup(page).locator('.field-error')).toHaveText(c.chooseWindow);
    await expect(windowsGroup(page)).toHaveAccessibleDescription(c.chooseWindow);

    const name = contactFields(page).getByLabel(c.name, { exact: true });
    const phone = contactFields(page).getByLabel(c.phone, { exact: true });
    await expect(contactFields(page).locator('.field-error')).toHaveText([c.nameMissing, c.badPhone]);
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveAccessibleDescription(c.nameMissing);
    await expect(phone).toHaveAttribute('aria-invalid', 'true');
    await expect(phone).toHaveAccessibleDescription(c.badPhone);
    await expect(phone).toHaveValue('12345');
    // Nothing was ordered.
    await expect(page.locator('.checkout-items li')).toHaveText([`${GRAPES.zh} × 1${yuan(GRAPES.price)}`]);

    // Fixed, the same page places the order.
    await area.selectOption({ label: '上海市 · 静安区' });
    await windowRadio(page, 2, '19:00–20:00').check();
    await name.fill('王芳');
    await phone.fill('+86 139-0000-1111');
    const id = await submitOrder(page);
    await expect(fact(page.locator('dl.facts'), c.contact)).toHaveText('王芳 · 13900001111');
    await expect(fact(page.locator('dl.facts'), c.address)).toHaveText('愚园路68号');
    await expect(fact(page.locator('dl.facts'), c.deliversAt)).toHaveText(`${dayLabel(2)} 19:00–20:00`);
    expect(id).toMatch(/^CS/);

    // The draft is gone with the order: a new checkout starts clean.
    await seedBag(page.request, [{ sku: GRAPES.sku, quantity: 1 }]);
    await openCheckout(page);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.locator('.field-error')).toHaveCount(0);
    await expect(modes(page).getByRole('radio', { name: c.pickup, exact: true })).toBeChecked();
    await expect(contactFields(page).getByLabel(c.name, { exact: true })).toHaveValue('');
  });

  // The area select is marked invalid like the inputs, so a screen reader hears it.
  test('the area select is marked invalid along with its message', async ({ page }) => {
    await seedBag(page.request, [{ sku: APPLES.sku, quantity: 1 }]);
    await openCheckout(page);
    await modes(page).getByRole('radio', { name: c.delivery, exact: true }).check();
    await fillContact(page, '赵六', '13700001234');
    await placeButton(page).click();
    await expect(page.locator('#place-error')).toHaveText(c.chooseArea);
    await expect(deliveryFields(page).getByLabel(c.area, { exact: true })).toHaveAttribute('aria-invalid', 'true');
  });

  test('an address outside the radius names the store that delivers there', async ({ page }) => {
    await seedBag(page.request, [{ sku: APPLES.sku, quantity: 1 }]);
    await openCheckout(page);
    await modes(page).getByRole('radio', { name: c.delivery, exact: true }).check();
    const area = deliveryFields(page).getByLabel(c.area, { exact: true });
    // In the same city, beyond 3 km (marked so in the list): the nearer store is named.
    await area.selectOption({ label: '上海市 · 闵行区' });
    await deliveryFields(page).getByLabel(c.address, { exact: true }).fill('中关村大街1号');
    const window = windowRadio(page, 2, '10:00–11:00');
    await window.check();
    await fillContact(page, '赵六', '13700001234');
    await placeButton(page).click();

    await expect(page).toHaveURL(checkoutUrl);
    await waitForHydration(page);
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(c.fixErrors);
    const message = c.outside('禾川生活·莘庄店');
    await expect(page.locator('#place-error')).toHaveText(message);
    await expect(area).toHaveAccessibleDescription(message);
    // Only the area was wrong; everything typed is still there.
    await expect(page.locator('.field-error')).toHaveCount(1);
    await expect(area).toHaveValue('shanghai/Minhang District');
    await expect(deliveryFields(page).getByLabel(c.address, { exact: true })).toHaveValue('中关村大街1号');
    await expect(windowRadio(page, 2, '10:00–11:00')).toBeChecked();
    await expect(contactFields(page).getByLabel(c.name, { exact: true })).toHaveValue('赵六');
    await expect(contactFields(page).getByLabel(c.phone, { exact: true })).toHaveValue('13700001234');

  });

  test('a full window is refused, shown as full, and a cancellation frees it', async ({ page, playwright, baseURL }) => {
    const day = jsOn() ? 3 : 4; // the projects run at once: one day each
    const time = '10:00–11:00';
    await seedBag(page.request, [{ sku: APPLES.sku, quantity: 1 }]);
    if (jsOn()) await page.clock.install(); // the live check (every 20 s) waits for the test
    await openCheckout(page);
    if (jsOn()) await page.clock.pauseAt(Date.now() + 1_000);

    // The shopper fills in the form while the window still has room …
    await modes(page).getByRole('radio', { name: c.delivery, exact: true }).check();
    await deliveryFields(page).getByLabel(c.area, { exact: true }).selectOption({ label: '上海市 · 静安区' });
    await deliveryFields(page).getByLabel(c.address, { exact: true }).fill('常德路800号');
    const radio = windowRadio(page, day, time);
    await expect(radio).toBeEnabled();
    await expect(radio).toHaveAccessibleName(time);
    const window = (await radio.getAttribute('value'))!;
    await radio.check();
    await fillContact(page, '钱七', '13600001111');

    // … and meanwhile eleven others try to book it at once: ten get in.
    const answers = await bookWindow(playwright, baseURL!, window, WINDOW_CAPACITY + 1, BANANAS.sku);
    try {
      const placed = answers.filter((a) => ORDER_URL.test(a.location));
      const refused = answers.filter((a) => a.location === checkoutUrl);
      expect(placed, answers.map((a) => a.location).join(' ')).toHaveLength(WINDOW_CAPACITY);
      expect(refused).toHaveLength(1);
      const draft = await refused[0].shopper.get(checkoutUrl);
      expect(await draft.text()).toContain(c.windowFullNow);

      // The shopper's post is refused, beside the windows.
      if (jsOn()) await page.clock.resume();
      await placeButton(page).click();
      await expect(page).toHaveURL(checkoutUrl);
      await waitForHydration(page);
      await expect(page.getByRole('main').getByRole('alert')).toHaveText(c.fixErrors);
      await expect(windowsGroup(page).locator('.field-error')).toHaveText(c.windowFullNow);
      await expect(windowsGroup(page)).toHaveAccessibleDescription(c.windowFullNow);
      // The window is shown full and cannot be chosen; the rest of the form is kept.
      const full = windowRadio(page, day, time);
      await expect(full).toBeDisabled();
      await expect(full).not.toBeChecked();
      await expect(full).toHaveAccessibleName(`${time} · ${c.full}`);
      await expect(windowDay(page, day).getByRole('radio', { checked: true })).toHaveCount(0);
      await expect(windowRadio(page, day, '11:00–12:00')).toBeEnabled();
      await expect(modes(page).getByRole('radio', { name: c.delivery, exact: true })).toBeChecked();
      await expect(deliveryFields(page).getByLabel(c.address, { exact: true })).toHaveValue('常德路800号');
      await expect(contactFields(page).getByLabel(c.name, { exact: true })).toHaveValue('钱七');

      // Posting it anyway (an old page, a hand-made post) is refused too.
      const key = (await form(page).locator('input[name=key]').getAttribute('value'))!;
      const forced = await page.request.post('/checkout/place', {
        form: {
          store: STORE,
          key,
          mode: 'delivery',
          place: "shanghai/Jing'an District",
          address: '常德路800号',
          window,
          name: '钱七',
          phone: '13600001111',
        },
        maxRedirects: 0,
      });
      expect(forced.status()).toBe(303);
      expect(forced.headers()['location']).toBe(checkoutUrl);
      await page.reload();
      await expect(windowsGroup(page).locator('.field-error')).toHaveText(c.windowFullNow);

      // One of the ten cancels: the window has room again.
      const first = placed[0];
      const id = ORDER_URL.exec(first.location)![1];
      const cancel = await first.shopper.post('/orders/cancel', { form: { id }, headers: { accept: 'application/json' } });
      expect(cancel.status(), await cancel.text()).toBe(200);
      expect(await cancel.json()).toMatchObject({ ok: true, message: c.cancelledNotice });
      await page.reload();
      await waitForHydration(page);
      await expect(windowRadio(page, day, time)).toBeEnabled();
      await expect(windowRadio(page, day, time)).toHaveAccessibleName(time);
    } finally {
      await Promise.all(answers.map((a) => a.shopper.dispose()));
    }
  });

  test('hydrated, a window that fills up meanwhile is disabled in place', async ({ page, playwright, baseURL }) => {
    test.skip(!jsOn(), 'the live check is JavaScript; without it the server refuses the post (above)');
    const day = 5;
    const time = '15:00–16:00';
    await seedBag(page.request, [{ sku: APPLES.sku, quantity: 1 }]);
    await page.clock.install();
    await openCheckout(page);
    await page.clock.pauseAt(Date.now() + 1_000);
    await modes(page).getByRole('radio', { name: c.delivery, exact: true }).check();
    const radio = windowRadio(page, day, time);
    await radio.check();
    const window = (await radio.getAttribute('value'))!;
    const answers = await bookWindow(playwright, baseURL!, window, WINDOW_CAPACITY, BANANAS.sku);
    try {
      expect(answers.filter((a) => ORDER_URL.test(a.location))).toHaveLength(WINDOW_CAPACITY);
      await expect(radio).toBeEnabled(); // not until the next check
      const asked = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\//.test(r.url()));
      await page.clock.runFor(20_000);
      expect((await asked).status()).toBe(200);
      await expect(radio).toBeDisabled();
      await expect(radio).not.toBeChecked();
      await expect(radio).toHaveAccessibleName(`${time} · ${c.full}`);
      await expect(page.locator('#live-status')).toHaveText(c.windowFullNow);
      await expect(windowRadio(page, day, '16:00–17:00')).toBeEnabled();
    } finally {
      await Promise.all(answers.map((a) => a.shopper.dispose()));
    }
  });

  test('the pick-up QR code is accepted once at the till', async ({ page, browser, baseURL }) => {
    const id = await placePickup(page, [{ sku: APPLES.sku, quantity: 1 }]);
    const qr = page.locator('.pickup-code .qr svg');
    await expect(qr).toHaveAttribute('role', 'img');
    const code = await readQr(qr);
    expect(code).toMatch(/^\d{10}$/);
    await expect(page.locator('.pickup-code .code-digits')).toHaveText(code);

    const staff = await openBrowser(browser, baseURL!);
    try {
      const till = staff.page;
      // Signed out, the till is a 401 page that offers the staff sign-in.
      const refused = await till.goto(`/till/${STORE}`);
      expect(refused!.status()).toBe(401);
      await expect(till.getByRole('heading', { level: 1 })).toHaveText(c.signInFirst);
      await expect(till.getByLabel(c.tillCode, { exact: true })).toHaveCount(0);
      await expect(till.getByRole('main')).not.toContainText(id);
      await expect(till.getByRole('link', { name: c.staffSignIn, exact: true })).toHaveAttribute('href', /^\/staff(\?|$)/);

      // The store's staff member signs in at /staff, coming back to the till: a wrong
      // password first, said beside the password field.
      await till.goto(`/staff?back=/till/${STORE}`);
      await waitForHydration(till);
      await expect(till.getByRole('heading', { level: 1 })).toHaveText(c.staffSignIn);
      await till.getByLabel(c.staffPhone, { exact: true }).fill(TILL_STAFF);
      const password = till.getByLabel(c.staffPassword, { exact: true });
      await expect(password).toHaveAttribute('type', 'password');
      await password.fill('not the password');
      await till.getByRole('button', { name: c.signIn, exact: true }).click();
      await expect(till).toHaveURL(`/staff?back=/till/${STORE}`);
      await expect(till.locator('#note-password')).toHaveText(c.wrongPassword);
      await expect(till.locator('#note-password')).toHaveAttribute('role', 'alert');
      await expect(till.getByLabel(c.staffPassword, { exact: true })).toHaveAttribute('aria-invalid', 'true');
      await expect(till.getByLabel(c.staffPassword, { exact: true })).toHaveAccessibleDescription(c.wrongPassword);
      await expect(notices(till)).toHaveCount(0); // beside the field, not at the top

      await till.getByLabel(c.staffPhone, { exact: true }).fill(TILL_STAFF);
      await till.getByLabel(c.staffPassword, { exact: true }).fill(STAFF_PASSWORD);
      await till.getByRole('button', { name: c.signIn, exact: true }).click();
      await expect(till).toHaveURL(`/till/${STORE}`);
      await waitForHydration(till);
      await expect(till.getByRole('heading', { level: 1 })).toHaveText(c.till(T.zh.storeName));
      await expect(notices(till).getByRole('status')).toHaveText(c.signedIn);
      const openOrders = till.getByRole('region', { name: c.openOrders });
      const row = openOrders.getByRole('listitem').filter({ hasText: id });
      await expect(row).toContainText(`${id} · ${c.pickup} · `);
      await expect(row.locator('.order-state')).toHaveText(c.placed);
      // Staff start on it: the shopper can no longer cancel, the code still works.
      await row.getByRole('button', { name: c.advance(id, c.preparing), exact: true }).click();
      await expect(till).toHaveURL(`/till/${STORE}`);
      await expect(notices(till).getByRole('status')).toHaveText(c.advanced(id, c.preparing));
      await expect(row.locator('.order-state')).toHaveText(c.preparing);
      await expect(row.getByRole('button', { name: c.advance(id, c.ready), exact: true })).toBeVisible();
      await page.reload();
      await expect(page.locator('.order-status')).toHaveText(c.orderStatus(c.preparing));
      await expect(page.getByRole('list', { name: c.steps }).getByRole('listitem').nth(1)).toHaveAttribute('aria-current', 'step');
      await expect(page.getByRole('button', { name: c.cancel, exact: true })).toHaveCount(0);
      await expect(page.locator('.pickup-code .code-digits')).toHaveText(code);
      const late = await page.request.post('/orders/cancel', { form: { id }, headers: { accept: 'application/json' } });
      expect(late.status()).toBe(409);
      expect(await late.json()).toMatchObject({ ok: false, message: c.tooLate });

      // What a scanner reads from the shopper's phone.
      await till.getByLabel(c.tillCode, { exact: true }).fill(code);
      await till.getByRole('button', { name: c.check, exact: true }).click();
      await expect(till).toHaveURL(`/till/${STORE}`);
      await expect(notices(till).getByRole('status')).toHaveText(c.collected(id));
      await expect(openOrders.getByRole('listitem').filter({ hasText: id })).toHaveCount(0);

      // The same code again: refused.
      await till.getByLabel(c.tillCode, { exact: true }).fill(code);
      await till.getByRole('button', { name: c.check, exact: true }).click();
      await expect(notices(till).getByRole('alert')).toHaveText(c.codeRefused);
      await expect(notices(till).getByRole('status')).toHaveCount(0);
      expect(staff.errors).toEqual([]);
    } finally {
      await staff.context.close();
    }

    // The shopper's order is done; the code is gone and it can no longer be cancelled.
    await page.reload();
    await expect(page.locator('.order-status')).toHaveText(c.orderStatus(c.completed));
    const steps = page.getByRole('list', { name: c.steps }).getByRole('listitem');
    await expect(steps.last()).toHaveText(c.completed);
    await expect(steps.last()).toHaveAttribute('aria-current', 'step');
    await expect(page.locator('.pickup-code')).toHaveCount(0);
    await expect(page.locator('.qr')).toHaveCount(0);
    await expect(page.getByRole('button', { name: c.cancel, exact: true })).toHaveCount(0);
  });

  test('cancelling puts the stock back and the order says 已取消', async ({ page, playwright, baseURL }) => {
    const sku = COUNTED.cancel[project()];
    const before = await stockOf(playwright, baseURL!, sku);
    const id = await placePickup(page, [{ sku, quantity: 2 }]);
    expect(await stockOf(playwright, baseURL!, sku)).toBe(before - 2);

    await page.getByRole('button', { name: c.cancel, exact: true }).click();
    await expect(page).toHaveURL(`/orders/${id}`);
    await expect(notices(page).getByRole('status')).toHaveText(c.cancelledNotice);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.order(id));
    await expect(page.locator('.order-status')).toHaveText(c.orderStatus(c.cancelled));
    await expect(page.getByRole('list', { name: c.steps })).toHaveCount(0);
    await expect(page.locator('.pickup-code')).toHaveCount(0);
    await expect(page.getByRole('button', { name: c.cancel, exact: true })).toHaveCount(0);
    expect(await stockOf(playwright, baseURL!, sku)).toBe(before);

    // It stays cancelled, and the notice was shown once.
    await page.reload();
    await expect(page.locator('.order-status')).toHaveText(c.orderStatus(c.cancelled));
    await expect(notices(page)).toHaveCount(0);
    // Cancelling again says so and puts nothing back twice.
    const again = await page.request.post('/orders/cancel', { form: { id }, headers: { accept: 'application/json' } });
    expect(again.status()).toBe(200);
    expect((await again.json()).message).toBe(UI.zh.CheckoutText.AlreadyCancelled);
    expect(await stockOf(playwright, baseURL!, sku)).toBe(before);
  });

  // A second cancel of an already-cancelled order (two tabs, or the back button without
  // JavaScript) says it is already cancelled, not that the store is preparing it.
  test('cancelling an order that is already cancelled does not claim the store is preparing it', async ({ page }) => {
    const id = await placePickup(page, [{ sku: GRAPES.sku, quantity: 1 }]);
    const cancelForm = page.locator('form.cancel-form');
    const fields = { id: (await cancelForm.locator('input[name=id]').getAttribute('value'))! };
    await page.getByRole('button', { name: c.cancel, exact: true }).click();
    await expect(page.locator('.order-status')).toHaveText(c.orderStatus(c.cancelled));
    // The other tab's button, pressed after the first.
    const stale = await page.request.post('/orders/cancel', { form: fields, maxRedirects: 0 });
    expect(stale.status()).toBe(303);
    await page.goto(`/orders/${id}`);
    await expect(notices(page)).not.toContainText(c.tooLate);
    await expect(notices(page)).toContainText(UI.zh.CheckoutText.AlreadyCancelled);
  });

  test('another shopper gets a 404 for the order, and cannot cancel it', async ({ page, browser, baseURL }) => {
    const id = await placePickup(page, [{ sku: APPLES.sku, quantity: 1 }]);
    const other = await openBrowser(browser, baseURL!);
    try {
      // A shopper of their own (with a bag), and one with no cookies at all.
      await seedBag(other.page.request, [{ sku: GRAPES.sku, quantity: 1 }]);
      for (const path of [`/orders/${id}`, `/orders/${id.toLowerCase()}`]) {
        const r = await other.page.goto(path);
        expect(r!.status(), path).toBe(404);
        await expect(other.page.getByRole('heading', { level: 1 })).toHaveText(T.zh.notFoundTitle);
        await expect(other.page.getByRole('main')).not.toContainText(id);
        await expect(other.page.getByRole('main')).not.toContainText('张小明');
        await expect(other.page.locator('.pickup-code, .qr')).toHaveCount(0);
        await expect(other.page.getByRole('button', { name: c.cancel })).toHaveCount(0);
      }
      const anonymous = await other.page.request.get(`/orders/${id}`, { headers: { cookie: '' } });
      expect(anonymous.status()).toBe(404);
      const body = await anonymous.text();
      expect(body).toContain(T.zh.notFoundPage);
      expect(body).not.toContain('code-digits');
      expect(body).not.toContain('张小明');

      const cancel = await other.page.request.post('/orders/cancel', { form: { id }, headers: { accept: 'application/json' } });
      expect(cancel.status()).toBeGreaterThanOrEqual(400);
      expect(await cancel.json()).toMatchObject({ ok: false });
      expect(other.errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    } finally {
      await other.context.close();
    }
    // The owner still has it, untouched.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.order(id));
    await expect(page.locator('.order-status')).toHaveText(c.orderStatus(c.placed));
    await expect(page.locator('.pickup-code .code-digits')).toHaveText(/^\d{10}$/);
  });

  test('the same form sent twice is one order', async ({ page, playwright, baseURL }) => {
    const sku = COUNTED.again[project()];
    const before = await stockOf(playwright, baseURL!, sku);
    await seedBag(page.request, [{ sku, quantity: 2 }]);
    await openCheckout(page);
    await pickupFields(page).getByLabel(c.pickupTime).selectOption({ index: 1 });
    await fillContact(page, '孙八', '13500001234');

    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/checkout/place')) posts.push(r.postData() ?? '');
    });
    if (jsOn()) {
      // A slow network: the first post is held on its way.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/checkout/place', async (route) => {
        await held;
        await route.continue();
      });
      // Locators wait for a pending navigation, so the taps happen inside the page: a double
      // tap, then (once the button is disabled) another try, as Enter in a field would.
      const seen = await form(page).evaluate(async (f: HTMLFormElement) => {
        const button = f.querySelector<HTMLButtonElement>('button[type=submit]')!;
        button.click();
        button.click();
        await new Promise((r) => setTimeout(r, 100));
        const state = { disabled: button.disabled, busy: f.getAttribute('aria-busy') };
        f.requestSubmit();
        return state;
      });
      expect(seen).toEqual({ disabled: true, busy: 'true' });
      release();
    } else {
      await placeButton(page).click();
    }
    await expect(page).toHaveURL(ORDER_URL);
    const id = ORDER_URL.exec(page.url())![1];
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.order(id));
    expect(posts, 'the form was sent once').toHaveLength(1);
    await page.unrouteAll();

    // The same post again (a retry, a resubmitted page): the same order.
    const replay = await page.request.post('/checkout/place', {
      data: posts[0],
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      maxRedirects: 0,
    });
    expect(replay.status()).toBe(303);
    expect(replay.headers()['location']).toBe(`/orders/${id}`);

    // Back to the form (the browser shows it as it was, with its key) and submit it again.
    await page.goBack();
    await expect(page).toHaveURL(checkoutUrl);
    await waitForHydration(page);
    await expect(form(page).locator('input[name=key]')).toHaveValue(new URLSearchParams(posts[0]).get('key')!);
    await expect(contactFields(page).getByLabel(c.name, { exact: true })).toHaveValue('孙八');
    await placeButton(page).click();
    await expect(page).toHaveURL(`/orders/${id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.order(id));
    expect(posts).toHaveLength(2);
    // One order, so the stock went down once.
    expect(await stockOf(playwright, baseURL!, sku)).toBe(before - 2);
  });
});

test.describe('[en] checkout', () => {
  const e = C.en;

  test.beforeEach(async ({ context, baseURL }) => {
    await useLang(context, baseURL, 'en');
  });

  test('a pick-up order in English', async ({ page }) => {
    test.skip(!jsOn(), 'English is checked once, hydrated');
    await seedBag(page.request, [{ sku: GRAPES.sku, quantity: 1 }]);
    await page.goto(checkoutUrl);
    await waitForHydration(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(e.title(T.en.storeName));
    const modesEn = page.getByRole('group', { name: e.howToGet, exact: true });
    await expect(modesEn.getByRole('radio', { name: e.pickup, exact: true })).toBeChecked();
    await expect(modesEn.getByRole('radio', { name: e.delivery, exact: true })).not.toBeChecked();
    await expect(page.getByRole('group', { name: e.pickup, exact: true }).locator('.hint')).toHaveText(e.earliest);
    await page.getByLabel(e.pickupTime).selectOption({ index: 1 });
    await page.getByLabel(e.name, { exact: true }).fill('Li Lei');
    await page.getByLabel(e.phone, { exact: true }).fill('1380013800');
    await page.getByRole('button', { name: e.placeOrder, exact: true }).click();

    await expect(page).toHaveURL(checkoutUrl);
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(e.fixErrors);
    await expect(page.getByLabel(e.phone, { exact: true })).toHaveAccessibleDescription(e.badPhone);
    await expect(page.getByLabel(e.name, { exact: true })).toHaveValue('Li Lei');

    await page.getByLabel(e.phone, { exact: true }).fill('13800138000');
    await page.getByRole('button', { name: e.placeOrder, exact: true }).click();
    await expect(page).toHaveURL(ORDER_URL);
    const id = ORDER_URL.exec(page.url())![1];
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(e.order(id));
    await expect(page.locator('.order-status')).toHaveText(e.orderStatus(e.placed));
    await expect(page.getByRole('region', { name: e.pickupCode })).toBeVisible();
    await expect(page.getByRole('button', { name: e.cancel, exact: true })).toBeVisible();
  });
});

