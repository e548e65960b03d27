import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { STORE, T, UI, expect, literal, openBrowser, staffPhone, staffSignIn, test, waitForHydration } from './support';
import { readQr } from './qr';

// Members who come back: the store's manager makes a coupon campaign in the console
// (a refused field said beside it), counts an audience of the store's members and sends
// them a message with the coupon; the member sees the unread count in the header, reads
// the message and its coupon in the inbox, and checkout chooses that coupon (the best)
// and takes it off the order. Runs with JavaScript on and off.
//
// The member joins through a guide of the store (so is the store's member) and asks for
// one sign-in code per project (members.spec.ts counts the suite's codes).

const MK = UI.zh.MarketingText;
const jsOn = () => test.info().project.use.javaScriptEnabled !== false;
const phoneFor = (test3: string) => `1390000${jsOn() ? '1' : '2'}${test3}`;
const MANAGER = staffPhone(1, 1);
const GUIDE_CODE = 'G001A';

const notices = (page: Page) => page.getByRole('region', { name: UI.zh.BagText.Notices });

async function signInMember(request: APIRequestContext, phone: string) {
  const ask = await request.post('/member/code', { form: { phone }, headers: { accept: 'application/json' } });
  expect(ask.status(), await ask.text()).toBe(200);
  const html = await (await request.get('/demo/inbox')).text();
  const sent = new RegExp(`<span class="inbox-phone">${phone}</span> · <span class="inbox-message">[^<]*?(\\d{6})`).exec(html);
  expect(sent, `a code for ${phone}`).not.toBeNull();
  const verify = await request.post('/member/verify', { form: { code: sent![1] }, headers: { accept: 'application/json' } });
  expect(verify.status(), await verify.text()).toBe(200);
}

test('a manager sends a coupon to an audience and a member uses it at checkout', async ({ page, browser, baseURL }) => {
  test.setTimeout(90_000);
  const title = `周末券${jsOn() ? 'J' : 'N'}${Date.now() % 100_000}`;
  // The member: brought by the store's guide, signed in, with a bag of ¥20 to ¥59.
  await page.goto(`/g/${GUIDE_CODE}?to=/s/${STORE}`);
  await signInMember(page.request, phoneFor('401'));
  const add = await page.request.post('/bag/add', {
    form: { store: STORE, sku: 'HC101101', quantity: '2', back: '/' },
    headers: { accept: 'application/json' },
  });
  expect(add.status()).toBe(200);

  const staff = await openBrowser(browser, baseURL!);
  const console_ = staff.page;
  try {
    await staffSignIn(console_.context().request, MANAGER);
    await console_.goto(`/staff/${STORE}/coupons`);
    await waitForHydration(console_);
    await expect(console_.getByRole('heading', { level: 1 })).toHaveText(MK.CouponsTitle);
    const form = console_.getByRole('region', { name: MK.NewCampaign });
    await form.getByLabel(MK.CampaignTitle, { exact: true }).fill(title);
    await form.getByLabel(MK.CampaignAmount, { exact: true }).fill('25');
    await form.getByLabel(MK.CampaignMinSpend, { exact: true }).fill('20');
    await form.getByRole('button', { name: MK.MakeCampaign }).click();
    // ¥25 off ¥20 would give goods away: said beside the amount, nothing made.
    const amount = console_.getByRole('region', { name: MK.NewCampaign }).getByLabel(MK.CampaignAmount, { exact: true });
    await expect(amount).toHaveAccessibleDescription(MK.AmountOverMinimum);
    await expect(console_.getByRole('row').filter({ hasText: title })).toHaveCount(0);

    const again = console_.getByRole('region', { name: MK.NewCampaign });
    await again.getByLabel(MK.CampaignTitle, { exact: true }).fill(title);
    await again.getByLabel(MK.CampaignAmount, { exact: true }).fill('15');
    await again.getByLabel(MK.CampaignMinSpend, { exact: true }).fill('20');
    await again.getByRole('button', { name: MK.MakeCampaign }).click();
    await expect(notices(console_).getByRole('status')).toHaveText(MK.CampaignMade);
    const row = console_.getByRole('row').filter({ hasText: title });
    await expect(row).toContainText('满 ¥20.00 减 ¥15.00');
    await expect(row).toContainText('0 / 100');

    // The audience: the members the guide brought; the count first.
    await console_.getByRole('navigation').getByRole('link', { name: UI.zh.StaffText.NavAudience }).click();
    await expect(console_.getByRole('heading', { level: 1 })).toHaveText(MK.AudienceTitle);
    await console_.getByLabel(MK.JoinedThrough, { exact: true }).selectOption(GUIDE_CODE);
    await console_.getByRole('button', { name: MK.CountAudience }).click();
    await expect(console_.getByRole('status').filter({ hasText: MK.AudienceCount })).toContainText(/\d+ 位会员/);
    const send = console_.getByRole('region', { name: MK.SendTitle });
    await send.getByLabel(MK.SendBody, { exact: true }).fill('本周末来店里看看，送你一张券');
    const couponSelect = send.getByLabel(MK.SendCoupon, { exact: true });
    const value = await couponSelect.locator('option', { hasText: title }).getAttribute('value');
    await couponSelect.selectOption(value!);
    await send.getByRole('button', { name: MK.SendNow }).click();
    await expect(notices(console_).getByRole('status')).toContainText('已发送');
    expect(staff.errors).toEqual([]);
  } finally {
    await staff.context.close();
  }

  // The member: an unread count in the header, the message and its coupon in the inbox.
  await page.goto('/');
  await waitForHydration(page);
  const inboxLink = page.getByRole('banner').getByRole('link', { name: /^消息（\d+ 条未读）$/ });
  await expect(inboxLink).toBeVisible();
  await inboxLink.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(MK.InboxTitle);
  const message = page.getByRole('listitem').filter({ hasText: '本周末来店里看看，送你一张券' });
  await expect(message).toContainText(title);
  await expect(message).toContainText('满 ¥20.00 减 ¥15.00');
  if (jsOn()) {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    expect(serious, 'axe on the inbox').toEqual([]);
  }
  await page.reload();
  await expect(page.getByRole('banner').getByRole('link', { name: /未读/ })).toHaveCount(0);

  // Checkout: the campaign's coupon is the best, chosen, and the total shows it off.
  await page.goto(`/checkout/${STORE}`);
  await waitForHydration(page);
  const coupons = page.getByRole('group', { name: MK.CouponChoice });
  const chosen = coupons.getByRole('radio', { name: new RegExp(`^${literal(title)}`) });
  await expect(chosen).toBeChecked();
  await expect(coupons).toContainText(MK.BestCoupon);
  const totals = page.locator('dl.totals');
  await expect(totals.locator('dd:visible').filter({ hasText: '-¥15.00' })).toHaveCount(1);
  await page.getByRole('group', { name: UI.zh.CheckoutText.Pickup, exact: true }).getByLabel(UI.zh.CheckoutText.PickupTime).selectOption({ index: 1 });
  const contact = page.getByRole('group', { name: UI.zh.CheckoutText.Contact, exact: true });
  await contact.getByLabel(UI.zh.CheckoutText.Name, { exact: true }).fill('王会员');
  await contact.getByLabel(UI.zh.CheckoutText.Phone, { exact: true }).fill(phoneFor('401'));
  await page.getByRole('button', { name: UI.zh.CheckoutText.PlaceOrder, exact: true }).click();
  await expect(page).toHaveURL(/\/orders\/CS[0-9A-Z]{12}$/);
  const facts = page.locator('dl').filter({ hasText: UI.zh.CheckoutText.Discount });
  await expect(facts).toContainText('-¥15.00');
});

