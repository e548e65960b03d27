import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Browser, Locator, Page } from '@playwright/test';
import {
  ADMIN,
  type Lang,
  STAFF_PASSWORD,
  STORE,
  T,
  UI,
  expect,
  literal,
  openBrowser,
  staffPhone,
  staffSignIn,
  test,
  useLang,
  waitForHydration,
} from './support';

// The staff side: signing in at /staff with a mobile number and password (a wrong one is
// said beside the password field), the store's order queue and an order's pick list,
// moving orders along (a delivery handed to a named courier, then delivered), the store
// cancelling with a reason the shopper sees, refusals (403) for staff of another store
// and for a guide outside their page, signing out everywhere, and — hydrated — the queue
// updating itself. Every journey runs with JavaScript on and off: the console's forms
// are plain posts answered with a 303 either way.
//
// The suite shares one server and database (and runs two workers), so each test places
// its own orders and finds them by id, never by a count. Accounts: the demo stores'
// (support.ts); wrong passwords only on numbers nothing else signs in with — the Yuyuan
// Road and Changping Road stores' staff members (one miss each per run), the Daning and
// Xujiahui stores' (locked on purpose) — or on a number with no account. Signing out
// everywhere is done by an account made here.

const S = {
  zh: {
    signInTitle: UI.zh.StaffText.SignInTitle,
    phone: UI.zh.StaffText.Phone,
    password: UI.zh.StaffText.Password,
    signIn: UI.zh.StaffText.SignIn,
    signOut: UI.zh.StaffText.SignOut,
    signOutEverywhere: UI.zh.StaffText.SignOutEverywhere,
    signedIn: UI.zh.StaffText.SignedIn,
    signedOut: UI.zh.StaffText.SignedOut,
    signedOutEverywhere: UI.zh.StaffText.SignedOutEverywhere,
    wrongPassword: UI.zh.StaffText.WrongPassword,
    lockedOut: UI.zh.StaffText.LockedOut,
    badPhone: UI.zh.StaffText.BadPhone,
    yourStores: UI.zh.StaffText.YourStores,
    console: UI.zh.StaffText.Console,
    navOrders: UI.zh.StaffText.NavOrders,
    navTill: UI.zh.StaffText.NavTill,
    navGuides: UI.zh.StaffText.NavGuides,
    queueNew: UI.zh.StaffText.QueueNew,
    queuePreparing: UI.zh.StaffText.QueuePreparing,
    queueReady: UI.zh.StaffText.QueueReady,
    queueOut: UI.zh.StaffText.QueueOut,
    pickList: UI.zh.StaffText.PickList,
    customer: UI.zh.StaffText.Customer,
    deliverTo: UI.zh.StaffText.DeliverTo,
    courier: UI.zh.StaffText.Courier,
    handToCourier: UI.zh.StaffText.HandToCourier,
    markDelivered: UI.zh.StaffText.MarkDelivered,
    moveTo: (id: string, status: string) => `${id}: ${UI.zh.StaffText.MoveTo} ${status}`,
    movedOn: (status: string) => `${UI.zh.StaffText.OrderMovedOn} ${status}`,
    cancelReason: UI.zh.StaffText.CancelReason,
    cancelAsStore: UI.zh.StaffText.CancelAsStore,
    reasonRequired: UI.zh.StaffText.CancelReasonRequired,
    cancelledByStore: UI.zh.StaffText.CancelledByStore,
    orderCancelled: UI.zh.StaffText.OrderCancelled,
    newOrders: UI.zh.StaffText.NewOrdersArrived,
    teamTitle: UI.zh.StaffText.TeamTitle,
    addPerson: UI.zh.StaffText.AddPerson,
    name: UI.zh.StaffText.Name,
    role: UI.zh.StaffText.Role,
    initialPassword: UI.zh.StaffText.InitialPassword,
    personAdded: UI.zh.StaffText.PersonAdded,
    guidesTitle: UI.zh.StaffText.GuidesTitle,
    auditTitle: UI.zh.StaffText.AuditTitle,
    roleStaff: UI.zh.StaffText.RoleStaff,
    roleManager: UI.zh.StaffText.RoleManager,
    roleGuide: UI.zh.StaffText.RoleGuide,
    forbiddenTitle: UI.zh.Msg.ForbiddenTitle,
    forbidden: UI.zh.Msg.Forbidden,
    signInFirst: UI.zh.Msg.UnauthorizedTitle,
    notFoundTitle: UI.zh.Msg.NotFoundTitle,
    notices: UI.zh.BagText.Notices,
    till: (store: string) => `收银台 · ${store}`,
    // The shopper's side.
    orderStatus: (s: string) => `订单状态: ${s}`,
    placed: '已下单',
    preparing: '备货中',
    ready: '可取货',
    outForDelivery: '配送中',
    completed: '已完成',
    cancelled: '已取消',
  },
} as const;
const s = S.zh;
const C = UI.zh.CheckoutText;

