import type { APIRequestContext, Page } from '@playwright/test';
import { STORE, T, UI, expect, literal, openBrowser, staffPhone, staffSignIn, test, waitForHydration } from './support';
import { readQr } from './qr';

// In-store services by appointment (预约到店): from the store's page a member opens its
// services, books the fitting room (专属试衣间) for the first free time, and finds the
// booking with its QR and the same 10 digits under 我的预约; the store's till verifies
// it (核销) once, and refuses it the second time; the member then sees it verified.
// Plain forms: the same journey with JavaScript on and off.
//
// Limits on the shared server: one sign-in code per project here (20 per address in ten
// minutes for the whole suite), on a number no other spec uses (137 0000 …); the till's
// codes, 30 a minute from one address, of which this spec spends two per project.

const A = UI.zh.AppointmentText;
const FITTING = '专属试衣间';
const TILL_STAFF = staffPhone(1, 2); // the Jing'an Temple store's staff member

const jsOn = () => test.info().project.use.javaScriptEnabled !== false;
/** A member of this project: 1370000, the project (1 with JavaScript, 2 without), 501. */
const phoneFor = () => `1370000${jsOn() ? '1' : '2'}501`;

const notices = (page: Page) => page.getByRole('region', { name: UI.zh.BagText.Notices });

/** Signs the page's browser in as `phone` through the server, with the demo inbox's code. */
async function signInByApi(request: APIRequestContext, phone: string) {
  const ask = await request.post('/member/code', { form: { phone }, headers: { accept: 'application/json' } });
  expect(ask.status(), await ask.text()).toBe(200);
  const html = await (await request.get('/demo/inbox')).text();
  const sent = new RegExp(`<span class="inbox-phone">${phone}</span> · <span class="inbox-message">[^<]*?(\\d{6})`).exec(html);
  expect(sent, `a code for ${phone} in the demo inbox`).not.toBeNull();
  const verify = await request.post('/member/verify', {
    form: { code: sent![1] },
    headers: { accept: 'application/json' },
  });
  expect(verify.status(), await verify.text()).toBe(200);
}

test.describe('[zh] services by appointment', () => {
  test('a booking made, its QR shown, verified at the till once and refused the second time', async ({
    page,
    baseURL,
    browser,
  }) => {
    await signInByApi(page.request, phoneFor());

    // The store's page leads to its services.
    await page.goto(`/s/${STORE}`);
    await waitForHydration(page);
    await page.getByRole('link', { name: A.StoreLink, exact: true }).click();
    await expect(page).toHaveURL(`/s/${STORE}/services`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${A.ServicesTitle} · ${T.zh.storeName}`);
    await expect(page.getByRole('link', { name: A.MyBookingsLink, exact: true })).toBeVisible();

    // The fitting room: 30 minutes, the first free time.
    const fitting = page.getByRole('region', { name: FITTING, exact: true });
    await expect(fitting.getByText('30 分钟', { exact: true })).toBeVisible();
    const time = fitting.getByLabel(A.ChooseTime, { exact: true });
    const first = fitting.locator('option:not([disabled])').first();
    const label = ((await first.textContent()) ?? '').trim();
    expect(label, 'a free time says how many places are left').toMatch(/^\d{2}:\d{2}（剩 [12] 位）$/);
    await time.selectOption((await first.getAttribute('value'))!);
    const book = fitting.getByRole('button', { name: `${A.Book}：${FITTING}`, exact: true });
    await expect(book).toHaveText(A.Book);
    await book.click();

    // Booked: the member's bookings, with the code as a QR and in digits.
    await expect(page).toHaveURL('/member/bookings');
    await waitForHydration(page);
    await expect(notices(page).getByRole('status')).toHaveText(new RegExp(`^已预约${literal(FITTING)}：`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(A.MyBookings);
    const booking = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 2, name: `${FITTING} · ${T.zh.storeName}` }) });
    await expect(booking).toHaveCount(1);
    await expect(booking.locator('.booking-state')).toHaveText(A.StatusBooked);
    await expect(booking.getByRole('button', { name: new RegExp(`^${literal(A.Cancel)}：${literal(FITTING)}`) })).toBeVisible();
    const digits = booking.locator('.code-digits');
    await expect(digits).toHaveText(/^\d{3} \d{3} \d{4}$/);
    const code = ((await digits.textContent()) ?? '').replace(/ /g, '');
    const qr = booking.getByRole('img', { name: A.BookingCode });
    expect(await readQr(qr), 'the QR carries the digits shown').toBe(code);

    // The till: verified once…
    const staff = await openBrowser(browser, baseURL!);
    try {
      const till = staff.page;
      await staffSignIn(staff.context.request, TILL_STAFF);
      await till.goto(`/till/${STORE}`);
      await waitForHydration(till);
      const verify = till.getByRole('region', { name: A.TillVerifyTitle, exact: true });
      const field = verify.getByLabel(A.TillVerifyCode, { exact: true });
      await expect(field).toHaveAttribute('id', 'booking-code');
      await field.fill(code);
      await verify.getByRole('button', { name: A.TillVerify, exact: true }).click();
      await expect(till).toHaveURL(`/till/${STORE}`);
      await expect(notices(till).getByRole('status')).toHaveText(new RegExp(`^核销成功：${literal(FITTING)} · `));

      // …and refused the second time, however it is typed.
      await till
        .getByRole('region', { name: A.TillVerifyTitle, exact: true })
        .getByLabel(A.TillVerifyCode, { exact: true })
        .fill(`${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}`);
      await till
        .getByRole('region', { name: A.TillVerifyTitle, exact: true })
        .getByRole('button', { name: A.TillVerify, exact: true })
        .click();
      await expect(till).toHaveURL(`/till/${STORE}`);
      await expect(notices(till).getByRole('alert')).toHaveText(A.CodeUsed);
      expect(staff.errors).toEqual([]);
    } finally {
      await staff.context.close();
    }

    // The member sees it verified, and its code is shown no more.
    await page.reload();
    await waitForHydration(page);
    await expect(booking.locator('.booking-state')).toHaveText(A.StatusDone);
    await expect(booking.locator('.code-digits')).toHaveCount(0);
    await expect(booking.getByRole('button', { name: new RegExp(`^${literal(A.Cancel)}`) })).toHaveCount(0);
  });
});