test("a shelf label's QR code, read off the printed page, opens the product at that store", async ({ page, browser, baseURL }) => {
  const staff = await openBrowser(browser, baseURL!);
  const console_ = staff.page;
  let link = '';
  try {
    await staffSignIn(console_.context().request, MANAGER);
    await console_.goto(`/staff/${STORE}/labels`);
    await expect(console_.getByRole('heading', { level: 1 })).toHaveText(MK.LabelsTitle);
    await console_.getByLabel('烟台红富士苹果', { exact: true }).check();
    await console_.getByRole('button', { name: MK.LabelsPrint }).first().click();
    await expect(console_).toHaveURL(new RegExp(`/staff/${STORE}/labels/print\\?sku=HC101101`));
    await expect(console_.getByRole('heading', { level: 1 })).toHaveText(`${MK.SheetTitle} · ${T.zh.storeName}`);
    const label = console_.locator('.shelf-label').filter({ hasText: '烟台红富士苹果' });
    await expect(label).toContainText(/¥\d+\.\d{2}/);
    // The QR code as a phone's camera reads it, off the page.
    link = await readQr(label.locator('.qr svg'));
    expect(link).toBe(`${baseURL}/l/${STORE}/HC101101`);
    expect(staff.errors).toEqual([]);
  } finally {
    await staff.context.close();
  }

  // A shopper scans it: the product at that store, told they are in the store, with the bag.
  await page.goto(link);
  await expect(page).toHaveURL(`/s/${STORE}/p/HC101101?shelf=1`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('烟台红富士苹果');
  await expect(page.getByRole('status').filter({ hasText: '就在店里的货架上' })).toContainText(T.zh.storeName);
  await expect(page.getByRole('button', { name: /加入购物袋/ }).first()).toBeVisible();

  // The console counts the scan.
  const again = await openBrowser(browser, baseURL!);
  try {
    await staffSignIn(again.page.context().request, MANAGER);
    await again.page.goto(`/staff/${STORE}/labels`);
    const row = again.page.getByRole('row').filter({ hasText: '烟台红富士苹果' });
    await expect(row.locator('.label-scans')).not.toHaveText('0');
  } finally {
    await again.context.close();
  }
});
