// Allocation scenarios in the browser, on the demo data (`spire demo`): the
// fund manager opens the autumn 2017 round's "Fordeling" tab, where the demo
// has saved one scenario (the round is decided since, so only its one
// undecided application is a candidate), compares the optimal portfolio with the payline,
// makes a new scenario through the form (a refused form first: the error
// summary and the typed input kept), then publishes the lottery's seed and
// draws (the seed typed by keyboard alone). Every page state gets axe (WCAG 2.1 AA) and a screenshot in
// $SPIRE_ARTIFACTS (allocation-*.png).
//
// Run: SPIRE_BIN=build/<dir>/spire SPIRE_ROOT=$PWD node --test tests/e2e/allocation.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSuite } from './support/suite.mjs';
import { pathOf, tabTo } from './support/visitor.mjs';

const TEST_TIMEOUT_MS = 180_000;
const FUND_MANAGER = { email: 'fund-manager@baerum.example' };
const ROUND = 'Innovasjonsmidler høst 2017';
const DEMO_SCENARIO = 'Innovasjonsrådet 27. november';

const { Visitor, logIn } = demoSuite('allocation');

test('the fund manager compares methods, makes a scenario and draws the lottery',
  { timeout: TEST_TIMEOUT_MS }, async () => {
    const visitor = await Visitor.open('manager');
    try {
      await logIn(visitor, FUND_MANAGER);
      const { main, page } = visitor;
      await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Fond' }).click());
      await visitor.submit(() => main.getByRole('link', { name: 'Forsknings- og innovasjonsfond' }).click());
      await visitor.submit(() => main.getByRole('link', { name: 'Fondets utlysninger' }).click());
      await visitor.submit(() => main.getByRole('link', { name: ROUND }).click());
      const tabs = page.getByRole('navigation', { name: 'Sider for utlysningen' });
      await visitor.submit(() => tabs.getByRole('link', { name: 'Fordeling' }).click(),
        { shot: 'list' });
      assert.equal(await main.getByRole('heading', { level: 1 }).innerText(), 'Fordeling');

      // The demo's scenario: the methods side by side.
      await visitor.submit(() => main.getByRole('link', { name: DEMO_SCENARIO }).click(),
        { shot: 'demo-scenario' });
      // The round is decided but for one application: the decided ones are
      // left out (their grants are in the ledger), the one left is compared.
      const comparison = main.locator('#comparison-table');
      assert.equal(await comparison.locator('tbody tr').count(), 1, 'the undecided application is compared');
      const leftOut = await main.locator('details').filter({ hasText: 'Søknader som ikke er med i scenarioet' }).textContent();
      assert.ok((leftOut.match(/Allerede vedtatt/g) ?? []).length >= 20, 'the decided applications are left out');
      assert.match(await main.innerText(), /Bevist optimal/);
      assert.match(await main.innerText(), /Midler brukt per år og program/);

      // A refused form keeps what was typed; then it is saved.
      await visitor.goto(`${pathOf(page.url()).replace(/\/\d+$/, '')}/new`, { shot: 'new' });
      await main.getByLabel('Optimal portefølje kan innvilge en del av et søknadsbeløp').check();
      await main.getByLabel('Minste andel av et søknadsbeløp som kan innvilges (prosent)').fill('0');
      const form = main.locator('form.admin-form');
      const action = await form.getAttribute('action');
      await visitor.submit(() => main.getByRole('button', { name: 'Lagre scenario' }).click(),
        { status: 422, allowAt: action, shot: 'new-refused' });
      assert.match(await main.innerText(), /Gi scenarioet et navn/);
      assert.equal(await main.getByLabel('Minste andel av et søknadsbeløp som kan innvilges (prosent)').inputValue(), '0');
      await main.getByLabel('Navn på scenarioet').fill('Med delvis finansiering');
      await main.getByLabel('Minste andel av et søknadsbeløp som kan innvilges (prosent)').fill('50');
      await visitor.submit(() => main.getByRole('button', { name: 'Lagre scenario' }).click(),
        { shot: 'new-saved' });
      assert.match(await main.innerText(), /Scenarioet er lagret/);
      assert.equal(await main.getByRole('heading', { level: 1 }).innerText(), 'Med delvis finansiering');

      // The lottery: the seed first, then the draw, recorded once.
      // By keyboard alone: Tab to the seed, type it, Enter.
      await tabTo(page, '#seed', 200);
      await page.keyboard.type('Lotto 2017-11-25: 3 9 14 21 27 30 33');
      await visitor.submit(() => page.keyboard.press('Enter'), { shot: 'seed-published' });
      assert.match(await main.innerText(), /Frøet er publisert/);
      await visitor.submit(() => main.getByRole('button', { name: 'Trekk og registrer loddtrekningen' }).click(),
        { shot: 'drawn' });
      assert.match(await main.innerText(), /Loddtrekningen er trukket og registrert/);
      assert.match(await main.innerText(), /spire lottery verify/);
      assert.equal(await main.getByRole('button', { name: 'Trekk og registrer loddtrekningen' }).count(), 0);
    } finally {
      await visitor.close();
    }
  });
