import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { chooseChromium, mergeFlags } from './chromium-binary.ts';
import { ROOT } from './platform-process.ts';

// Chromium (Debian's, or the npm package's: chromium-binary.ts) driven by playwright-core, plus
// the helpers the scenarios share: signing in through the login form, collecting console errors,
// screenshots and axe-core. No test depends on how a glyph renders: without CJK fonts the
// screenshots show boxes, while every check reads text, roles and labels from the DOM.

const require = createRequire(import.meta.url);
export const SCREENSHOT_DIR = path.join(ROOT, 'test-artifacts', 'screenshots');
export const DEMO_PASSWORD = 'jiangxi-demo-2026';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchChromium(): Promise<Browser> {
  const choice = await chooseChromium();
  try {
    return await chromium.launch({
      executablePath: choice.executablePath,
      headless: true,
      args: mergeFlags(FLAGS, choice.args),
      ...(choice.env ? { env: { ...process.env, ...choice.env } } : {}),
    });
  } catch (e) {
    // The bundled binary links the system's NSS and expat; a slim image may lack them.
    const hint = choice.source === 'bundled' ? ' (the npm package\'s Chromium needs libnss3 and libexpat1: apt-get install libnss3 libexpat1)' : '';
    throw new Error(`could not launch ${choice.source} Chromium ${choice.executablePath}${hint}: ${(e as Error).message}`, { cause: e });
  }
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and CSP refusals seen so far on this page. */
  errors: string[];
  /** The Content-Security-Policy the page was served under. */
  csp: string;
}

/** The page's errors that matter: Chromium reports every 4xx answer as "Failed to load resource", and refusals are expected. */
export function jsErrors(user: UserPage): string[] {
  return user.errors.filter((e) => !e.includes('Failed to load resource'));
}

/** A fresh browser context (own localStorage) signed in through the login page. */
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export async function signedInPage(browser: Browser, baseUrl: string, username: string, lang: 'zh-CN' | 'en' = 'zh-CN', viewport = DESKTOP, timezoneId = 'Asia/Shanghai'): Promise<UserPage> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId, ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}) });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} @ ${m.location().url}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // Anything the Content-Security-Policy refuses is an error of the page, whether or not Chromium logs it.
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP refused ${e.blockedURI || 'inline'} (${e.violatedDirective})`)),
  );
  page.on('response', (r) => {
    if (r.status() >= 500) errors.push(`http ${r.status()}: ${r.url()}`);
  });
  if (lang !== 'zh-CN') await page.addInitScript((l) => localStorage.setItem('ecorights.lang', l), lang);
  const entry = await page.goto(`${baseUrl}/#/login`);
  const csp = entry?.headers()['content-security-policy'] ?? '';
  await page.getByLabel(lang === 'en' ? 'Username' : '用户名').fill(username);
  await page.getByLabel(lang === 'en' ? 'Password' : '密码', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: lang === 'en' ? 'Sign in' : '登录', exact: true }).click();
  // On a phone the signed-in user sits in the closed menu: present, not visible.
  await page.getByTestId('current-user').waitFor({ state: 'attached' });
  return { context, page, errors, csp };
}

/**
 * Presses a button from the keyboard, as a keyboard user would. For buttons below inline PDF
 * viewers: Chromium's viewer is an out-of-process frame, and on a loaded machine a mouse click
 * that follows the scroll into view can be hit-tested against the frames' old positions and lost
 * (seen on CI: no request left the page). Focus and Enter reach the button whatever the layout.
 */
export async function pressButton(button: Locator): Promise<void> {
  await button.focus();
  await button.press('Enter');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string }[];
}

/** Runs axe-core (WCAG 2 A/AA rules) in the page; returns serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: an inline <script> would be refused by the page's CSP.
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
