// One test file's Spire on the demo data and its Chromium, started before the
// file's tests and stopped after them, with the file's visitors: every page
// state a visitor submits or visits gets axe and a screenshot named
// `<prefix>-<label>-<shot>.png` (support/visitor.mjs).
import { after, before } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { startSpire } from './spire.mjs';
import { Visitor as BaseVisitor, logIn as baseLogIn } from './visitor.mjs';

export function demoSuite(prefix) {
  let spire;
  let browser;

  before(async () => {
    spire = await startSpire({ demo: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await spire?.stop();
  });

  return {
    Visitor: {
      open: (label, contextOptions = {}) =>
        BaseVisitor.open({ browser, baseURL: spire.baseURL, prefix, label, contextOptions }),
    },
    logIn: (visitor, user, options) => baseLogIn(visitor, user, spire.demoPassword, options),
  };
}
