import { defineConfig, devices } from '@playwright/test';

// End-to-end tests for Cloud Store: every journey runs on a phone with JavaScript on
// (SSR + hydration) and off (plain server-rendered HTML).
//
// The server is the debug binary (`cargo build -p server`) serving the prebuilt site
// bundle (`make site-release` → target/site). Each run starts from a fresh SQLite file,
// which the server migrates and seeds with the deterministic demo data.

// E2E_PORT and E2E_SERVER let two runs (or a run beside a build) use their own port and
// their own copy of the binary.
const PORT = Number(process.env.E2E_PORT ?? 3100);
// E2E_BASE_URL runs the suite against servers already running (the fleet behind nginx,
// `make fleet-test`) instead of starting one.
const EXTERNAL = process.env.E2E_BASE_URL;
const BASE_URL = EXTERNAL ?? `http://127.0.0.1:${PORT}`;
const DB_FILE = `/tmp/cloud-store-e2e-${PORT}.db`;
// The payment journeys (@payment) run on a second server with the demo gateway
// (PAYMENT=demo); every other journey's server takes no payment (PAYMENT=off).
// E2E_PAY_URL points them at servers already running.
const PAY_PORT = PORT + 1;
const PAY_DB_FILE = `/tmp/cloud-store-e2e-${PAY_PORT}.db`;
export const PAY_URL = process.env.E2E_PAY_URL ?? `http://127.0.0.1:${PAY_PORT}`;
const SERVER = process.env.E2E_SERVER ?? '../target/debug/server';

const chromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  workers: 2,
  retries: 0,
  reporter: 'list',
  // Through the fleet (nginx, two servers, PostgreSQL on two cores) every step is slower.
  timeout: EXTERNAL ? 60_000 : 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: BASE_URL,
    // The storefront's home market: Chinese unless the shopper picks English (`lang`
    // cookie) or the browser asks for it (Accept-Language, see the negotiation test).
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions: chromium,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'phone-js',
      use: { ...devices['Pixel 7'], locale: 'zh-CN', launchOptions: chromium },
    },
    {
      name: 'phone-nojs',
      use: { ...devices['Pixel 7'], locale: 'zh-CN', launchOptions: chromium, javaScriptEnabled: false },
    },
  ],
  webServer: EXTERNAL ? undefined : [{
    command: `rm -f ${DB_FILE} ${DB_FILE}-* && ${SERVER}`,
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      BIND_ADDR: `127.0.0.1:${PORT}`,
      DATABASE_URL: `sqlite://${DB_FILE}`,
      SITE_ROOT: '../target/site',
      RUST_LOG: 'warn',
      // Short kiosk timings keep the idle test quick; the clock is faked there anyway.
      KIOSK_IDLE_SECONDS: '60',
      KIOSK_WARN_SECONDS: '15',
      ADMIN_PHONE: '13800000000',
      ADMIN_PASSWORD: 'e2e admin password',
      DEMO_MODE: 'true',
      PAYMENT: 'off',
    },
  }, {
    command: `rm -f ${PAY_DB_FILE} ${PAY_DB_FILE}-* && ${SERVER}`,
    url: `${PAY_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      BIND_ADDR: `127.0.0.1:${PAY_PORT}`,
      DATABASE_URL: `sqlite://${PAY_DB_FILE}`,
      SITE_ROOT: '../target/site',
      RUST_LOG: 'warn',
      // Short kiosk timings keep the idle test quick; the clock is faked there anyway.
      KIOSK_IDLE_SECONDS: '60',
      KIOSK_WARN_SECONDS: '15',
      ADMIN_PHONE: '13800000000',
      ADMIN_PASSWORD: 'e2e admin password',
      DEMO_MODE: 'true',
      PAYMENT: 'demo',
    },
  }],
});