// Stores (demo data): store id, slug and name.
const JINGAN = { id: 1, slug: STORE, zh: T.zh.storeName };
const WUJIANG = { id: 2, slug: 'sh-wujiang-road', zh: '禾川生活·吴江路店' };
const YUYUAN = { id: 3, slug: 'sh-yuyuan-road', zh: '禾川生活·愚园路店' };
const CHANGPING = { id: 4, slug: 'sh-changping-road', zh: '禾川生活·昌平路店' };
const DANING = { id: 5, slug: 'sh-daning' };
const XUJIAHUI = { id: 6, slug: 'sh-xujiahui' };
// The Jing'an Temple store's first guide (demo data): 小王, G001A; the second is G001B.
const GUIDE = { phone: staffPhone(JINGAN.id, 3), code: 'G001A', other: 'G001B' };

const APPLES = { sku: 'HC101101', zh: '烟台红富士苹果' };
const ORANGES = { sku: 'HC101103', zh: '赣南脐橙' };
const GRAPES = { sku: 'HC101104', zh: '阳光玫瑰青提' };

const ORDER_URL = /\/orders\/(CS[0-9A-HJKMNP-TV-Z]{12})$/;
const jsOn = () => test.info().project.use.javaScriptEnabled !== false;
const queueUrl = (store: string) => `/staff/${store}`;
const orderUrl = (store: string, id: string) => `/staff/${store}/orders/${id}`;

/** A number nobody has: 137, the project's digit, then the clock (unique in a run). */
const freshPhone = () => `137${jsOn() ? 1 : 2}${String(Date.now()).slice(-7)}`;

// ---- the shopper's side: orders placed through the checkout form --------------------

type How = { mode: 'pickup' } | { mode: 'delivery'; time: string; address: string };

/** Puts a line in the page's bag through the server (JSON, so no one-time notice is left). */
async function seedBag(request: APIRequestContext, sku: string, quantity: number) {
  const r = await request.post('/bag/add', {
    form: { store: STORE, sku, quantity: String(quantity), back: '/' },
    headers: { accept: 'application/json' },
  });
  expect(r.status(), await r.text()).toBe(200);
}

/**
 * A shopper orders `quantity` of `sku` from the Jing'an Temple store through its checkout
 * form: a pick-up (the second time offered) or a delivery in a window of the last day
 * offered (which no other spec books). Returns the order's id, on its order page.
 */
async function placeOrder(shopper: Page, how: How, line: { sku: string; quantity: number }, contact: { name: string; phone: string }) {
  await seedBag(shopper.request, line.sku, line.quantity);
  const r = await shopper.goto(`/checkout/${STORE}`);
  expect(r!.status()).toBe(200);
  await waitForHydration(shopper);
  const modes = shopper.getByRole('group', { name: C.HowToGet, exact: true });
  if (how.mode === 'delivery') {
    await modes.getByRole('radio', { name: C.Delivery, exact: true }).check();
    const where = shopper.getByRole('group', { name: C.DeliveryTo, exact: true });
    await where.getByLabel(C.Area, { exact: true }).selectOption({ label: '上海市 · 静安区' });
    await where.getByLabel(C.Address, { exact: true }).fill(how.address);
    const lastDay = shopper.getByRole('group', { name: C.Window, exact: true }).getByRole('group').last();
    await lastDay.getByRole('radio', { name: new RegExp(`^${literal(how.time)}( · .+)?$`) }).check();
  } else {
    await shopper.getByRole('group', { name: C.Pickup, exact: true }).getByLabel(C.PickupTime).selectOption({ index: 1 });
  }
  const contactFields = shopper.getByRole('group', { name: C.Contact, exact: true });
  await contactFields.getByLabel(C.Name, { exact: true }).fill(contact.name);
  await contactFields.getByLabel(C.Phone, { exact: true }).fill(contact.phone);
  await shopper.getByRole('button', { name: C.PlaceOrder, exact: true }).click();
  // Refused, the page says why: that goes in the failure, not only in the trace.
  await shopper.waitForURL(ORDER_URL).catch(async (e) => {
    const said = await shopper.locator('main').innerText().catch(() => '(no page)');
    throw new Error(`the order was not placed: ${shopper.url()} says:\n${said}\n${e}`);
  });
  return ORDER_URL.exec(shopper.url())![1];
}

/** The shopper's order page, fresh: its status line. */
async function shopperSees(shopper: Page, id: string, status: string) {
  await shopper.goto(`/orders/${id}`);
  await expect(shopper.locator('.order-status')).toHaveText(s.orderStatus(status));
}

// ---- the staff side -----------------------------------------------------------------

const notices = (page: Page) => page.getByRole('region', { name: s.notices });
const consoleNav = (page: Page) => page.getByRole('navigation', { name: s.console, exact: true });
/** A group of the queue: the region named by its heading, "新订单 3". */
const queueGroup = (page: Page, name: string) =>
  page.getByRole('region', { name: new RegExp(`^${literal(name)} \\d+$`) });
/** An order in the queue: the list item whose link is the order's id. */
const queueItem = (scope: Locator, id: string) =>
  scope.getByRole('listitem').filter({ has: scope.page().getByRole('link', { name: id, exact: true }) });

