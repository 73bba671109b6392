// From an allocation scenario to a decision in the browser, on the demo data
// (`spire demo`): the autumn 2017 round is decided except its lowest ranked
// application, which is below a criterion's minimum, so no method funds it.
// The fund manager makes a scenario, fills in a recommendation from its
// optimal portfolio (the proposal arrives rejected, with a justification
// naming the scenario, to check), submits it; the decision maker approves it
// and the letter gives the rejection with its reasons. (A funded proposal
// through to the ledger: tests/integration/allocation_pages_test.cpp.)
// Every page state gets axe (WCAG 2.1 AA) and a screenshot in
// $SPIRE_ARTIFACTS (recommendation-*.png).
//
// Run: SPIRE_BIN=build/<dir>/spire SPIRE_ROOT=$PWD node --test tests/e2e/recommendation.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSuite } from './support/suite.mjs';
import { pathOf } from './support/visitor.mjs';

const TEST_TIMEOUT_MS = 240_000;
const FUND_MANAGER = { email: 'fund-manager@baerum.example' };
const DECISION_MAKER = { email: 'decision-maker@baerum.example' };
const ROUND = 'Innovasjonsmidler høst 2017';

const { Visitor, logIn } = demoSuite('recommendation');

test('a scenario becomes a recommendation, a decision and a letter',
  { timeout: TEST_TIMEOUT_MS }, async () => {
    let recommendation;
    let reference;
    const manager = await Visitor.open('manager');
    try {
      await logIn(manager, FUND_MANAGER);
      const { main, page } = manager;
      await manager.submit(() => manager.menu.getByRole('link', { name: 'Fond' }).click());
      await manager.submit(() => main.getByRole('link', { name: 'Forsknings- og innovasjonsfond' }).click());
      await manager.submit(() => main.getByRole('link', { name: 'Fondets utlysninger' }).click());
      await manager.submit(() => main.getByRole('link', { name: ROUND }).click());
      const tabs = page.getByRole('navigation', { name: 'Sider for utlysningen' });
      await manager.submit(() => tabs.getByRole('link', { name: 'Vedtak' }).click());
      const open = main.locator('fieldset.proposal');
      assert.equal(await open.count(), 1, 'one application is left to decide');
      reference = (await open.locator('legend').innerText()).split(' – ')[0];
      const application = (await open.getAttribute('id')).replace('proposal-', '');

      // A scenario on what is left.
      await manager.submit(() => tabs.getByRole('link', { name: 'Fordeling' }).click());
      await manager.goto(`${pathOf(page.url())}/new`, { shot: 'new' });
      await main.getByLabel('Navn på scenarioet').fill('Restmidlene');
      await manager.submit(() => main.getByRole('button', { name: 'Lagre scenario' }).click(),
        { shot: 'scenario' });
      assert.match(await main.innerText(), /Scenarioet er lagret/);

      // Fill in the recommendation from its optimal portfolio.
      const recommend = main.getByRole('region', { name: 'Lag innstilling' });
      assert.equal(await recommend.getByLabel('Optimal portefølje').isChecked(), true);
      await manager.submit(() => recommend.getByRole('button', { name: 'Fyll ut innstillingen fra dette scenarioet' }).click(),
        { shot: 'filled-in' });
      assert.match(pathOf(page.url()), /\/manage\/decisions$/);
      assert.match(await main.innerText(), /Forslagene er fylt ut fra scenarioet «Restmidlene» \(Optimal portefølje\)/);
      const proposal = main.locator(`#proposal-${application}`);
      assert.equal(await proposal.getByLabel(/^Utfall for/).inputValue(), 'rejected');
      assert.equal(await proposal.getByLabel('Begrunnelse').inputValue(),
        'Ikke finansiert innenfor budsjettet i scenarioet «Restmidlene» (Optimal portefølje).');
      assert.equal(await proposal.getByLabel('2018').inputValue(), '');
      assert.equal(await main.getByLabel('Grunnlag for innstillingen (valgfritt)').inputValue(),
        'Scenario «Restmidlene» (Optimal portefølje)');

      // The fund manager makes the reason precise, then submits.
      await proposal.getByLabel('Begrunnelse').fill('Under minstekravet for nyskaping; ikke finansiert i scenarioet «Restmidlene».');
      await manager.submit(() => main.getByRole('button', { name: 'Send innstillingen til beslutningstakeren' }).click(),
        { shot: 'submitted' });
      recommendation = pathOf(page.url());
      assert.match(recommendation, /^\/decisions\/\d+$/);
    } finally {
      await manager.close();
    }

    const maker = await Visitor.open('maker');
    try {
      await logIn(maker, DECISION_MAKER);
      const { main } = maker;
      await maker.goto(recommendation, { shot: 'maker-recommendation' });
      assert.match(await main.innerText(), /Scenario «Restmidlene» \(Optimal portefølje\)/);
      await maker.submit(() => main.getByRole('button', { name: 'Godkjenn innstillingen som den er' }).click(),
        { shot: 'maker-approved' });
      assert.match(await main.innerText(), /Innstillingen er godkjent/);
      await maker.submit(() => main.getByRole('link', { name: 'Vedtaksbrev' }).click(), { shot: 'letter' });
      const letter = await main.locator('article.decision-letter').innerText();
      assert.match(letter, new RegExp(`Vedtak om søknad ${reference}`));
      assert.match(letter, /Søknaden avslås/);
      assert.match(letter, /Under minstekravet for nyskaping/);
    } finally {
      await maker.close();
    }
  });
