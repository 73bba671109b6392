// A visitor in Chromium (one browser context with its own cookies) and the
// checks every page state gets: <html lang="nb">, exactly one <h1>, axe
// (WCAG 2.1 AA, when JavaScript runs), a screenshot, and no console errors
// or unexpected HTTP errors. Shared by the browser tests.
import assert from 'node:assert/strict';
import {
  expectNoAxeViolations, newContext, screenshot, watchPage,
} from './browser.mjs';

export const pathOf = (url) => new URL(url).pathname;

/**
 * One browser context (one visitor with their own cookies) and its page;
 * every page state it reaches is checked the same way (check()).
 */
export class Visitor {
  /**
   * @param {{browser: object, baseURL: string, prefix: string, label: string,
   *          contextOptions?: object}} options
   *   prefix names the screenshots (<prefix>-<state>.png in $SPIRE_ARTIFACTS)
   */
  static async open({ browser, baseURL, prefix, label, contextOptions = {} }) {
    const context = await newContext(browser, contextOptions);
    const page = await context.newPage();
    return new Visitor({ baseURL, prefix, label, context, page,
      javaScript: Boolean(contextOptions.javaScriptEnabled ?? true) });
  }

  constructor({ baseURL, prefix, label, context, page, javaScript }) {
    this.baseURL = baseURL;
    this.prefix = prefix;
    this.label = label;
    this.context = context;
    this.page = page;
    this.javaScript = javaScript;
    this.watcher = watchPage(page);
  }

  url(path) {
    return new URL(path, this.baseURL).href;
  }

  // Lets the page answer `status` at `path` without the watcher complaining.
  allow(path, status) {
    if (status >= 400) this.watcher.allowStatus(this.url(path), status);
  }

  /** Opens `path`, expects `status` for the final document, checks the page. */
  async goto(path, { status = 200, shot, allowAt = path } = {}) {
    this.allow(allowAt, status);
    const response = await this.page.goto(this.url(path), { waitUntil: 'load' });
    assert.equal(response.status(), status, `${this.label}: GET ${path}: HTTP status`);
    await this.check(shot ?? `${this.label}-${path}`);
    return response;
  }

  /**
   * Does `action` (a click, a key press) that submits a form or follows a
   * link, waits for the document it ends on (after redirects) and checks it.
   * `allowAt`: the path that may answer `status` >= 400 (the form's action).
   */
  async submit(action, { status = 200, shot, allowAt } = {}) {
    if (allowAt) this.allow(allowAt, status);
    const finalDocument = this.page.waitForResponse((r) =>
      r.request().isNavigationRequest() && r.frame() === this.page.mainFrame() &&
      !(r.status() >= 300 && r.status() < 400));
    // The new document is committed (only then does 'load' mean its load).
    const committed = this.page.waitForEvent('framenavigated', (frame) => frame === this.page.mainFrame());
    await action();
    const [response] = await Promise.all([finalDocument, committed]);
    await this.page.waitForLoadState('load');
    const request = response.request();
    const first = (function firstOf(r) { return r.redirectedFrom() ? firstOf(r.redirectedFrom()) : r; })(request);
    assert.equal(response.status(), status,
      `${this.label}: ${first.method()} ${pathOf(first.url())} ended on ${pathOf(response.url())} with HTTP status`);
    if (shot) await this.check(shot);
    return response;
  }

  /** The checks every page state gets: lang, one <h1>, axe, screenshot, no browser errors. */
  async check(shot) {
    assert.equal(await this.page.getAttribute('html', 'lang'), 'nb', `${shot}: <html lang>`);
    const h1 = await this.page.locator('h1').allInnerTexts();
    assert.equal(h1.length, 1, `${shot}: expected one <h1>, got ${JSON.stringify(h1)}`);
    // axe runs inside the page, which it cannot without JavaScript; the
    // server sends the same HTML either way, and it gets axe in the other tests.
    if (this.javaScript) await expectNoAxeViolations(this.page, shot);
    await screenshot(this.page, `${this.prefix}-${shot}`);
    try {
      this.watcher.expectNone(shot);
    } finally {
      this.watcher.clear(); // report each problem once, at the state it came up in
    }
  }

  get main() { return this.page.locator('main#main'); }
  get header() { return this.page.getByRole('banner'); }
  get menu() { return this.page.getByRole('navigation', { name: 'Hovedmeny' }); }

  async close() {
    await this.context.close();
  }
}

export function trimmed(texts) {
  return texts.map((t) => t.replace(/\s+/g, ' ').trim());
}

export async function h1Text(page) {
  return (await page.locator('h1').innerText()).trim();
}

/** Presses Tab until `selector` has the focus (fails after `max` presses). */
export async function tabTo(page, selector, max = 40) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.locator(selector).evaluate((el) => el === document.activeElement)) return;
  }
  const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`${selector} did not get the focus within ${max} Tab presses (focus on ${focused})`);
}

/**
 * Logs in through the form on /login (reached by opening `from`, which
 * sends a visitor who is not logged in there). `keyboard`: Tab to the
 * fields, type, press Enter; otherwise fill the labelled fields and click
 * "Logg inn". Expects to land on `landing` (default /profile), and checks
 * both pages (screenshots <label>-login and <label>-landing).
 */
export async function logIn(visitor, user, password,
  { keyboard = false, from = '/login', landing = '/profile' } = {}) {
  await visitor.goto(from, { shot: `${visitor.label}-login` });
  assert.equal(pathOf(visitor.page.url()), '/login', `${visitor.label}: ${from} should show the login form`);
  const { page } = visitor;
  let submit;
  if (keyboard) {
    await tabTo(page, '#email');
    await page.keyboard.type(user.email);
    await page.keyboard.press('Tab');
    assert.ok(await page.locator('#password').evaluate((el) => el === document.activeElement),
      `${visitor.label}: Tab from the e-mail field should go to the password field`);
    await page.keyboard.type(password);
    submit = () => page.keyboard.press('Enter');
  } else {
    await visitor.main.getByLabel('E-postadresse').fill(user.email);
    await visitor.main.getByLabel('Passord').fill(password);
    submit = () => visitor.main.getByRole('button', { name: 'Logg inn' }).click();
  }
  await visitor.submit(submit);
  if (pathOf(page.url()) !== landing) {
    const alert = await visitor.main.getByRole('alert').allInnerTexts();
    assert.fail(`${visitor.label}: after logging in as ${user.email} the browser is on ${page.url()}, ` +
      `not ${landing}${alert.length ? `; the page says ${JSON.stringify(alert)}` : ''}`);
  }
  await visitor.check(`${visitor.label}-landing`);
}

