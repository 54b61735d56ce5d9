/// <reference lib="dom" />
// (playwright-core's types, and the callbacks that run in the page, name DOM types.)
// Debian's Chromium driven by playwright-core (Playwright cannot download its own browser here). Tests skip, with
// a message, only when /usr/bin/chromium is missing; CI installs it with apt-get.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startOrigin, type TestOrigin } from '../helpers/test-origin.js';
import { curl, startTestPhonehome, TEST_TOKEN, type TestPhonehome } from '../helpers/test-phonehome.js';

export const CHROMIUM = '/usr/bin/chromium';

/** The page's test hook (web/src/main.tsx): counts only, never captured content. */
export type PageWindow = Window & { phonehome: { counts(): { flows: number; hosts: number; findings: number; link: string; lastLiveAt: number | null } } };
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'e2e');

/** The reason to skip browser tests, or undefined when they can run. */
export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the dashboard e2e tests`;
  if (!existsSync(join(process.cwd(), 'web', 'dist', 'index.html'))) return undefined; // the test fails loudly below
  return undefined;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export interface DashboardHarness {
  origin: TestOrigin;
  ph: TestPhonehome;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors, and uncaught page errors. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** A real phonehome with a local origin, and a Chromium page logged into its dashboard. */
export async function openDashboard(options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number }; profileFiles?: string[] } = {}): Promise<DashboardHarness> {
  if (!existsSync(join(process.cwd(), 'web', 'dist', 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
  mkdirSync(SCREENSHOTS, { recursive: true });
  const origin = await startOrigin();
  const ph = await startTestPhonehome(origin, options.profileFiles ? { profileFiles: options.profileFiles } : {});
  const browser = await launchBrowser();
  const context = await browser.newContext({ colorScheme: options.colorScheme ?? 'light', viewport: options.viewport ?? { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
  });
  await page.goto(`${ph.dashboard}/?token=${TEST_TOKEN}`);
  return {
    origin,
    ph,
    browser,
    context,
    page,
    pageErrors,
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await ph.stop();
      await origin.close();
    },
  };
}

/** curl through the proxy, trusting phonehome's CA. */
export function phoneCurl(ph: TestPhonehome, args: string[]) {
  return curl(['-x', ph.proxyUrl, '--cacert', ph.caFile, ...args]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