/** The definition of a term in the order's facts (`dl.order-facts`). */
const fact = (page: Page, term: string) =>
  page
    .locator('dl.order-facts dt')
    .filter({ hasText: new RegExp(`^${literal(term)}$`) })
    .locator('xpath=following-sibling::dd[1]');

/** Fills the /staff form and sends it (the number typed each time: the form keeps none). */
async function signInWithForm(page: Page, phone: string, password: string, lang: Lang = 'zh') {
  await page.getByLabel(UI[lang].StaffText.Phone, { exact: true }).fill(phone);
  await page.getByLabel(UI[lang].StaffText.Password, { exact: true }).fill(password);
  await page.getByRole('button', { name: UI[lang].StaffText.SignIn, exact: true }).click();
}

/** The refusal page: its status, title and message, and none of `secrets` anywhere on it. */
async function expectRefused(page: Page, path: string, status: 401 | 403, secrets: string[] = []) {
  const r = await page.goto(path);
  expect(r!.status(), path).toBe(status);
  await expect(page.getByRole('heading', { level: 1 }), path).toHaveText(status === 403 ? s.forbiddenTitle : s.signInFirst);
  if (status === 403) await expect(page.getByRole('main').getByRole('alert'), path).toHaveText(s.forbidden);
  await expect(consoleNav(page), path).toHaveCount(0);
  // Nothing of the order on the page; nor in its HTML, but for the address asked for
  // (which the page repeats, e.g. in the language switch's way back).
  const html = await r!.text();
  for (const secret of secrets) {
    await expect(page.getByRole('main'), path).not.toContainText(secret);
    if (!path.includes(secret)) expect(html, `${path} says nothing of the order (${secret})`).not.toContain(secret);
  }
}

/** A second phone, signed in as `phone` (staff) or not at all. */
async function staffBrowser(browser: Browser, baseURL: string, phone?: string, password = STAFF_PASSWORD) {
  const b = await openBrowser(browser, baseURL);
  if (phone) await staffSignIn(b.context.request, phone, password);
  return b;
}

