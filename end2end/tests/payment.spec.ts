import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Page } from '@playwright/test';
import { STORE, UI, expect, literal, openBrowser, staffPhone, staffSignIn, test, waitForHydration } from './support';

// Paying (@payment), with JavaScript on and off, on a server whose payment provider is the
// demo gateway built into the app (PAYMENT=demo; see playwright.config.ts): a pick-up paid
// online; a declined payment, then paid; a paid order cancelled and refunded. The
// gateway's pages are its own (a stand-in for Alipay's cashier): they are found by their
// words, which are not in the app's catalogue.

const PAY_URL =
  process.env.E2E_PAY_URL ?? `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1}`;
test.use({ baseURL: PAY_URL });

const P = UI.zh.PaymentText;
const C = UI.zh.CheckoutText;
const GATEWAY = { title: '演示支付网关', pay: /^付款 ¥/, decline: '不付了', never: '不通知（只有查询交易才能得知）' };
const ORDER_URL = /\/orders\/(CS[0-9A-HJKMNP-TV-Z]{12})(\?.*)?$/;

async function seedBag(request: APIRequestContext, sku: string) {
  const r = await request.post('/bag/add', {
    form: { store: STORE, sku, quantity: '1', back: '/' },
    headers: { accept: 'application/json' },
  });
  expect(r.status(), await r.text()).toBe(200);
}

/** A pick-up of one `sku` through the checkout form (paid at the store if asked): its id. */
async function placePickup(page: Page, sku: string, atStore = false, seed = true) {
  if (seed) await seedBag(page.request, sku);
  await page.goto(`/checkout/${STORE}`);
  await waitForHydration(page);
  await page.getByRole('group', { name: C.Pickup, exact: true }).getByLabel(C.PickupTime).selectOption({ index: 1 });
  const contact = page.getByRole('group', { name: C.Contact, exact: true });
  await contact.getByLabel(C.Name, { exact: true }).fill('张小明');
  await contact.getByLabel(C.Phone, { exact: true }).fill('13800138000');
  if (atStore) {
    await page.getByRole('group', { name: P.HowToPay, exact: true }).getByRole('radio', { name: P.PayAtStoreChoice }).check();
  }
  await page.getByRole('button', { name: C.PlaceOrder, exact: true }).click();
  await expect(page).toHaveURL(ORDER_URL);
  return ORDER_URL.exec(page.url())![1];
}

const money = (page: Page) => page.getByRole('region', { name: P.PaymentHeading, exact: true });
const fact = (page: Page, term: string) =>
  money(page).locator('dt').filter({ hasText: new RegExp(`^${literal(term)}$`) }).locator('xpath=following-sibling::dd[1]');
const payLink = (page: Page) => money(page).getByRole('link', { name: new RegExp(`^${literal(P.PayNow)} ¥`) });

const jsOn = () => test.info().project.use.javaScriptEnabled !== false;

/**
 * Back from the gateway, confirming: with JavaScript the page looks again by itself;
 * without, the shopper waits a few seconds and presses "check again".
 */
async function awaitAnswer(page: Page) {
  if (jsOn()) return;
  const again = money(page).getByRole('link', { name: P.CheckAgain, exact: true });
  // Already answered when the shopper took over 3 s at the gateway: the page asked then.
  if ((await again.count()) === 0) return;
  await page.waitForTimeout(3_500);
  await again.click();
}

/** From the order page to the gateway, where the shopper pays or declines. */
async function atGateway(page: Page, choose: 'pay' | 'decline', notify: 'now' | 'never' = 'now') {
  await payLink(page).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(GATEWAY.title);
  if (notify === 'never') await page.getByRole('radio', { name: GATEWAY.never }).check();
  const button = choose === 'pay' ? page.getByRole('button', { name: GATEWAY.pay }) : page.getByRole('button', { name: GATEWAY.decline, exact: true });
  await button.click();
  await expect(page).toHaveURL(ORDER_URL);
}

test('@payment a pick-up is paid online through the demo gateway', async ({ page }) => {
  const id = await placePickup(page, 'HC101101');
  await expect(fact(page, P.HowToPay)).toHaveText('待支付');
  await expect(money(page)).toContainText(P.AwaitingPaymentNote);
  await expect(page.locator('.code-digits')).toHaveCount(0);
  await atGateway(page, 'pay');
  expect(page.url()).toContain(`/orders/${id}?paying=`);
  await expect(fact(page, P.HowToPay)).toHaveText('已支付');
  await expect(fact(page, P.PaidBy)).toHaveText('支付宝');
  await expect(page.getByRole('heading', { name: C.PickupCode, exact: true })).toBeVisible();
  await expect(payLink(page)).toHaveCount(0);
});

