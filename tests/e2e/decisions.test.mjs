// Recommendation and decision in the browser, on the demo data (`spire demo`):
// the autumn 2017 round is decided except its lowest ranked application.
// The fund manager proposes a grant for it on the call's decisions page
// (after an error that keeps what was typed), the decision maker approves
// the recommendation, the ledger shows the new commitment, the budget page
// loads with it, and the decision letter opens from the recommendation.
// Every page state gets axe (WCAG 2.1 AA) and a screenshot in
// $SPIRE_ARTIFACTS (decisions-*.png).
//
// Run: SPIRE_BIN=build/<dir>/spire SPIRE_ROOT=$PWD node --test tests/e2e/decisions.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSuite } from './support/suite.mjs';
import { pathOf } from './support/visitor.mjs';

const TEST_TIMEOUT_MS = 180_000;
const FUND_MANAGER = { email: 'fund-manager@baerum.example' };
const DECISION_MAKER = { email: 'decision-maker@baerum.example' };
const ROUND = 'Innovasjonsmidler høst 2017';

const { Visitor, logIn } = demoSuite('decisions');

test('propose, approve, see the commitment in the ledger and read the letter',
  { timeout: TEST_TIMEOUT_MS }, async () => {
    let recommendation;
    let reference;
    let budget;
    const manager = await Visitor.open('manager');
    try {
      await logIn(manager, FUND_MANAGER);
      const { main } = manager;
      await manager.submit(() => manager.menu.getByRole('link', { name: 'Fond' }).click());
      await manager.submit(() => main.getByRole('link', { name: 'Forsknings- og innovasjonsfond' }).click());
      await manager.submit(() => main.getByRole('link', { name: 'Fondets utlysninger' }).click());
      await manager.submit(() => main.getByRole('link', { name: ROUND }).click());
      const tabs = manager.page.getByRole('navigation', { name: 'Sider for utlysningen' });
      await manager.submit(() => tabs.getByRole('link', { name: 'Vedtak' }).click(),
        { shot: 'manager-decisions' });
      const text = await main.innerText();
      assert.equal((text.match(/Innvilget/g) ?? []).length >= 10, true, 'ten grants in the round');
      const proposal = main.locator('fieldset.proposal');
      assert.equal(await proposal.count(), 1, 'one application is left to decide');
      reference = (await proposal.locator('legend').innerText()).split(' – ')[0];

      // No justification: the page says so and keeps the amount.
      await proposal.getByLabel(/^Utfall for/).selectOption('granted');
      await proposal.getByLabel('2018').fill('50 000');
      await proposal.getByLabel('Begrunnelse').fill('');
      await manager.submit(() => main.getByRole('button', { name: 'Send innstillingen til beslutningstakeren' }).click(),
        { status: 422, allowAt: pathOf(manager.page.url()), shot: 'manager-proposal-error' });
      assert.match(await main.innerText(), /Skriv en begrunnelse for innstillingen/);
      assert.equal(await proposal.getByLabel('2018').inputValue(), '50 000');

      await proposal.getByLabel('Begrunnelse').fill('Lavest rangert, men et lite forprosjekt er verdt å prøve.');
      await manager.submit(() => main.getByRole('button', { name: 'Send innstillingen til beslutningstakeren' }).click(),
        { shot: 'manager-proposal-submitted' });
      recommendation = pathOf(manager.page.url());
      assert.match(recommendation, /^\/decisions\/\d+$/);
      assert.match(await main.innerText(), /Innstillingen er sendt til beslutningstakeren/);
    } finally {
      await manager.close();
    }

    const maker = await Visitor.open('maker');
    try {
      await logIn(maker, DECISION_MAKER);
      const { main, page } = maker;
      await maker.submit(() => maker.menu.getByRole('link', { name: 'Vedtak' }).click(),
        { shot: 'maker-waiting' });
      await maker.submit(() => main.locator(`a[href="${recommendation}"]`).click(),
        { shot: 'maker-recommendation' });
      await maker.submit(() => main.getByRole('button', { name: 'Godkjenn innstillingen som den er' }).click(),
        { shot: 'maker-approved' });
      assert.match(await main.innerText(), /Innstillingen er godkjent/);

      // The letter, as sent.
      const letterLink = main.getByRole('link', { name: 'Vedtaksbrev' });
      const letterHref = await letterLink.getAttribute('href');
      await maker.submit(() => letterLink.click(), { shot: 'maker-letter' });
      assert.equal(pathOf(page.url()), letterHref);
      const letter = await main.locator('article.decision-letter').innerText();
      assert.match(letter, new RegExp(`Vedtak om søknad ${reference}`));
      assert.match(letter, /Søknaden innvilges med 50\s000\skr/);
      assert.match(letter, /Bærum kommune/);

      // The budget page, with the commitment in it.
      await maker.goto(recommendation);
      await maker.submit(() => main.getByRole('link', { name: 'Budsjett' }).click(),
        { shot: 'maker-budget' });
      budget = pathOf(page.url());
      assert.match(budget, /^\/funds\/\d+\/budget$/);
    } finally {
      await maker.close();
    }

    // The ledger (the fund manager's) has the commitment, named after the
    // application.
    const again = await Visitor.open('manager-ledger');
    try {
      await logIn(again, FUND_MANAGER);
      await again.goto(budget.replace(/budget$/, 'ledger'), { shot: 'manager-ledger' });
      const ledger = await again.main.innerText();
      assert.match(ledger, new RegExp(`Vedtak ${reference}`));
      assert.match(ledger, /50\s000/);
    } finally {
      await again.close();
    }
  });
