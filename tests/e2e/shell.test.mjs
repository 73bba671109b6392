// The page shell every public page shares: status, language, headings,
// landmarks, skip link, language switch, assets, accessibility (axe), no
// console errors or CSP violations, and that it works without JavaScript.
//
// Run: ctest --test-dir build/<dir> -R e2e   (screenshots in <build>/e2e-artifacts)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  expectNoAxeViolations, launchBrowser, newContext, screenshot, watchPage,
} from './support/browser.mjs';
import { startSpire } from './support/spire.mjs';

// Every page a visitor can reach without logging in. Add new public pages here.
const PUBLIC_PAGES = [
  { path: '/', status: 200, name: 'home' },
  { path: '/no-such-page', status: 404, name: 'not-found' },
];

// The stylesheets every page links, in the order they must come (the theme
// defines the --ds-* variables the components use; our app.css comes last).
// Their URLs are fingerprinted: /static/vendor/designsystemet/index.<hash>.css.
const STYLESHEETS = [
  { name: 'theme.css', pattern: /\/static\/vendor\/designsystemet\/theme\.[^/]*css$/ },
  { name: 'index.css', pattern: /\/static\/vendor\/designsystemet\/index\.[^/]*css$/ },
  { name: 'inter.css', pattern: /\/static\/vendor\/inter\/inter\.[^/]*css$/ },
  { name: 'app.css', pattern: /\/static\/css\/app\.[^/]*css$/ },
];
const HTMX = /\/static\/vendor\/htmx\/htmx\.min\.[^/]*js$/;

const TEST_TIMEOUT_MS = 60_000;

let spire;
let browser;

before(async () => {
  spire = await startSpire();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await spire?.stop();
});

// Opens `path` in a fresh context and returns what the tests look at.
async function open(path, { expectedStatus, contextOptions = {} } = {}) {
  const context = await newContext(browser, contextOptions);
  const page = await context.newPage();
  const watcher = watchPage(page);
  const url = new URL(path, spire.baseURL).href;
  if (expectedStatus !== undefined && expectedStatus >= 400) {
    watcher.allowStatus(url, expectedStatus);
  }
  const response = await page.goto(url, { waitUntil: 'load' });
  return { context, page, watcher, response, url };
}

// Plain facts about the document, for readable assertion messages.
function describeDocument(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    title: document.title,
    h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
    mains: [...document.querySelectorAll('main')].map((m) => m.id),
    inlineStyleAttributes: [...document.querySelectorAll('[style]')].map((e) => e.outerHTML.slice(0, 120)),
    styleElements: document.querySelectorAll('style').length,
    inlineScripts: [...document.querySelectorAll('script:not([src])')]
      .filter((s) => !['application/json', 'application/ld+json'].includes(s.type))
      .map((s) => s.outerHTML.slice(0, 120)),
    htmxConfig: document.querySelector('meta[name="htmx-config"]')?.getAttribute('content') ?? null,
    footerLinks: [...document.querySelectorAll('footer a[href]')].map((a) => a.getAttribute('href')),
  }));
}

async function expectShell(page, { lang, label }) {
  const doc = await describeDocument(page);
  assert.equal(doc.lang, lang, `${label}: <html lang>`);
  assert.ok(doc.title.trim().length > 0, `${label}: <title> is empty`);
  assert.equal(doc.h1.length, 1, `${label}: expected exactly one <h1>, got ${JSON.stringify(doc.h1)}`);
  assert.ok(doc.h1[0].length > 0, `${label}: the <h1> is empty`);
  assert.deepEqual(doc.mains, ['main'], `${label}: expected one <main id="main">`);
  assert.deepEqual(doc.inlineStyleAttributes, [], `${label}: style="" attributes (CSP style-src 'self')`);
  assert.equal(doc.styleElements, 0, `${label}: <style> elements (CSP style-src 'self')`);
  assert.deepEqual(doc.inlineScripts, [], `${label}: inline <script> (CSP script-src 'self')`);
  assert.ok(doc.htmxConfig, `${label}: <meta name="htmx-config"> is missing`);
  const htmxConfig = JSON.parse(doc.htmxConfig);
  assert.equal(htmxConfig.includeIndicatorStyles, false, `${label}: htmx-config includeIndicatorStyles`);
  assert.equal(htmxConfig.allowEval, false, `${label}: htmx-config allowEval`);
  for (const href of ['/accessibility', '/privacy']) {
    assert.ok(doc.footerLinks.some((h) => h === href || h.startsWith(`${href}?`)),
      `${label}: footer has no link to ${href} (links: ${JSON.stringify(doc.footerLinks)})`);
  }
}

// The link in the header that switches to `lang` (a plain link, so it works
// without JavaScript): /lang?set=en&next=... or ?lang=en.
function languageLink(page, lang) {
  return page.locator(`header a[href*="set=${lang}"], header a[href*="lang=${lang}"]`).first();
}