test('@payment a declined payment, then paid', async ({ page }) => {
  await placePickup(page, 'HC101102');
  await atGateway(page, 'decline');
  // Back: confirming, until the page (a few seconds on) asks the gateway and says so.
  await expect(page.getByRole('status').filter({ hasText: new RegExp(`${literal(P.Confirming)}|${literal(P.Declined)}`) })).toBeVisible();
  await awaitAnswer(page);
  await expect(page.getByRole('status').filter({ hasText: P.Declined })).toBeVisible({ timeout: 15_000 });
  await expect(fact(page, P.HowToPay)).toHaveText('待支付');
  // Paid the second time, with the notify held back: the trade query finds it.
  await atGateway(page, 'pay', 'never');
  await awaitAnswer(page);
  await expect(fact(page, P.HowToPay)).toHaveText('已支付', { timeout: 15_000 });
});

test('@payment a paid order cancelled shows its refund', async ({ page }) => {
  await placePickup(page, 'HC101103');
  await atGateway(page, 'pay');
  await expect(fact(page, P.HowToPay)).toHaveText('已支付');
  await page.getByRole('button', { name: C.Cancel, exact: true }).click();
  await expect(page.getByText(C.Cancelled)).toBeVisible();
  const refunds = money(page).getByRole('list');
  await expect(refunds).toContainText('已退款');
  await expect(refunds).toContainText('您取消了订单');
});

test('@payment a pick-up paid at the store is handed over once the till says how it was paid', async ({ page, browser }) => {
  // The manager allows paying at the store (both projects may: it is the same setting).
  const manager = await openBrowser(browser, PAY_URL);
  await staffSignIn(manager.context.request, staffPhone(1, 1));
  await manager.page.goto(`/staff/${STORE}/settings`);
  await manager.page.getByRole('checkbox', { name: P.PayAtStoreSetting }).check();
  await manager.page.getByRole('button', { name: UI.zh.SettingsText.Save, exact: true }).click();
  await expect(manager.page.getByRole('checkbox', { name: P.PayAtStoreSetting })).toBeChecked();
  expect(manager.errors).toEqual([]);
  await manager.context.close();

  await placePickup(page, 'HC101104', true);
  await expect(fact(page, P.HowToPay)).toHaveText(P.PayAtStoreChoice);
  await expect(money(page)).toContainText(P.PayAtStoreNote);
  const code = (await page.locator('.code-digits').textContent())!.trim();

  const till = await openBrowser(browser, PAY_URL);
  await staffSignIn(till.context.request, staffPhone(1, 2));
  await till.page.goto(`/till/${STORE}`);
  await till.page.getByLabel(C.TillCode, { exact: true }).fill(code);
  await till.page.getByRole('button', { name: C.TillCheck, exact: true }).click();
  // Not said how they paid: said beside the choice, nothing handed over.
  const paidWith = till.page.getByRole('group', { name: P.TillPaidWith, exact: true });
  await expect(paidWith).toHaveAccessibleDescription(new RegExp(literal(P.TillNeedsPayment)));
  await expect(till.page.locator('#note-paid')).toHaveText(P.TillNeedsPayment);
  await till.page.getByLabel(C.TillCode, { exact: true }).fill(code);
  await paidWith.getByRole('radio', { name: '现金' }).check();
  await till.page.getByRole('button', { name: C.TillCheck, exact: true }).click();
  await expect(till.page.locator('#note-paid')).toHaveCount(0);
  expect(till.errors).toEqual([]);
  await till.context.close();

  await page.reload();
  await expect(fact(page, P.HowToPay)).toHaveText('已支付');
  await expect(fact(page, P.PaidBy)).toHaveText('现金');
});

/** Every axe violation (WCAG 2 A/AA), briefly. */
async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

test('@payment no axe violations on the paying pages, in both languages', async ({ page, context }) => {
  test.skip(test.info().project.use.javaScriptEnabled === false, 'axe runs its script in the page');
  for (const lang of ['zh', 'en']) {
    await context.addCookies([{ name: 'lang', value: lang, url: PAY_URL }]);
    await seedBag(page.request, 'HC101105');
    await page.goto(`/checkout/${STORE}`);
    expect(await violations(page), `checkout (${lang})`).toEqual([]);
    await page.context().clearCookies({ name: 'lang' });
    const id = await placePickup(page, 'HC101105', false, false);
    await context.addCookies([{ name: 'lang', value: lang, url: PAY_URL }]);
    await page.goto(`/orders/${id}`);
    expect(await violations(page), `awaiting payment (${lang})`).toEqual([]);
    await page.goto(`/orders/${id}/pay`);
    await expect(page).toHaveURL(/\/demo\/alipay\/gateway\.do\?/);
    expect(await violations(page), `the gateway's page (${lang})`).toEqual([]);
    await page.goto(`/orders/${id}?paying=${Math.floor(Date.now() / 1000)}`);
    expect(await violations(page), `confirming (${lang})`).toEqual([]);
    await page.context().clearCookies({ name: 'lang' });
  }
});
