// Debian's Chromium driven by playwright-core, plus the checks every page gets:
// axe (WCAG 2.1 A/AA), console errors and CSP violations, screenshots.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

// DESIGN.md §3 "Front-end notes": the flags that make Debian's chromium run
// headless as root without reaching out to the network.
const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A context as a Norwegian user sees the site; AxeBuilder needs one. */
export function newContext(browser, options = {}) {
  return browser.newContext({ locale: 'nb-NO', ...options });
}

/**
 * Runs axe on the page as it is now and fails with a readable list of what
 * is wrong and where.
 */
export async function expectNoAxeViolations(page, label) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (results.violations.length === 0) return;
  const lines = [];
  for (const violation of results.violations) {
    lines.push(`- ${violation.id} (${violation.impact}): ${violation.help}`);
    lines.push(`    ${violation.helpUrl}`);
    for (const node of violation.nodes) {
      lines.push(`    at ${node.target.join(' ')}`);
      if (node.failureSummary) {
        lines.push(...node.failureSummary.split('\n').map((line) => `       ${line}`));
      }
      lines.push(`       ${node.html.length > 300 ? `${node.html.slice(0, 300)}…` : node.html}`);
    }
  }
  throw new Error(
    `${label}: ${results.violations.length} axe violation(s) (${AXE_TAGS.join(' ')}) on ${page.url()}\n` +
    lines.join('\n'));
}

/** Saves a full-page screenshot as $SPIRE_ARTIFACTS/<name>.png (if set). */
export async function screenshot(page, name) {
  const dir = process.env.SPIRE_ARTIFACTS;
  if (!dir) return null;
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Records what goes wrong in a page while a test uses it: console errors
 * (CSP violations are reported there as "Refused to ..."), uncaught
 * exceptions, failed requests and sub-resources answered with an error status.
 *
 * `allowStatus(url, status)` lets a test accept e.g. the 404 of a page it
 * expects to be missing: Chromium logs the main document's 404 as a console
 * error too.
 */
function isAutomaticFavicon(url) {
  try {
    return new URL(url).pathname === '/favicon.ico';
  } catch {
    return false;
  }
}

export function watchPage(page) {
  const problems = [];
  const allowed = [];
  const isAllowed = (url, status) => allowed.some((a) => a.url === url && (status === undefined || a.status === status));

  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const where = message.location()?.url ?? '';
    const status = /status of (\d{3})/.exec(text);
    if (status && isAllowed(where, Number(status[1]))) return;
    // Chromium asks for /favicon.ico by itself when a page declares no icon, at
    // times of its choosing; shell.test.mjs checks the declared icon instead.
    if (status && isAutomaticFavicon(where)) return;
    problems.push(`console error: ${text}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => {
    problems.push(`uncaught exception: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    // Navigating away cancels what the previous page still loads; not a fault.
    if (failure === 'net::ERR_ABORTED' && request.resourceType() !== 'document') return;
    problems.push(`request failed: ${request.method()} ${request.url()}: ${failure}`);
  });
  page.on('response', (response) => {
    if (response.status() < 400 || isAllowed(response.url(), response.status())) return;
    if (isAutomaticFavicon(response.url())) return;
    problems.push(`HTTP ${response.status()} for ${response.request().resourceType()} ${response.url()}`);
  });

  return {
    allowStatus(url, status) { allowed.push({ url, status }); },
    get problems() { return [...problems]; },
    clear() { problems.length = 0; },
    /** Throws if anything went wrong since the last clear(). */
    expectNone(label) {
      if (problems.length === 0) return;
      throw new Error(`${label}: ${problems.length} problem(s) in the browser:\n- ${problems.join('\n- ')}`);
    },
  };
}