for (const spec of PUBLIC_PAGES) {
  describe(`public page ${spec.path}`, () => {
    test('has the shell, passes axe, switches language, no console errors', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { context, page, watcher, response, url } = await open(spec.path, { expectedStatus: spec.status });
      try {
        assert.equal(response.status(), spec.status, `${spec.path}: HTTP status`);
        await expectShell(page, { lang: 'nb', label: `${spec.path} (nb)` });

        // Skip link: the first Tab lands on it, it is visible then, and it leads to <main>.
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          const box = el?.getBoundingClientRect();
          return {
            tag: el?.tagName.toLowerCase(),
            href: el?.getAttribute('href'),
            text: el?.textContent.trim(),
            width: box?.width ?? 0,
            height: box?.height ?? 0,
          };
        });
        assert.equal(focused.tag, 'a', `${spec.path}: first Tab should focus the skip link, got ${JSON.stringify(focused)}`);
        assert.equal(focused.href, '#main', `${spec.path}: first focusable element should link to #main, got ${JSON.stringify(focused)}`);
        assert.ok(focused.text.length > 0, `${spec.path}: the skip link has no text`);
        assert.ok(focused.width > 1 && focused.height > 1,
          `${spec.path}: the skip link is not visible when focused (${focused.width}x${focused.height})`);
        await screenshot(page, `${spec.name}-skip-link-focused`);
        await page.keyboard.press('Enter');
        assert.equal(new URL(page.url()).hash, '#main', `${spec.path}: the skip link did not go to #main`);

        await expectNoAxeViolations(page, `${spec.path} (nb)`);
        await screenshot(page, `${spec.name}-nb`);

        // Language switch to English and back.
        const toEnglish = languageLink(page, 'en');
        assert.equal(await toEnglish.count(), 1, `${spec.path}: no link to English in the header`);
        await toEnglish.click();
        await page.waitForLoadState('load');
        assert.equal(new URL(page.url()).pathname, new URL(url).pathname,
          `${spec.path}: the language switch should come back to the same page, went to ${page.url()}`);
        await expectShell(page, { lang: 'en', label: `${spec.path} (en)` });
        await expectNoAxeViolations(page, `${spec.path} (en)`);
        await screenshot(page, `${spec.name}-en`);

        const toNorwegian = languageLink(page, 'nb');
        assert.equal(await toNorwegian.count(), 1, `${spec.path}: no link back to Norwegian in the header`);
        await toNorwegian.click();
        await page.waitForLoadState('load');
        assert.equal(await page.getAttribute('html', 'lang'), 'nb', `${spec.path}: switching back to Norwegian`);

        watcher.expectNone(spec.path);
      } finally {
        await context.close();
      }
    });

    // WCAG 1.4.10 Reflow: usable at 320 CSS px wide without scrolling sideways.
    test('reflows to 320 px without horizontal scrolling', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { context, page, watcher, response } = await open(spec.path, {
        expectedStatus: spec.status,
        contextOptions: { viewport: { width: 320, height: 640 } },
      });
      try {
        assert.equal(response.status(), spec.status, `${spec.path}: HTTP status`);
        const overflow = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          // Boxes wider than the viewport, and boxes whose own text sticks out
          // of them (a long word in a big heading); the innermost ones only.
          const flagged = [...document.querySelectorAll('body *')].filter((el) =>
            el.getBoundingClientRect().right > width + 1 ||
            (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible'));
          const wide = flagged
            .filter((el) => !flagged.some((other) => other !== el && el.contains(other)))
            .map((el) => `${el.tagName.toLowerCase()}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}` +
              ` "${el.textContent.trim().slice(0, 40)}"`);
          return { width, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 10) };
        });
        await screenshot(page, `${spec.name}-320px`);
        assert.ok(overflow.scrollWidth <= overflow.width,
          `${spec.path}: page is ${overflow.scrollWidth} px wide in a ${overflow.width} px viewport; too wide: ${overflow.wide.join(', ')}`);
        watcher.expectNone(`${spec.path} (320 px)`);
      } finally {
        await context.close();
      }
    });

    test('works without JavaScript', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { context, page, watcher, response } = await open(spec.path, {
        expectedStatus: spec.status,
        contextOptions: { javaScriptEnabled: false },
      });
      try {
        assert.equal(response.status(), spec.status, `${spec.path}: HTTP status`);
        const content = await page.evaluate(() => ({
          lang: document.documentElement.getAttribute('lang'),
          h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
          mainText: document.querySelector('main#main')?.innerText.trim() ?? '',
        })).catch(() => null);
        // page.evaluate may be refused with scripts off; fall back to locators.
        const h1 = content?.h1 ?? (await page.locator('h1').allInnerTexts());
        const mainText = content?.mainText ?? (await page.locator('main#main').innerText()).trim();
        assert.equal(h1.length, 1, `${spec.path} (no JS): expected one <h1>, got ${JSON.stringify(h1)}`);
        assert.ok(mainText.length > h1[0].length, `${spec.path} (no JS): <main> has no content besides the heading`);
        // The language switch is a plain link.
        await languageLink(page, 'en').click();
        await page.waitForLoadState('load');
        assert.equal(await page.getAttribute('html', 'lang'), 'en', `${spec.path} (no JS): language switch`);
        await screenshot(page, `${spec.name}-nojs-en`);
        watcher.expectNone(`${spec.path} (no JS)`);
      } finally {
        await context.close();
      }
    });
  });
}