test.describe('[zh] staff', () => {
  test('signing in: a wrong password is said beside the field, the right one opens one’s stores', async ({ page }) => {
    // Each project signs in to a store no other test signs in to, so its miss is its own.
    const store = jsOn() ? YUYUAN : CHANGPING;
    const phone = staffPhone(store.id, 2);

    await page.goto('/staff');
    await waitForHydration(page);
    await expect(page).toHaveTitle(new RegExp(`^${literal(s.console)}`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.signInTitle);
    const phoneField = page.getByLabel(s.phone, { exact: true });
    const passwordField = page.getByLabel(s.password, { exact: true });
    await expect(phoneField).toHaveAttribute('type', 'tel');
    await expect(phoneField).toHaveAttribute('autocomplete', 'username');
    await expect(passwordField).toHaveAttribute('type', 'password');
    await expect(passwordField).toHaveAttribute('autocomplete', 'current-password');
    await expect(page.locator('.field-error')).toHaveCount(0);

    // Not a mobile number: said beside the number (no password was tried).
    await signInWithForm(page, '12345', 'whatever it is');
    await expect(page).toHaveURL('/staff');
    await expect(page.locator('#note-phone')).toHaveText(s.badPhone);
    await expect(page.getByLabel(s.phone, { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel(s.phone, { exact: true })).toHaveAccessibleDescription(s.badPhone);

    // A wrong password: said beside the password, not at the top of the page.
    await signInWithForm(page, phone, 'not the password');
    await expect(page).toHaveURL('/staff');
    await waitForHydration(page);
    const note = page.locator('p.field-error#note-password');
    await expect(note).toHaveText(s.wrongPassword);
    await expect(note).toHaveAttribute('role', 'alert');
    await expect(page.getByLabel(s.password, { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel(s.password, { exact: true })).toHaveAccessibleDescription(s.wrongPassword);
    await expect(page.getByLabel(s.phone, { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
    await expect(notices(page)).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.signInTitle);
    // Reloaded, the message was for that answer only.
    await page.reload();
    await expect(page.locator('.field-error')).toHaveCount(0);

    // The right one: the stores this person works in.
    await signInWithForm(page, phone, STAFF_PASSWORD);
    await expect(page).toHaveURL('/staff');
    await waitForHydration(page);
    await expect(notices(page).getByRole('status')).toHaveText(s.signedIn);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.yourStores);
    const stores = page.getByRole('main').locator('.console-stores').getByRole('link');
    await expect(stores).toHaveCount(1);
    await expect(stores).toHaveText(`${store.zh}上海市 · ${s.roleStaff}`);
    await expect(page.getByRole('button', { name: s.signOut, exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: s.signOutEverywhere, exact: true })).toBeVisible();
    expect((await page.context().cookies()).map((c) => c.name)).toContain('tid');
    const tid = (await page.context().cookies()).find((c) => c.name === 'tid')!;
    expect(tid.httpOnly, 'the session cookie is HttpOnly').toBe(true);
    expect(tid.sameSite).not.toBe('None');

    // A staff member opens the orders; their nav has the orders and the till.
    await stores.click();
    await expect(page).toHaveURL(queueUrl(store.slug));
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.navOrders);
    await expect(consoleNav(page).getByRole('link')).toHaveText([s.navOrders, s.navTill]);
    await expect(consoleNav(page).getByRole('link', { name: s.navOrders, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('main').getByText(store.zh, { exact: true })).toBeVisible();

    // Signing out (this phone): back to the form, and the console is closed to it.
    await page.goto('/staff');
    await page.getByRole('button', { name: s.signOut, exact: true }).click();
    await expect(page).toHaveURL('/staff');
    await expect(notices(page).getByRole('status')).toHaveText(s.signedOut);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.signInTitle);
    await expectRefused(page, queueUrl(store.slug), 401);
    await expect(page.getByRole('main').getByRole('link', { name: s.signInTitle, exact: true })).toHaveAttribute('href', /^\/staff/);
  });

  test('five wrong passwords lock the number: then even the right one is refused, beside the field', async ({ page }) => {
    // A store no other test signs in to, one per project: this test spends its five tries.
    const phone = staffPhone(jsOn() ? DANING.id : XUJIAHUI.id, 2);
    for (let i = 0; i < 5; i++) {
      const miss = await page.request.post('/staff/login', {
        form: { phone, password: `wrong password ${i}` },
        headers: { accept: 'application/json' },
      });
      expect(miss.status(), `miss ${i + 1}`).toBe(400);
      expect(await miss.json()).toMatchObject({ ok: false, message: s.wrongPassword });
    }
    await page.goto('/staff');
    await waitForHydration(page);
    await signInWithForm(page, phone, STAFF_PASSWORD);
    await expect(page).toHaveURL('/staff');
    await expect(page.locator('#note-password')).toHaveText(s.lockedOut);
    await expect(page.getByLabel(s.password, { exact: true })).toHaveAccessibleDescription(s.lockedOut);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.signInTitle);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('tid');
    // Asked for JSON, the refusal has its real status.
    const locked = await page.request.post('/staff/login', {
      form: { phone, password: STAFF_PASSWORD },
      headers: { accept: 'application/json' },
    });
    expect(locked.status()).toBe(429);
    expect(await locked.json()).toMatchObject({ ok: false, message: s.lockedOut });
  });

  test('the store’s staff see a new pick-up order in the queue, open its pick list and move it along', async ({
    page,
    browser,
    baseURL,
  }) => {
    const shopper = await openBrowser(browser, baseURL!);
    try {
      const contact = { name: jsOn() ? '郑一' : '郑二', phone: jsOn() ? '13711110001' : '13711110002' };
      const id = await placeOrder(shopper.page, { mode: 'pickup' }, { sku: APPLES.sku, quantity: 2 }, contact);

      await staffSignIn(page.request, staffPhone(JINGAN.id, 2));
      await page.goto(queueUrl(STORE));
      await waitForHydration(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.navOrders);
      // New: the order with its button to start on it.
      const fresh = queueItem(queueGroup(page, s.queueNew), id);
      await expect(fresh).toHaveCount(1);
      await expect(fresh).toContainText(contact.name);
      await expect(fresh).toContainText(C.Pickup);
      await expect(fresh.getByRole('link', { name: id, exact: true })).toHaveAttribute('href', orderUrl(STORE, id));
      await expect(fresh.getByRole('button', { name: s.moveTo(id, s.preparing), exact: true })).toBeVisible();
      await expect(queueItem(queueGroup(page, s.queuePreparing), id)).toHaveCount(0);

      // Its pick list: what to pick, how many, and who it is for.
      await fresh.getByRole('link', { name: id, exact: true }).click();
      await expect(page).toHaveURL(orderUrl(STORE, id));
      await waitForHydration(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${id} · ${s.placed}`);
      const pickList = page.getByRole('region', { name: s.pickList, exact: true });
      const rows = pickList.getByRole('table').getByRole('row');
      await expect(rows).toHaveCount(2); // the header and one line
      // The last cell: the form to mark the line short while picking.
      await expect(rows.nth(1).getByRole('cell')).toHaveText([
        APPLES.zh,
        APPLES.sku,
        '2',
        '¥16.90',
        new RegExp(`${literal(UI.zh.PaymentText.MarkShort)}$`),
      ]);
      // Staff tick lines off as they pick (nothing is sent).
      const tick = pickList.getByRole('checkbox', { name: APPLES.zh, exact: true });
      await tick.check();
      await expect(tick).toBeChecked();
      await expect(fact(page, s.customer)).toHaveText(`${contact.name} · ${contact.phone}`);
      await expect(page.getByRole('link', { name: contact.phone, exact: true })).toHaveAttribute('href', `tel:${contact.phone}`);

      // Moving it along: 已下单 → 备货中 → 可取货, each step said and shown.
      await page.getByRole('button', { name: s.moveTo(id, s.preparing), exact: true }).click();
      await expect(page).toHaveURL(orderUrl(STORE, id));
      await expect(notices(page).getByRole('status')).toHaveText(s.movedOn(s.preparing));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${id} · ${s.preparing}`);
      await expect(page.getByRole('button', { name: s.moveTo(id, s.preparing), exact: true })).toHaveCount(0);
      await shopperSees(shopper.page, id, s.preparing);

      await page.goto(queueUrl(STORE));
      const preparing = queueItem(queueGroup(page, s.queuePreparing), id);
      await expect(preparing).toHaveCount(1);
      await expect(queueItem(queueGroup(page, s.queueNew), id)).toHaveCount(0);
      // From the queue, the queue comes back, with the order in its new group.
      await preparing.getByRole('button', { name: s.moveTo(id, s.ready), exact: true }).click();
      await expect(page).toHaveURL(queueUrl(STORE));
      await expect(notices(page).getByRole('status')).toHaveText(s.movedOn(s.ready));
      await expect(queueItem(queueGroup(page, s.queueReady), id)).toHaveCount(1);
      await expect(queueItem(queueGroup(page, s.queuePreparing), id)).toHaveCount(0);
      await page.goto(orderUrl(STORE, id));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${id} · ${s.ready}`);
      // Ready for pick-up: the till hands it over with the shopper's code, not a button here.
      await expect(page.locator('.console-actions').getByRole('button')).toHaveCount(0);
      await shopperSees(shopper.page, id, s.ready);

      await page.goto(queueUrl(STORE));
      await expect(queueItem(queueGroup(page, s.queueReady), id)).toHaveCount(1);
      await expect(queueItem(queueGroup(page, s.queuePreparing), id)).toHaveCount(0);

      // A step that is not the order's next (an old page, a second tap) changes nothing.
      const stale = await page.request.post('/staff/orders/advance', {
        form: { store: STORE, id, to: 'preparing' },
        headers: { accept: 'application/json' },
      });
      expect(stale.status()).toBe(409);
      await shopperSees(shopper.page, id, s.ready);
      expect(shopper.errors).toEqual([]);
    } finally {
      await shopper.context.close();
    }
  });

  test('a delivery is handed to a named courier and marked delivered', async ({ page, browser, baseURL }) => {
    const shopper = await openBrowser(browser, baseURL!);
    try {
      const contact = { name: jsOn() ? '冯一' : '冯二', phone: jsOn() ? '13711120001' : '13711120002' };
      const address = jsOn() ? '南京西路1601号 3楼' : '南京西路1603号 5楼';
      const id = await placeOrder(
        shopper.page,
        { mode: 'delivery', time: jsOn() ? '17:00–18:00' : '18:00–19:00', address },
        { sku: ORANGES.sku, quantity: 1 },
        contact,
      );

      await staffSignIn(page.request, staffPhone(JINGAN.id, 2));
      await page.goto(queueUrl(STORE));
      await waitForHydration(page);
      const fresh = queueItem(queueGroup(page, s.queueNew), id);
      await expect(fresh).toContainText(C.Delivery);
      await fresh.getByRole('button', { name: s.moveTo(id, s.preparing), exact: true }).click();
      // Moved on from the queue, the queue comes back.
      await expect(page).toHaveURL(queueUrl(STORE));

      // A delivery being prepared leads to its page to name the courier.
      const preparing = queueItem(queueGroup(page, s.queuePreparing), id);
      await expect(preparing.getByRole('button')).toHaveCount(0);
      await preparing.getByRole('link', { name: s.handToCourier, exact: true }).click();
      await expect(page).toHaveURL(orderUrl(STORE, id));
      await waitForHydration(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${id} · ${s.preparing}`);
      await expect(fact(page, s.deliverTo)).toHaveText(address);

      // A courier of spaces gets past the browser's `required`, not past the server.
      const courier = page.getByLabel(s.courier, { exact: true });
      await expect(courier).toHaveAttribute('required', '');
      await courier.fill('   ');
      await page.getByRole('button', { name: `${id}: ${s.handToCourier}`, exact: true }).click();
      await expect(page).toHaveURL(orderUrl(STORE, id));
      await expect(page.locator('#note-courier')).toHaveAttribute('role', 'alert');
      await expect(page.locator('#note-courier')).toHaveText(UI.zh.StaffText.CourierRequired);
      await expect(page.getByLabel(s.courier, { exact: true })).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${id} · ${s.preparing}`);

      const rider = jsOn() ? '李师傅' : '王师傅';
      await page.getByLabel(s.courier, { exact: true }).fill(rider);
      await page.getByRole('button', { name: `${id}: ${s.handToCourier}`, exact: true }).click();
      await expect(page).toHaveURL(orderUrl(STORE, id));
      await expect(notices(page).getByRole('status')).toHaveText(s.movedOn(s.outForDelivery));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${id} · ${s.outForDelivery}`);
      await expect(fact(page, s.courier)).toHaveText(rider);
      await shopperSees(shopper.page, id, s.outForDelivery);
      await page.goto(queueUrl(STORE));
      await expect(queueItem(queueGroup(page, s.queueOut), id)).toHaveCount(1);

      // Delivered: done, and out of the queue.
      await page.goto(orderUrl(STORE, id));
      await page.getByRole('button', { name: `${id}: ${s.markDelivered}`, exact: true }).click();
      await expect(page).toHaveURL(orderUrl(STORE, id));
      await expect(notices(page).getByRole('status')).toHaveText(s.movedOn(s.completed));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${id} · ${s.completed}`);
      await expect(page.getByLabel(s.cancelReason, { exact: true })).toHaveCount(0);
      await page.goto(queueUrl(STORE));
      await expect(queueItem(page.locator('#console-queue'), id)).toHaveCount(0);
      await shopperSees(shopper.page, id, s.completed);
      expect(shopper.errors).toEqual([]);
    } finally {
      await shopper.context.close();
    }
  });

  test('the store cancels an order with a reason; the shopper’s order page shows it', async ({ page, browser, baseURL }) => {
    const shopper = await openBrowser(browser, baseURL!);
    try {
      const contact = { name: jsOn() ? '褚一' : '褚二', phone: jsOn() ? '13711130001' : '13711130002' };
      const id = await placeOrder(shopper.page, { mode: 'pickup' }, { sku: GRAPES.sku, quantity: 1 }, contact);

      // The store's manager (who may also read the audit log).
      await staffSignIn(page.request, staffPhone(JINGAN.id, 1));
      await page.goto(orderUrl(STORE, id));
      await waitForHydration(page);
      const reason = page.getByLabel(s.cancelReason, { exact: true });
      await expect(reason).toHaveAttribute('required', '');

      // A reason of spaces is refused beside the field: the shopper must be told why.
      await reason.fill('   ');
      await page.getByRole('button', { name: s.cancelAsStore, exact: true }).click();
      await expect(page).toHaveURL(orderUrl(STORE, id));
      await expect(page.locator('#note-reason')).toHaveText(s.reasonRequired);
      await expect(page.getByLabel(s.cancelReason, { exact: true })).toHaveAccessibleDescription(s.reasonRequired);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${id} · ${s.placed}`);

      const why = jsOn() ? '青提今天到货不足，抱歉。' : '今天青提售罄，抱歉。';
      await page.getByLabel(s.cancelReason, { exact: true }).fill(why);
      await page.getByRole('button', { name: s.cancelAsStore, exact: true }).click();
      await expect(page).toHaveURL(orderUrl(STORE, id));
      await expect(notices(page).getByRole('status')).toHaveText(s.orderCancelled);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${id} · ${s.cancelled}`);
      await expect(fact(page, s.cancelledByStore)).toHaveText(why);
      await expect(page.getByLabel(s.cancelReason, { exact: true })).toHaveCount(0);
      await expect(page.locator('.console-actions').getByRole('button')).toHaveCount(0);
      await page.goto(queueUrl(STORE));
      await expect(queueItem(page.locator('#console-queue'), id)).toHaveCount(0);

      // The shopper's order page says the store cancelled it, and why.
      await shopperSees(shopper.page, id, s.cancelled);
      const article = shopper.page.getByRole('main');
      await expect(article.getByText(s.cancelledByStore)).toBeVisible();
      await expect(article.getByText(why)).toBeVisible();
      await expect(shopper.page.getByRole('button', { name: C.Cancel, exact: true })).toHaveCount(0);
      await expect(shopper.page.locator('.pickup-code')).toHaveCount(0);

      // The audit log has who cancelled it and why.
      await page.goto(`/staff/${STORE}/audit`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.auditTitle);
      const entry = page.getByRole('row').filter({ hasText: id });
      await expect(entry).toHaveCount(1);
      await expect(entry).toContainText('order.cancel');
      await expect(entry).toContainText(why);
      await expect(entry).toContainText(staffPhone(JINGAN.id, 1));
      expect(shopper.errors).toEqual([]);
    } finally {
      await shopper.context.close();
    }
  });

  test('staff of another store are refused this store’s queue, till and orders, and see none of an order', async ({
    page,
    browser,
    baseURL,
  }) => {
    const shopper = await openBrowser(browser, baseURL!);
    try {
      const contact = { name: jsOn() ? '卫一' : '卫二', phone: jsOn() ? '13711140001' : '13711140002' };
      const id = await placeOrder(shopper.page, { mode: 'pickup' }, { sku: APPLES.sku, quantity: 1 }, contact);
      const secrets = [id, contact.name, contact.phone];

      // The Wujiang Road store's manager.
      await staffSignIn(page.request, staffPhone(WUJIANG.id, 1));
      for (const path of [
        queueUrl(STORE),
        `/till/${STORE}`,
        orderUrl(STORE, id),
        `/staff/${STORE}/team`,
        `/staff/${STORE}/guides`,
        `/staff/${STORE}/audit`,
      ]) {
        await expectRefused(page, path, 403, secrets);
      }
      const json = await page.request.get(`/staff/${STORE}/queue.json`);
      expect(json.status()).toBe(403);
      expect(await json.text()).not.toContain(id);
      // Posting anyway changes nothing.
      for (const [url, form] of [
        ['/staff/orders/advance', { store: STORE, id, to: 'preparing' }],
        ['/staff/orders/cancel', { store: STORE, id, reason: '不是我的店' }],
        ['/till/advance', { store: STORE, id }],
      ] as const) {
        const r = await page.request.post(url, { form, headers: { accept: 'application/json' } });
        expect(r.status(), url).toBe(403);
      }
      // Nor does their own store's console know the order.
      const own = await page.goto(orderUrl(WUJIANG.slug, id));
      expect(own!.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.notFoundTitle);
      expect(await own!.text()).not.toContain(contact.phone);
      const r = await page.goto(queueUrl(WUJIANG.slug));
      expect(r!.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.navOrders);
      await expect(page.getByRole('main')).not.toContainText(id);

      await shopperSees(shopper.page, id, s.placed);
      expect(shopper.errors).toEqual([]);
    } finally {
      await shopper.context.close();
    }
  });

  test('a guide sees only their results and is refused the orders and the till', async ({ page }) => {
    await staffSignIn(page.request, GUIDE.phone);
    await page.goto('/staff');
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.yourStores);
    const stores = page.getByRole('main').locator('.console-stores').getByRole('link');
    await expect(stores).toHaveText([`${JINGAN.zh}上海市 · ${s.roleGuide}`]);
    await stores.click();
    await expect(page).toHaveURL(`/staff/${STORE}/guides`);
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.guidesTitle);
    // Their results, and the audience of the members they brought.
    await expect(consoleNav(page).getByRole('link')).toHaveText([s.navGuides, UI.zh.StaffText.NavAudience]);
    // Their own row only.
    const table = page.getByRole('main').getByRole('table');
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table.getByRole('rowheader')).toContainText(GUIDE.code);
    await expect(table).not.toContainText(GUIDE.other);

    for (const path of [queueUrl(STORE), `/till/${STORE}`, `/staff/${STORE}/team`, `/staff/${STORE}/audit`, `/staff/${STORE}/coupons`, `/staff/${STORE}/benefits`]) {
      await expectRefused(page, path, 403);
    }
    expect((await page.request.get(`/staff/${STORE}/queue.json`)).status()).toBe(403);
    const csv = await page.request.get(`/staff/${STORE}/guides.csv?period=month`);
    expect(csv.status()).toBe(200);
    const body = await csv.text();
    expect(body).toContain(GUIDE.code);
    expect(body).not.toContain(GUIDE.other);
  });

  test('signing out everywhere signs the person’s other phone out too', async ({ page, browser, baseURL }) => {
    // The brand admin adds a person to the store's team …
    await staffSignIn(page.request, ADMIN.phone, ADMIN.password);
    const person = { name: `店员${jsOn() ? '甲' : '乙'}${String(Date.now()).slice(-4)}`, phone: freshPhone(), password: 'a long first password' };
    await page.goto(`/staff/${STORE}/team`);
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.teamTitle);
    const add = page.getByRole('region', { name: s.addPerson, exact: true });
    await add.getByLabel(s.name, { exact: true }).fill(person.name);
    await add.getByLabel(s.phone, { exact: true }).fill(person.phone);
    await add.getByLabel(s.role, { exact: true }).selectOption({ label: s.roleStaff });
    await add.getByLabel(s.initialPassword, { exact: true }).fill(person.password);
    await add.getByRole('button', { name: s.addPerson, exact: true }).click();
    await expect(page).toHaveURL(`/staff/${STORE}/team`);
    await expect(notices(page).getByRole('status')).toHaveText(s.personAdded);
    await expect(page.getByRole('main').getByRole('listitem').filter({ hasText: person.phone })).toContainText(
      `${person.name} · ${s.roleStaff} · ${person.phone}`,
    );
    // … which the audit log records.
    await page.goto(`/staff/${STORE}/audit`);
    await expect(page.getByRole('row').filter({ hasText: person.phone })).toContainText('team.add');

    // The person signs in on two phones.
    const first = await staffBrowser(browser, baseURL!, person.phone, person.password);
    const second = await staffBrowser(browser, baseURL!, person.phone, person.password);
    try {
      await second.page.goto(queueUrl(STORE));
      await expect(second.page.getByRole('heading', { level: 1 })).toHaveText(s.navOrders);

      await first.page.goto('/staff');
      await waitForHydration(first.page);
      await expect(first.page.getByRole('heading', { level: 1 })).toHaveText(s.yourStores);
      await first.page.getByRole('button', { name: s.signOutEverywhere, exact: true }).click();
      await expect(first.page).toHaveURL('/staff');
      await expect(notices(first.page).getByRole('status')).toHaveText(s.signedOutEverywhere);
      await expect(first.page.getByRole('heading', { level: 1 })).toHaveText(s.signInTitle);

      // The other phone is signed out too: its next page asks it to sign in.
      await expectRefused(second.page, queueUrl(STORE), 401);
      expect((await second.page.request.get(`/staff/${STORE}/queue.json`)).status()).toBe(401);
      await second.page.goto('/staff');
      await expect(second.page.getByRole('heading', { level: 1 })).toHaveText(s.signInTitle);
      expect(first.errors).toEqual([]);
      expect(second.errors).toEqual([]);
    } finally {
      await first.context.close();
      await second.context.close();
    }
    // Nobody else was: the admin is still signed in.
    const still = await page.goto(`/staff/${STORE}/team`);
    expect(still!.status()).toBe(200);
  });

  test('hydrated, the queue shows a new order without a reload and announces it', async ({ page, browser, baseURL }) => {
    test.skip(!jsOn(), 'the live queue is an island; without JavaScript the page has a refresh link');
    test.setTimeout(60_000);
    await staffSignIn(page.request, staffPhone(JINGAN.id, 2));
    const documents: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'document' && r.frame() === page.mainFrame()) documents.push(r.url());
    });
    await page.goto(queueUrl(STORE));
    await waitForHydration(page);
    const live = page.locator('#console-live');
    await expect(live).toHaveAttribute('aria-live', 'polite');
    await expect(live).toBeEmpty();
    await page.evaluate(() => (window.__beforeNav = 'queue'));
    // The queue knows the newest order by its second: the new one must come a second later.
    await page.waitForTimeout(1_100);

    const shopper = await openBrowser(browser, baseURL!);
    try {
      const polled = page.waitForRequest((r) => r.url().endsWith(`/staff/${STORE}/queue.json`), { timeout: 15_000 });
      const id = await placeOrder(shopper.page, { mode: 'pickup' }, { sku: ORANGES.sku, quantity: 1 }, { name: '蒋一', phone: '13711150001' });
      await polled;
      const item = queueItem(queueGroup(page, s.queueNew), id);
      await expect(item).toHaveCount(1, { timeout: 25_000 });
      await expect(item.getByRole('button', { name: s.moveTo(id, s.preparing), exact: true })).toBeVisible();
      await expect(live).toHaveText(s.newOrders);
      // The same document: no reload, no navigation.
      expect(await page.evaluate(() => window.__beforeNav)).toBe('queue');
      expect(documents).toHaveLength(1);
      expect(shopper.errors).toEqual([]);
    } finally {
      await shopper.context.close();
    }
  });
});

// Accessibility of the staff pages (axe, WCAG 2 A/AA): no serious or critical violation.
// axe runs its script in the page, so JavaScript project only.
for (const lang of ['zh', 'en'] as const) {
  test.describe(`[${lang}] staff accessibility`, () => {
    test.beforeEach(async ({ context, baseURL }) => {
      await useLang(context, baseURL, lang);
    });

    test('no serious axe violations on the staff pages', async ({ page, browser, baseURL }) => {
      test.skip(!jsOn(), 'axe needs JavaScript in the page');
      test.setTimeout(60_000);
      const found: string[] = [];
      const check = async (what: string) => {
        await waitForHydration(page);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        for (const v of results.violations) {
          const line = `${what}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`;
          if (v.impact === 'serious' || v.impact === 'critical') found.push(line);
          else test.info().annotations.push({ type: 'axe (minor)', description: line });
        }
      };

      // Signed out: the form, and the form with a refusal beside a field (a number with no
      // account, so no one's tries are spent).
      await page.goto('/staff');
      await check('/staff (sign-in)');
      await signInWithForm(page, '13799999999', 'not the password', lang);
      await expect(page.locator('#note-password')).toBeVisible();
      await check('/staff (wrong password)');
      await page.goto(`/till/${STORE}`);
      await check('/till (401)');

      // An order to look at.
      const shopper = await openBrowser(browser, baseURL!);
      let id: string;
      try {
        id = await placeOrder(shopper.page, { mode: 'pickup' }, { sku: APPLES.sku, quantity: 1 }, { name: '沈一', phone: '13711160001' });
      } finally {
        await shopper.context.close();
      }

      await staffSignIn(page.request, staffPhone(JINGAN.id, 1));
      for (const path of ['/staff', queueUrl(STORE), orderUrl(STORE, id), `/staff/${STORE}/team`, `/staff/${STORE}/guides`, `/staff/${STORE}/audit`, `/staff/${STORE}/coupons`, `/staff/${STORE}/audience`, `/staff/${STORE}/audience?away=x`, `/till/${STORE}`]) {
        const r = await page.goto(path);
        expect(r!.status(), path).toBe(200);
        await check(path);
      }
      await page.goto(queueUrl(WUJIANG.slug));
      await check(`${queueUrl(WUJIANG.slug)} (403)`);

      // The brand admin's API keys: the list and form, then a key just made (shown once).
      await staffSignIn(page.request, ADMIN.phone, ADMIN.password);
      expect((await page.goto('/staff/api-keys'))!.status()).toBe(200);
      await check('/staff/api-keys');
      await page.locator('#key-name').fill(`axe ${lang}`);
      await page.locator('#scope-orders_read').check();
      await page.locator('form[action="/staff/api-keys/create"] button[type=submit]').click();
      await expect(page.getByText(/cso_[A-Za-z0-9_-]{43}/).first()).toBeVisible();
      await check('/staff/api-keys (a key just made)');
      expect(found).toEqual([]);
    });
  });
}