describe('assets', () => {
  test('stylesheets, Inter and htmx load from our origin under the CSP', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const watcher = watchPage(page);
    const responses = [];
    page.on('response', (r) => responses.push(r));
    try {
      const response = await page.goto(new URL('/', spire.baseURL).href, { waitUntil: 'load' });
      assert.equal(response.status(), 200);
      const csp = response.headers()['content-security-policy'] ?? '';
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "font-src 'self'"]) {
        assert.ok(csp.includes(directive), `Content-Security-Policy lacks "${directive}": ${JSON.stringify(csp)}`);
      }

      // Link order in the document.
      const links = await page.evaluate(() =>
        [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.href));
      const order = STYLESHEETS.map(({ name, pattern }) => {
        const index = links.findIndex((href) => pattern.test(new URL(href).pathname));
        assert.notEqual(index, -1, `no <link rel=stylesheet> for ${name} (links: ${JSON.stringify(links)})`);
        return index;
      });
      assert.deepEqual(order, [...order].sort((a, b) => a - b),
        `stylesheets must be linked as ${STYLESHEETS.map((s) => s.name).join(', ')}; got ${JSON.stringify(links)}`);

      // Wait for web fonts, then check what actually arrived.
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const ok = (predicate) => responses.filter((r) => predicate(r) && r.status() === 200);
      for (const { name, pattern } of STYLESHEETS) {
        const loaded = ok((r) => pattern.test(new URL(r.url()).pathname));
        assert.equal(loaded.length, 1, `${name} was not loaded with 200`);
        assert.match(loaded[0].headers()['content-type'] ?? '', /^text\/css/, `${name} Content-Type`);
      }
      const htmx = ok((r) => HTMX.test(new URL(r.url()).pathname));
      assert.equal(htmx.length, 1, 'htmx.min.js was not loaded with 200');
      assert.match(htmx[0].headers()['content-type'] ?? '', /javascript/, 'htmx.min.js Content-Type');

      const fonts = ok((r) => r.request().resourceType() === 'font');
      assert.ok(fonts.length > 0, 'no font file was loaded');
      for (const font of fonts) {
        assert.match(new URL(font.url()).pathname, /^\/static\/vendor\/inter\/inter-latin(-ext)?-\d00-normal[^/]*\.woff2$/);
        assert.match(font.headers()['content-type'] ?? '', /^font\/woff2/, `${font.url()} Content-Type`);
      }

      const fontState = await page.evaluate(() => ({
        bodyFont: getComputedStyle(document.body).fontFamily,
        h1Font: getComputedStyle(document.querySelector('h1')).fontFamily,
        interLoaded: [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === 'Inter' && f.status === 'loaded')
          .map((f) => f.weight),
        htmx: typeof window.htmx === 'object' ? {
          version: window.htmx.version,
          includeIndicatorStyles: window.htmx.config.includeIndicatorStyles,
          allowEval: window.htmx.config.allowEval,
          selfRequestsOnly: window.htmx.config.selfRequestsOnly,
        } : null,
      }));
      assert.match(fontState.bodyFont, /\bInter\b/, `computed font-family of <body>: ${fontState.bodyFont}`);
      assert.match(fontState.h1Font, /\bInter\b/, `computed font-family of <h1>: ${fontState.h1Font}`);
      assert.ok(fontState.interLoaded.length > 0, 'no Inter font face reached status "loaded"');
      assert.ok(fontState.htmx, 'window.htmx is not defined: htmx did not run');
      assert.match(fontState.htmx.version, /^2\./, 'htmx version');
      assert.equal(fontState.htmx.includeIndicatorStyles, false, 'htmx did not pick up <meta name="htmx-config">');
      assert.equal(fontState.htmx.allowEval, false);
      assert.equal(fontState.htmx.selfRequestsOnly, true);

      watcher.expectNone('/ (assets)');
    } finally {
      await context.close();
    }
  });

  // Without a declared icon Chromium fetches /favicon.ico on its own and every
  // first visit leaves a 404 in the log and the console.
  test('declares an icon that loads', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    try {
      await page.goto(new URL('/', spire.baseURL).href);
      const href = await page.evaluate(() => document.querySelector('link[rel~="icon"]')?.href ?? null);
      assert.ok(href, 'no <link rel="icon"> in <head> (Chromium then asks for /favicon.ico)');
      const response = await page.request.get(href);
      assert.equal(response.status(), 200, `icon ${href}`);
    } finally {
      await context.close();
    }
  });
});
